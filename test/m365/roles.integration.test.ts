import { describe, expect, it } from 'vitest';
import { ids, useSimulatedServices } from './support';

const sim = useSimulatedServices();

describe('RolesClient over HTTP', () => {
  it("lists Megan's active role with its name", async () => {
    const assignments = await sim.services.roles.listActiveAssignments(ids.megan);
    expect(assignments).toEqual([
      expect.objectContaining({
        principalId: ids.megan,
        roleDefinitionId: ids.exchangeAdministrator,
        roleName: 'Exchange Administrator',
        directoryScopeId: '/',
      }),
    ]);
  });

  it('lists the holders of Global Administrator (last-GA guard)', async () => {
    const holders = await sim.services.roles.listAssignmentsForRole(ids.globalAdministrator);
    expect(holders.map((holder) => holder.principalId).sort()).toEqual([ids.patti, ids.breakGlass].sort());
  });

  it('finds the group-based role through the group as principal', async () => {
    const viaGroup = await sim.services.roles.listActiveAssignments(ids.helpdeskAdmins);
    expect(viaGroup.map((assignment) => assignment.roleName)).toEqual(['Helpdesk Administrator']);
  });

  it('removes and restores an active assignment', async () => {
    const [assignment] = await sim.services.roles.listActiveAssignments(ids.megan);
    await sim.services.roles.removeActiveAssignment(assignment!.id);
    expect(await sim.services.roles.listActiveAssignments(ids.megan)).toEqual([]);
    const restored = await sim.services.roles.createActiveAssignment(assignment!);
    expect(restored).toMatchObject({
      principalId: ids.megan,
      roleDefinitionId: ids.exchangeAdministrator,
      roleName: 'Exchange Administrator',
      requestId: expect.stringMatching(/.+/),
    });
    expect((await sim.services.roles.listActiveAssignments(ids.megan)).map((a) => a.id)).toEqual([
      restored.id,
    ]);
  });

  it('fails to remove an assignment that no longer exists', async () => {
    await expect(sim.services.roles.removeActiveAssignment('no-such-assignment')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('fails to create an assignment for an unknown role definition', async () => {
    await expect(
      sim.services.roles.createActiveAssignment({
        principalId: ids.megan,
        roleDefinitionId: '00000000-0000-0000-0000-00000000beef',
        directoryScopeId: '/',
      }),
    ).rejects.toMatchObject({ status: expect.any(Number) });
  });

  it('lists, removes and restores a PIM eligibility', async () => {
    const [eligibility] = await sim.services.roles.listEligibilities(ids.megan);
    expect(eligibility).toMatchObject({ roleDefinitionId: ids.securityReader, roleName: 'Security Reader' });
    await sim.services.roles.removeEligibility(eligibility!, 'Account compromised: incident 42');
    expect(await sim.services.roles.listEligibilities(ids.megan)).toEqual([]);
    await sim.services.roles.createEligibility(eligibility!, 'Account trusted again: incident 42');
    expect((await sim.services.roles.listEligibilities(ids.megan)).map((e) => e.roleDefinitionId)).toEqual([
      ids.securityReader,
    ]);
  });

  it('requires a justification for PIM requests, before sending', async () => {
    const [eligibility] = await sim.services.roles.listEligibilities(ids.megan);
    sim.tenant.resetLog();
    await expect(sim.services.roles.removeEligibility(eligibility!, ' ')).rejects.toMatchObject({
      code: 'BadRequest',
    });
    expect(sim.tenant.requestLog()).toHaveLength(0);
  });

  it('fails to remove an eligibility the user does not have', async () => {
    await expect(
      sim.services.roles.removeEligibility(
        {
          id: 'x',
          principalId: ids.alex,
          roleDefinitionId: ids.globalAdministrator,
          roleName: 'Global Administrator',
          directoryScopeId: '/',
        },
        'test',
      ),
    ).rejects.toMatchObject({ status: expect.any(Number) });
  });

  it('rejects a principal id that is not a GUID', async () => {
    await expect(sim.services.roles.listActiveAssignments("x' or 1 eq 1")).rejects.toMatchObject({
      code: 'BadRequest',
    });
    await expect(sim.services.roles.listEligibilities('nope')).rejects.toMatchObject({ code: 'BadRequest' });
  });
});
