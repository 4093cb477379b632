import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, ids, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Graph directory roles', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  const assignmentsOf = (principalId: string) =>
    harness.graph(
      `/roleManagement/directory/roleAssignments?$filter=principalId eq '${principalId}'&$expand=roleDefinition`,
    );

  it("lists a user's active assignments with the role definition embedded", async () => {
    const assignments = values(await assignmentsOf(ids.megan));
    expect(assignments).toEqual([
      expect.objectContaining({
        principalId: ids.megan,
        roleDefinitionId: ids.exchangeAdministrator,
        directoryScopeId: '/',
        roleDefinition: expect.objectContaining({
          id: ids.exchangeAdministrator,
          displayName: 'Exchange Administrator',
          templateId: ids.exchangeAdministrator,
          isBuiltIn: true,
        }),
      }),
    ]);
  });

  it('lists group-based assignments under the group and filters by role definition', async () => {
    expect(values(await assignmentsOf(ids.helpdeskAdmins))[0]).toMatchObject({
      roleDefinitionId: ids.helpdeskAdministrator,
    });
    const globalAdmins = values(
      await harness.graph(
        `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${ids.globalAdministrator}'`,
      ),
    );
    expect(globalAdmins.map((assignment) => assignment.principalId).sort()).toEqual(
      [ids.patti, ids.breakGlass].sort(),
    );
    expect(globalAdmins[0]).not.toHaveProperty('roleDefinition');
  });

  it('removes an assignment, 404s it afterwards, and re-creates it', async () => {
    const [assignment] = values(await assignmentsOf(ids.megan));
    const id = String(assignment?.id);
    expect((await harness.graph(`/roleManagement/directory/roleAssignments/${id}`)).status).toBe(200);
    expect(
      (await harness.graph(`/roleManagement/directory/roleAssignments/${id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    const gone = await harness.graph(`/roleManagement/directory/roleAssignments/${id}`);
    expect(gone.status).toBe(404);
    expect(errorOf(gone).code).toBe('Request_ResourceNotFound');
    expect(values(await assignmentsOf(ids.megan))).toEqual([]);

    const created = await harness.graph('/roleManagement/directory/roleAssignments', {
      method: 'POST',
      body: { principalId: ids.megan, roleDefinitionId: ids.exchangeAdministrator, directoryScopeId: '/' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      principalId: ids.megan,
      roleDefinitionId: ids.exchangeAdministrator,
    });
    expect(values(await assignmentsOf(ids.megan))).toHaveLength(1);
  });

  it('removes and re-assigns a PIM eligibility through schedule requests', async () => {
    const list = () =>
      harness.graph(
        `/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '${ids.megan}'&$expand=roleDefinition`,
      );
    const [eligibility] = values(await list());
    expect(eligibility).toMatchObject({
      principalId: ids.megan,
      roleDefinitionId: ids.securityReader,
      roleDefinition: expect.objectContaining({ displayName: 'Security Reader' }),
    });
    const request = {
      principalId: ids.megan,
      roleDefinitionId: ids.securityReader,
      directoryScopeId: '/',
      justification: 'Compromised account',
    };
    const removed = await harness.graph('/roleManagement/directory/roleEligibilityScheduleRequests', {
      method: 'POST',
      body: { action: 'adminRemove', ...request },
    });
    expect(removed.status).toBe(201);
    expect(removed.body).toMatchObject({
      action: 'adminRemove',
      status: 'Revoked',
      justification: 'Compromised account',
    });
    expect(values(await list())).toEqual([]);
    const twice = await harness.graph('/roleManagement/directory/roleEligibilityScheduleRequests', {
      method: 'POST',
      body: { action: 'adminRemove', ...request },
    });
    expect(twice.status).toBe(400);

    const assigned = await harness.graph('/roleManagement/directory/roleEligibilityScheduleRequests', {
      method: 'POST',
      body: { action: 'adminAssign', ...request, scheduleInfo: { expiration: { type: 'noExpiration' } } },
    });
    expect(assigned.status).toBe(201);
    expect(assigned.body.status).toBe('Provisioned');
    expect(values(await list())).toHaveLength(1);
    expect(harness.tenant.state().roleEligibilityScheduleRequests.map((r) => r.action)).toEqual([
      'adminRemove',
      'adminAssign',
    ]);
  });

  it('reads a role definition by id', async () => {
    const result = await harness.graph(
      `/roleManagement/directory/roleDefinitions/${ids.globalAdministrator}`,
    );
    expect(result.body).toMatchObject({
      displayName: 'Global Administrator',
      templateId: ids.globalAdministrator,
      isBuiltIn: true,
    });
    expect(
      (await harness.graph('/roleManagement/directory/roleDefinitions/00000000-0000-0000-0000-000000000000'))
        .status,
    ).toBe(404);
  });
});
