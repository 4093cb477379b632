import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../src/simulator';
import { defaultFixtureWith, errorOf, ids, readResult, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Graph users and groups', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  const userOf = (id: string) => harness.tenant.state().users.find((user) => user.id === id);

  it('finds a user by UPN case-insensitively and returns the default property set', async () => {
    const result = await harness.graph('/users/meganb@CONTOSO.com');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      id: ids.megan,
      displayName: 'Megan Bowen',
      userPrincipalName: 'MeganB@contoso.com',
    });
    expect(result.body).toHaveProperty('businessPhones');
    expect(result.body).not.toHaveProperty('accountEnabled');
    expect(String(result.body['@odata.context'])).toContain('$metadata#users/$entity');
  });

  it('lists users filtered by UPN', async () => {
    const result = await harness.graph(
      "/users?$filter=userPrincipalName eq 'meganb@contoso.com'&$select=id,displayName",
    );
    expect(values(result)).toEqual([{ id: ids.megan, displayName: 'Megan Bowen' }]);
  });

  it('honours $select with only the selected properties plus id', async () => {
    const result = await harness.graph(
      `/users/${ids.lynne}?$select=accountEnabled,onPremisesSyncEnabled,userType`,
    );
    const { '@odata.context': _context, ...properties } = result.body;
    expect(properties).toEqual({
      accountEnabled: true,
      onPremisesSyncEnabled: true,
      userType: 'Member',
      id: ids.lynne,
    });
  });

  it('refuses $select of a property users do not have', async () => {
    const result = await harness.graph(`/users/${ids.megan}?$select=favouriteColour`);
    expect(result.status).toBe(400);
    expect(errorOf(result).message).toContain('favouriteColour');
  });

  it('answers an unknown user with Request_ResourceNotFound', async () => {
    const result = await harness.graph('/users/ghost@contoso.com');
    expect(result.status).toBe(404);
    expect(errorOf(result)).toMatchObject({
      code: 'Request_ResourceNotFound',
      message:
        "Resource 'ghost@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    });
  });

  it('blocks and re-enables sign-in', async () => {
    const blocked = await harness.graph(`/users/${ids.megan}`, {
      method: 'PATCH',
      body: { accountEnabled: false },
    });
    expect(blocked.status).toBe(204);
    expect(userOf(ids.megan)?.accountEnabled).toBe(false);
    await harness.graph(`/users/${ids.megan}`, { method: 'PATCH', body: { accountEnabled: true } });
    expect(userOf(ids.megan)?.accountEnabled).toBe(true);
  });

  it('resets a password, forcing a change, and keeps only the time of the change', async () => {
    const password = 'Xk4!mQ9#vL2pR7';
    const result = await harness.graph(`/users/${ids.megan}`, {
      method: 'PATCH',
      body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } },
    });
    expect(result.status).toBe(204);
    const user = userOf(ids.megan);
    expect(user?.forceChangePasswordNextSignIn).toBe(true);
    expect(Date.now() - Date.parse(user?.lastPasswordChangeDateTime ?? '')).toBeLessThan(10_000);
    expect(JSON.stringify(harness.tenant.state())).not.toContain(password);
    const state = await (await fetch(`${harness.tenant.url}/_sim/state`)).text();
    expect(state).not.toContain(password);
  });

  it.each([
    ['too short', 'Ab1!'],
    ['only two character classes', 'alllowercase123'],
  ])('refuses a weak password (%s)', async (_case, password) => {
    const result = await harness.graph(`/users/${ids.megan}`, {
      method: 'PATCH',
      body: { passwordProfile: { password } },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result)).toMatchObject({
      code: 'Request_BadRequest',
      message: 'The specified password does not comply with password complexity requirements.',
    });
  });

  it('refuses a password reset for an on-premises synced user', async () => {
    const before = userOf(ids.lynne)?.lastPasswordChangeDateTime;
    const result = await harness.graph(`/users/${ids.lynne}`, {
      method: 'PATCH',
      body: { passwordProfile: { password: 'Xk4!mQ9#vL2pR7', forceChangePasswordNextSignIn: true } },
    });
    expect(result.status).toBe(400);
    expect(errorOf(result).code).toBe('Request_BadRequest');
    expect(errorOf(result).message).toContain('on-premises mastered Directory Sync objects');
    expect(userOf(ids.lynne)?.lastPasswordChangeDateTime).toBe(before);
    expect(userOf(ids.lynne)?.forceChangePasswordNextSignIn).toBe(false);
  });

  it('revokes sign-in sessions and records signInSessionsValidFromDateTime', async () => {
    const result = await harness.graph(`/users/${ids.megan}/revokeSignInSessions`, { method: 'POST' });
    expect(result.status).toBe(200);
    expect(result.body.value).toBe(true);
    const selected = await harness.graph(`/users/${ids.megan}?$select=signInSessionsValidFromDateTime`);
    expect(Date.now() - Date.parse(String(selected.body.signInSessionsValidFromDateTime))).toBeLessThan(
      10_000,
    );
  });

  it('checks group membership and lists memberOf', async () => {
    const check = await harness.graph(`/users/${ids.alex}/checkMemberGroups`, {
      method: 'POST',
      body: { groupIds: [ids.socResponders, ids.helpdeskAdmins] },
    });
    expect(check.body.value).toEqual([ids.socResponders]);
    const memberOf = values(await harness.graph(`/users/${ids.megan}/memberOf`));
    expect(memberOf).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.group',
        id: ids.helpdeskAdmins,
        displayName: 'Helpdesk Admins',
        isAssignableToRole: true,
      }),
    ]);
  });

  it('removes and re-adds a group member, and 404s removing a non-member', async () => {
    const removed = await harness.graph(`/groups/${ids.helpdeskAdmins}/members/${ids.megan}/$ref`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    expect(harness.tenant.state().groups.find((g) => g.id === ids.helpdeskAdmins)?.members).not.toContain(
      ids.megan,
    );
    const again = await harness.graph(`/groups/${ids.helpdeskAdmins}/members/${ids.megan}/$ref`, {
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
    const added = await harness.graph(`/groups/${ids.helpdeskAdmins}/members/$ref`, {
      method: 'POST',
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ids.megan}` },
    });
    expect(added.status).toBe(204);
    expect(harness.tenant.state().groups.find((g) => g.id === ids.helpdeskAdmins)?.members).toContain(
      ids.megan,
    );
    const duplicate = await harness.graph(`/groups/${ids.helpdeskAdmins}/members/$ref`, {
      method: 'POST',
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${ids.megan}` },
    });
    expect(duplicate.status).toBe(400);
  });
});

describe('Graph permissions and directory roles of the app', () => {
  it('answers 403 Authorization_RequestDenied when the route permission is withheld', async () => {
    const fixture = await defaultFixtureWith((f) => {
      (f.app as Record<string, unknown>).withheldPermissions = [
        'User.Read.All',
        'User.EnableDisableAccount.All',
      ];
    });
    const tenant = await startSimulatedTenant({ port: 0, fixture });
    try {
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const read = await readResult(await fetch(`${tenant.url}/v1.0/users/${ids.megan}`, { headers }));
      expect(read.status).toBe(403);
      expect(errorOf(read)).toMatchObject({
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
      const block = await fetch(`${tenant.url}/v1.0/users/${ids.megan}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ accountEnabled: false }),
      });
      expect(block.status).toBe(403);
      expect(tenant.state().users.find((u) => u.id === ids.megan)?.accountEnabled).toBe(true);
      const revoke = await fetch(`${tenant.url}/v1.0/users/${ids.megan}/revokeSignInSessions`, {
        method: 'POST',
        headers,
      });
      expect(revoke.status).toBe(200);
    } finally {
      await tenant.close();
    }
  });

  it('needs Privileged Authentication Administrator to reset or block a user who holds an admin role', async () => {
    const fixture = await defaultFixtureWith((f) => {
      (f.app as Record<string, unknown>).directoryRoles = ['User Administrator'];
    });
    const tenant = await startSimulatedTenant({ port: 0, fixture });
    try {
      const patch = (id: string, body: unknown) =>
        fetch(`${tenant.url}/v1.0/users/${id}`, {
          method: 'PATCH',
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const passwordProfile = { password: 'Xk4!mQ9#vL2pR7', forceChangePasswordNextSignIn: true };
      // Megan holds Exchange Administrator (and Helpdesk Administrator through a group).
      const adminReset = await readResult(await patch(ids.megan, { passwordProfile }));
      expect(adminReset.status).toBe(403);
      expect(errorOf(adminReset).code).toBe('Authorization_RequestDenied');
      expect((await patch(ids.megan, { accountEnabled: false })).status).toBe(403);
      // Adele holds no admin role, so User Administrator is enough.
      expect((await patch(ids.adele, { passwordProfile })).status).toBe(204);
    } finally {
      await tenant.close();
    }
  });
});
