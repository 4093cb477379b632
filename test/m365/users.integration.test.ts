import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedTenant } from '../../src/simulator';
import type { M365ServiceLayer } from '../../src/m365';
import { ids, servicesFor, startTenant } from './support';

let tenant: SimulatedTenant;
let services: M365ServiceLayer;

beforeAll(async () => {
  tenant = await startTenant();
  services = servicesFor(tenant);
});
afterAll(() => tenant.close());
beforeEach(() => {
  tenant.reset();
  tenant.resetLog();
});

describe('UsersClient over HTTP', () => {
  it('reads a user by UPN, case-insensitively, as a domain user', async () => {
    const user = await services.users.getUser('meganb@CONTOSO.com');
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
    expect((await services.users.getUser(ids.lynne)).onPremisesSyncEnabled).toBe(true);
  });

  it('maps an unknown user to NotFound with the request id', async () => {
    await expect(services.users.getUser('nobody@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
      status: 404,
      requestId: expect.stringMatching(/.+/),
    });
  });

  it('blocks and re-enables sign-in', async () => {
    const result = await services.users.setAccountEnabled(ids.megan, false);
    expect(result.requestId).toMatch(/.+/);
    expect(tenant.state().users.find((user) => user.id === ids.megan)?.accountEnabled).toBe(false);
    await services.users.setAccountEnabled(ids.megan, true);
    expect((await services.users.getUser(ids.megan)).accountEnabled).toBe(true);
  });

  it('fails to block a user that does not exist', async () => {
    await expect(
      services.users.setAccountEnabled('00000000-0000-0000-0000-000000000000', false),
    ).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('resets a password without the password reaching the tenant state or the error', async () => {
    const password = 'Kx9!mq2#Lw7$Zp4v';
    await services.users.resetPassword(ids.megan, password, true);
    expect(JSON.stringify(tenant.state())).not.toContain(password);
  });

  it('explains that a synced user must be reset on-premises', async () => {
    const password = 'Kx9!mq2#Lw7$Zp4v';
    const error = await services.users
      .resetPassword(ids.lynne, password, true)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SyncedUserReadOnly', status: 400 });
    expect((error as Error).message).not.toContain(password);
    expect((error as { remedy: string }).remedy).toMatch(/on-premises/);
  });

  it('revokes sign-in sessions', async () => {
    const before = Date.now();
    await services.users.revokeSignInSessions(ids.megan);
    const validFrom = (await services.users.getUser(ids.megan)).signInSessionsValidFromDateTime;
    expect(Date.parse(validFrom ?? '')).toBeGreaterThanOrEqual(before - 1000);
    const stored = tenant
      .state()
      .users.find((user) => user.id === ids.megan)?.signInSessionsValidFromDateTime;
    expect(validFrom).toBe(stored);
  });

  it('fails to revoke sessions of an unknown user', async () => {
    await expect(services.users.revokeSignInSessions('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('checks group membership', async () => {
    expect(await services.users.checkMemberGroups(ids.alex, [ids.socResponders, ids.helpdeskAdmins])).toEqual(
      [ids.socResponders],
    );
    expect(await services.users.checkMemberGroups(ids.megan, [ids.socResponders])).toEqual([]);
  });

  it('rejects a malformed group id before sending anything', async () => {
    tenant.resetLog();
    await expect(services.users.checkMemberGroups(ids.alex, ['not-a-guid'])).rejects.toMatchObject({
      code: 'BadRequest',
    });
    expect(tenant.requestLog()).toHaveLength(0);
  });

  it('lists group memberships, including role-assignable groups', async () => {
    const groups = await services.users.listGroupMemberships(ids.megan);
    expect(groups).toContainEqual({
      groupId: ids.helpdeskAdmins,
      displayName: 'Helpdesk Admins',
      isAssignableToRole: true,
    });
  });

  it('fails to list memberships of an unknown user', async () => {
    await expect(services.users.listGroupMemberships('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('removes and re-adds a group member', async () => {
    await services.users.removeGroupMember(ids.helpdeskAdmins, ids.megan);
    expect(
      (await services.users.listGroupMemberships(ids.megan)).map((group) => group.groupId),
    ).not.toContain(ids.helpdeskAdmins);
    await services.users.addGroupMember(ids.helpdeskAdmins, ids.megan);
    expect((await services.users.listGroupMemberships(ids.megan)).map((group) => group.groupId)).toContain(
      ids.helpdeskAdmins,
    );
  });

  it('fails to remove someone who is not a member', async () => {
    await expect(services.users.removeGroupMember(ids.helpdeskAdmins, ids.alex)).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('fails to add a member to an unknown group', async () => {
    await expect(
      services.users.addGroupMember('00000000-0000-0000-0000-000000000001', ids.megan),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });
});
