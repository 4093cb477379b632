import { describe, expect, it } from 'vitest';
import { ids, servicesFor, startTenant, useSimulatedServices } from './support';

const sim = useSimulatedServices();

describe('ConsentsClient over HTTP', () => {
  it("lists Megan's consents with app names and publisher verification resolved", async () => {
    const grants = await sim.services.consents.listPermissionGrants(ids.megan);
    const mailSync = grants.find((grant) => grant.clientId === ids.mailSyncPro);
    expect(mailSync).toMatchObject({
      clientDisplayName: 'Mail Sync Pro',
      clientVerifiedPublisher: undefined,
      resourceDisplayName: 'Microsoft Graph',
      consentType: 'Principal',
      principalId: ids.megan,
    });
    expect(mailSync?.scope.split(' ')).toEqual(expect.arrayContaining(['Mail.ReadWrite', 'offline_access']));
    expect(grants.find((grant) => grant.clientDisplayName === 'Zoom')?.clientVerifiedPublisher).toMatch(/.+/);
  });

  it('still lists grants by app id when service principals cannot be read', async () => {
    const limited = await startTenant({ withheldPermissions: ['Application.Read.All'] });
    try {
      const grants = await servicesFor(limited).consents.listPermissionGrants(ids.megan);
      expect(grants.find((grant) => grant.clientId === ids.mailSyncPro)?.clientDisplayName).toBe(
        ids.mailSyncPro,
      );
    } finally {
      await limited.close();
    }
  });

  it('revokes a consent and restores it', async () => {
    const [mailSync] = (await sim.services.consents.listPermissionGrants(ids.megan)).filter(
      (grant) => grant.clientId === ids.mailSyncPro,
    );
    await sim.services.consents.deletePermissionGrant(mailSync!.id);
    expect(
      (await sim.services.consents.listPermissionGrants(ids.megan)).map((grant) => grant.id),
    ).not.toContain(mailSync!.id);
    const restored = await sim.services.consents.createPermissionGrant(mailSync!);
    expect(restored).toMatchObject({
      clientId: ids.mailSyncPro,
      clientDisplayName: 'Mail Sync Pro',
      scope: mailSync!.scope,
      requestId: expect.stringMatching(/.+/),
    });
  });

  it('fails to revoke a consent that no longer exists', async () => {
    await expect(sim.services.consents.deletePermissionGrant('no-such-grant')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('refuses a grant without scopes before sending', async () => {
    sim.tenant.resetLog();
    await expect(
      sim.services.consents.createPermissionGrant({
        clientId: ids.mailSyncPro,
        resourceId: ids.graphResource,
        consentType: 'Principal',
        principalId: ids.megan,
        scope: ' ',
      }),
    ).rejects.toMatchObject({ code: 'BadRequest' });
    expect(sim.tenant.requestLog()).toHaveLength(0);
  });

  it('lists and removes app role assignments', async () => {
    const assignments = await sim.services.consents.listAppRoleAssignments(ids.megan);
    expect(assignments).toEqual([
      expect.objectContaining({
        principalId: ids.megan,
        resourceId: ids.mailSyncPro,
        resourceDisplayName: 'Mail Sync Pro',
      }),
    ]);
    await sim.services.consents.deleteAppRoleAssignment(ids.megan, assignments[0]!.id);
    expect(await sim.services.consents.listAppRoleAssignments(ids.megan)).toEqual([]);
  });

  it('fails on app role assignments of an unknown user or assignment', async () => {
    await expect(sim.services.consents.listAppRoleAssignments('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
    await expect(
      sim.services.consents.deleteAppRoleAssignment(ids.megan, 'no-such-assignment'),
    ).rejects.toMatchObject({
      code: 'NotFound',
    });
  });
});
