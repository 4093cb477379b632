import { describe, expect, it } from 'vitest';
import { ids, useSimulatedServices } from './support';

const sim = useSimulatedServices();

describe('UsersClient over HTTP', () => {
  it('reads a user by UPN, case-insensitively, as a domain user', async () => {
    const user = await sim.services.users.getUser('meganb@CONTOSO.com');
    expect(user).toMatchObject({
      id: ids.megan,
      userPrincipalName: 'MeganB@contoso.com',
      displayName: 'Megan Bowen',
      accountEnabled: true,
      onPremisesSyncEnabled: false,
      userType: 'Member',
    });
  });

  it('reports a synced user as such', async () => {
    expect((await sim.services.users.getUser(ids.lynne)).onPremisesSyncEnabled).toBe(true);
  });

  it('maps an unknown user to NotFound with the request id', async () => {
    await expect(sim.services.users.getUser('nobody@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
      status: 404,
      requestId: expect.stringMatching(/.+/),
    });
  });

  it('blocks and re-enables sign-in', async () => {
    const result = await sim.services.users.setAccountEnabled(ids.megan, false);
    expect(result.requestId).toMatch(/.+/);
    expect(sim.tenant.state().users.find((user) => user.id === ids.megan)?.accountEnabled).toBe(false);
    await sim.services.users.setAccountEnabled(ids.megan, true);
    expect((await sim.services.users.getUser(ids.megan)).accountEnabled).toBe(true);
  });

  it('fails to block a user that does not exist', async () => {
    await expect(
      sim.services.users.setAccountEnabled('00000000-0000-0000-0000-000000000000', false),
    ).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('resets a password without the password reaching the tenant state or the error', async () => {
    const password = 'Kx9!mq2#Lw7$Zp4v';
    await sim.services.users.resetPassword(ids.megan, password, true);
    expect(JSON.stringify(sim.tenant.state())).not.toContain(password);
  });

  it('explains that a synced user must be reset on-premises', async () => {
    const password = 'Kx9!mq2#Lw7$Zp4v';
    const error = await sim.services.users
      .resetPassword(ids.lynne, password, true)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SyncedUserReadOnly', status: 400 });
    expect((error as Error).message).not.toContain(password);
    expect((error as { remedy: string }).remedy).toMatch(/on-premises/);
  });

  it('revokes sign-in sessions', async () => {
    const before = Date.now();
    await sim.services.users.revokeSignInSessions(ids.megan);
    const validFrom = (await sim.services.users.getUser(ids.megan)).signInSessionsValidFromDateTime;
    expect(Date.parse(validFrom ?? '')).toBeGreaterThanOrEqual(before - 1000);
    const stored = sim.tenant
      .state()
      .users.find((user) => user.id === ids.megan)?.signInSessionsValidFromDateTime;
    expect(validFrom).toBe(stored);
  });

  it('fails to revoke sessions of an unknown user', async () => {
    await expect(sim.services.users.revokeSignInSessions('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('checks group membership', async () => {
    expect(
      await sim.services.users.checkMemberGroups(ids.alex, [ids.socResponders, ids.helpdeskAdmins]),
    ).toEqual([ids.socResponders]);
    expect(await sim.services.users.checkMemberGroups(ids.megan, [ids.socResponders])).toEqual([]);
  });

  it('rejects a malformed group id before sending anything', async () => {
    sim.tenant.resetLog();
    await expect(sim.services.users.checkMemberGroups(ids.alex, ['not-a-guid'])).rejects.toMatchObject({
      code: 'BadRequest',
    });
    expect(sim.tenant.requestLog()).toHaveLength(0);
  });

  it('lists group memberships, including role-assignable groups', async () => {
    const groups = await sim.services.users.listGroupMemberships(ids.megan);
    expect(groups).toContainEqual({
      groupId: ids.helpdeskAdmins,
      displayName: 'Helpdesk Admins',
      isAssignableToRole: true,
    });
  });

  it('fails to list memberships of an unknown user', async () => {
    await expect(sim.services.users.listGroupMemberships('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('removes and re-adds a group member', async () => {
    await sim.services.users.removeGroupMember(ids.helpdeskAdmins, ids.megan);
    expect(
      (await sim.services.users.listGroupMemberships(ids.megan)).map((group) => group.groupId),
    ).not.toContain(ids.helpdeskAdmins);
    await sim.services.users.addGroupMember(ids.helpdeskAdmins, ids.megan);
    expect(
      (await sim.services.users.listGroupMemberships(ids.megan)).map((group) => group.groupId),
    ).toContain(ids.helpdeskAdmins);
  });

  it('fails to remove someone who is not a member', async () => {
    await expect(sim.services.users.removeGroupMember(ids.helpdeskAdmins, ids.alex)).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('fails to add a member to an unknown group', async () => {
    await expect(
      sim.services.users.addGroupMember('00000000-0000-0000-0000-000000000001', ids.megan),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });
});
