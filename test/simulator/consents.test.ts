import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ids, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Graph consents and app role assignments', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  const grantsOf = async (principalId: string) =>
    values(await harness.graph(`/oauth2PermissionGrants?$filter=principalId eq '${principalId}'`));

  it("lists Megan's grants, including Mail Sync Pro's Mail.ReadWrite", async () => {
    const grants = await grantsOf(ids.megan);
    expect(grants.every((grant) => grant.principalId === ids.megan)).toBe(true);
    expect(grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          clientId: ids.mailSyncPro,
          consentType: 'Principal',
          resourceId: ids.graphResource,
          scope: 'Mail.ReadWrite offline_access',
        }),
      ]),
    );
    const byClient = values(
      await harness.graph(`/oauth2PermissionGrants?$filter=clientId eq '${ids.mailSyncPro}'`),
    );
    expect(byClient).toHaveLength(1);
  });

  it('reads the client service principal with $select, publisher unverified', async () => {
    const result = await harness.graph(
      `/servicePrincipals/${ids.mailSyncPro}?$select=id,appId,displayName,verifiedPublisher`,
    );
    expect(result.body).toMatchObject({
      id: ids.mailSyncPro,
      displayName: 'Mail Sync Pro',
      verifiedPublisher: { displayName: null },
    });
    expect(result.body).not.toHaveProperty('servicePrincipalType');
  });

  it('deletes a grant and re-creates it', async () => {
    const grant = (await grantsOf(ids.megan)).find((g) => g.clientId === ids.mailSyncPro);
    expect(
      (await harness.graph(`/oauth2PermissionGrants/${String(grant?.id)}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await grantsOf(ids.megan)).some((g) => g.id === grant?.id)).toBe(false);
    expect(
      (await harness.graph(`/oauth2PermissionGrants/${String(grant?.id)}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const created = await harness.graph('/oauth2PermissionGrants', {
      method: 'POST',
      body: {
        clientId: ids.mailSyncPro,
        consentType: 'Principal',
        principalId: ids.megan,
        resourceId: ids.graphResource,
        scope: 'Mail.ReadWrite offline_access',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId: ids.mailSyncPro,
      principalId: ids.megan,
      scope: 'Mail.ReadWrite offline_access',
    });
  });

  it("lists and deletes a user's app role assignments", async () => {
    const assignments = values(await harness.graph(`/users/${ids.megan}/appRoleAssignments`));
    expect(assignments).toEqual([
      expect.objectContaining({
        resourceId: ids.mailSyncPro,
        resourceDisplayName: 'Mail Sync Pro',
        principalId: ids.megan,
      }),
    ]);
    const id = String(assignments[0]?.id);
    expect(
      (await harness.graph(`/users/${ids.megan}/appRoleAssignments/${id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect(values(await harness.graph(`/users/${ids.megan}/appRoleAssignments`))).toEqual([]);
    expect(
      (await harness.graph(`/users/${ids.megan}/appRoleAssignments/${id}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });
});
