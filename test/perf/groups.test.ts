import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMassFixture } from '../../bench/massFixture';
import { ADELE, ALEX, startRig } from '../../bench/rig';
import type { Rig } from '../../bench/rig';
import { PolicyError } from '../../src/remediation';
import type { IncidentView } from '../../src/remediation';
import { summarizeGroup } from '../../src/remediation/groups';

const USERS = 8;

describe('a mass incident: many targets, one group, one approval', () => {
  let rig: Rig;
  let upns: string[];

  beforeAll(async () => {
    const mass = buildMassFixture(USERS);
    upns = mass.upns;
    rig = await startRig({ fixture: mass.fixture });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('opens one incident per target in one group, approves once, and completes every step', async () => {
    const opened = await rig.engine.openIncidents({
      targets: upns,
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    expect(opened.incidents).toHaveLength(USERS);
    expect(new Set(opened.incidents.map((incident) => incident.groupId))).toEqual(new Set([opened.groupId]));

    const before = await rig.engine.getGroupProgress(opened.groupId);
    expect(before.incidents).toBe(USERS);
    expect(before.incidentsByStatus['awaiting-approval']).toBe(USERS);
    expect(before.steps.find((step) => step.stepId === 'inbox-rules')?.counts.pending).toBe(USERS);
    expect(before.finished).toBe(false);

    // Four-eyes: the requester's group approval is refused once, for the whole group.
    await expect(rig.engine.approveGroup(opened.groupId, ALEX)).rejects.toBeInstanceOf(PolicyError);

    rig.tenant.resetLog();
    const { progress, secrets } = await rig.engine.approveGroup(opened.groupId, ADELE);
    expect(progress.failures).toEqual([]);
    expect(progress.incidentsByStatus.completed).toBe(USERS);
    expect(progress.finished).toBe(true);
    for (const step of progress.steps) expect(step.counts.done).toBe(USERS);
    // One new password per user, each tied to its incident, returned to the approver only.
    expect(secrets.map((entry) => entry.target).sort()).toEqual([...upns].sort());
    expect(new Set(secrets.map((entry) => entry.secret.value)).size).toBe(USERS);

    const state = rig.tenant.state();
    const victims = state.users.filter((user) => upns.includes(user.userPrincipalName));
    expect(victims.every((user) => user.accountEnabled === false)).toBe(true);
    expect(state.riskyUsers.filter((risky) => victims.some((user) => user.id === risky.id))).toHaveLength(
      USERS,
    );
    expect(
      state.riskyUsers
        .filter((risky) => victims.some((user) => user.id === risky.id))
        .every((risky) => risky.riskState === 'confirmedCompromised'),
    ).toBe(true);

    // Identity Protection allows 1 request/s: the users' confirmations share requests.
    const confirms = rig.tenant
      .requestLog()
      .filter((entry) => entry.path.endsWith('/identityProtection/riskyUsers/confirmCompromised'));
    expect(confirms.length).toBeLessThan(USERS);
    expect(confirms.length).toBeGreaterThanOrEqual(1);
  });

  it('shows per-user detail on demand', async () => {
    const opened = await rig.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    const detail = await rig.engine.listGroupIncidents(opened.groupId);
    expect(detail.map((incident) => incident.target.userPrincipalName)).toEqual(['MeganB@contoso.com']);
    expect(detail[0]?.steps).toHaveLength(12);
  });
});

describe('summarizeGroup', () => {
  const incident = (id: string, failed: boolean): IncidentView => ({
    id,
    groupId: 'g',
    target: {
      id,
      userPrincipalName: `${id}@contoso.com`,
      displayName: id,
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: false,
    },
    requester: { id: 'r', displayName: 'R' },
    origin: { kind: 'cli' },
    approvals: [],
    status: failed ? 'open' : 'completed',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    steps: [
      {
        id: 'block-sign-in',
        title: 'Block sign-in',
        summary: '',
        status: failed ? 'failed' : 'done',
        findings: [],
        actions: [],
        nothingToDo: false,
        verified: !failed,
        results: [],
        undoable: false,
        ...(failed
          ? {
              error: { code: 'PermissionDenied', message: 'needs User.EnableDisableAccount.All', remedy: '' },
            }
          : {}),
      },
    ],
  });

  it('counts steps per state and lists failures with their reasons', () => {
    const progress = summarizeGroup('g', [incident('a', false), incident('b', true)]);
    expect(progress.incidents).toBe(2);
    expect(progress.incidentsByStatus).toMatchObject({ completed: 1, open: 1 });
    expect(progress.steps.find((step) => step.stepId === 'block-sign-in')?.counts).toMatchObject({
      done: 1,
      failed: 1,
    });
    expect(progress.failures).toEqual([
      {
        incidentId: 'b',
        target: 'b@contoso.com',
        stepId: 'block-sign-in',
        code: 'PermissionDenied',
        message: 'needs User.EnableDisableAccount.All',
      },
    ]);
    expect(progress.finished).toBe(false);
  });
});
