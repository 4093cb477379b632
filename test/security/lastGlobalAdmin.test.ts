import { afterEach, describe, expect, it } from 'vitest';
import { contosoFixture, startHarness } from './support/remediatorHarness';
import type { FixtureObject, Harness } from './support/remediatorHarness';
import { PEOPLE } from './support/teamsActivities';

/**
 * "The last Global Administrator" means the last one who can sign in. In Contoso Patti and the
 * break-glass account hold Global Administrator; with the break-glass account disabled, Patti is
 * the last usable one, and no step may lock her out.
 */

const BREAK_GLASS_ID = '9c4ef906-6f40-45f0-8925-ec80648f5460';
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function withBreakGlassDisabled(): FixtureObject {
  const fixture = contosoFixture();
  for (const user of fixture.users as { id: string; accountEnabled: boolean }[]) {
    if (user.id === BREAK_GLASS_ID) user.accountEnabled = false;
  }
  return fixture;
}

async function openPatti(fixture: FixtureObject): Promise<{ h: Harness; incidentId: string }> {
  harness = await startHarness({ fixture });
  const h = harness;
  await h.say(PEOPLE.alex, 'compromised PattiF@contoso.com');
  const [incident] = await h.app.engine.listOpenIncidents();
  if (!incident) throw new Error('no incident');
  await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
  h.tenant.resetLog();
  return { h, incidentId: incident.id };
}

const patti = (h: Harness) => h.tenant.state().users.find((user) => user.id === PEOPLE.patti.aadObjectId);

describe('the last Global Administrator who can sign in', () => {
  it.each([['block-sign-in'], ['reset-password'], ['revoke-sessions']])(
    '%s is refused for her, clearly, audited, and nothing is written',
    async (stepId) => {
      const { h, incidentId } = await openPatti(withBreakGlassDisabled());
      const response = await h.click(PEOPLE.adele, 'step.approve', { i: incidentId, s: stepId });
      expect(response.body).toMatch(/last Global Administrator who can sign in/);
      expect(await h.stepStatus(incidentId, stepId as 'block-sign-in')).toBe('pending');
      expect(h.writes()).toEqual([]);
      expect(patti(h)?.accountEnabled).toBe(true);
      expect((await h.audit()).filter((event) => event.outcome === 'refused')).toEqual([
        expect.objectContaining({ stepId, detail: expect.stringMatching(/^LastGlobalAdministrator/) }),
      ]);
    },
  );

  it('"Approve all remaining" leaves her able to sign in and still a Global Administrator', async () => {
    const { h, incidentId } = await openPatti(withBreakGlassDisabled());
    await h.click(PEOPLE.adele, 'incident.approveAll', { i: incidentId });
    expect(patti(h)?.accountEnabled).toBe(true);
    const written = h.writes().map((entry) => `${entry.method} ${entry.path}`);
    expect(
      written.filter((line) => line.includes(PEOPLE.patti.aadObjectId) && line.startsWith('PATCH')),
    ).toEqual([]);
    expect(written.some((line) => line.includes('revokeSignInSessions'))).toBe(false);
    expect(
      h.tenant
        .state()
        .roleAssignments.filter((assignment) => assignment.roleDefinitionId === GLOBAL_ADMINISTRATOR)
        .map((assignment) => assignment.principalId),
    ).toContain(PEOPLE.patti.aadObjectId);
  });

  it('with another enabled Global Administrator, blocking her goes ahead', async () => {
    const { h, incidentId } = await openPatti(contosoFixture());
    await h.click(PEOPLE.adele, 'step.approve', { i: incidentId, s: 'block-sign-in' });
    expect(await h.stepStatus(incidentId, 'block-sign-in')).toBe('done');
    expect(patti(h)?.accountEnabled).toBe(false);
  });
});
