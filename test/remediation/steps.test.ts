import { describe, expect, it } from 'vitest';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { FakeM365, IDS } from '../support/fakeM365Services';
import { ADELE, ALEX, ISAIAH, createEngine } from './support';

function step(incident: IncidentView | undefined, id: StepView['id']): StepView {
  const found = incident?.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

async function open(fake: FakeM365, target = 'MeganB@contoso.com') {
  const { engine, store } = createEngine(fake.services);
  const { incidents } = await engine.openIncidents({
    targets: [target],
    requester: ALEX,
    origin: { kind: 'teams' },
  });
  const incident = incidents[0];
  if (!incident) throw new Error('not opened');
  return { engine, store, incident };
}

describe('step details', () => {
  it('tells a guest responder that the home organisation must reset the password', async () => {
    const fake = new FakeM365();
    fake.state.users.push({
      id: 'guest-1',
      userPrincipalName: 'pat_fabrikam.com#EXT#@contoso.com',
      displayName: 'Pat (Fabrikam)',
      accountEnabled: true,
      onPremisesSyncEnabled: false,
      userType: 'Guest',
    });
    const { incident } = await open(fake, 'guest-1');
    expect(step(incident, 'reset-password').manualGuidance).toContain('home organisation');
  });

  it('offers nothing to do when sign-in is already blocked and nobody forwards', async () => {
    const fake = new FakeM365();
    const isaiah = fake.state.users.find((u) => u.id === IDS.isaiah);
    if (isaiah) isaiah.accountEnabled = false;
    const { incident } = await open(fake, 'IsaiahL@contoso.com');
    expect(step(incident, 'block-sign-in')).toMatchObject({ nothingToDo: true, actions: [] });
    expect(step(incident, 'mailbox-forwarding').nothingToDo).toBe(true);
    expect(step(incident, 'inbox-rules').nothingToDo).toBe(true);
  });

  it('re-runs discovery when a failed discovery is retried', async () => {
    const fake = new FakeM365();
    fake.fail('exchange.getMailbox', 503, { times: 1 });
    const { engine, incident } = await open(fake);
    const failed = step(incident, 'mailbox-forwarding');
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('ServiceUnavailable');
    const retried = await engine.retryStep(incident.id, 'mailbox-forwarding', ADELE);
    expect(retried.step.status).toBe('pending');
    expect(retried.step.findings[0]?.reasons[0]).toContain(
      'megan.bowen.archive@gmail.com (outside contoso.com)',
    );
    expect(fake.writes()).toEqual([]);
  });

  it('treats an object that is already gone as done, without failing', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    fake.state.grants = [];
    const outcome = await engine.approveStep(incident.id, 'app-consents', ADELE);
    expect(outcome.step.status).toBe('done');
    expect(outcome.step.results[0]).toMatchObject({ outcome: 'done', verified: true, requestIds: [] });
  });

  it('undoes block-sign-in and mailbox-delegates', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    await engine.approveStep(incident.id, 'block-sign-in', ADELE);
    await engine.approveStep(incident.id, 'mailbox-delegates', ADELE);
    expect(fake.state.delegates).toEqual([]);
    for (const responder of [ADELE, ISAIAH]) {
      await engine.undoStep(incident.id, 'block-sign-in', responder);
      await engine.undoStep(incident.id, 'mailbox-delegates', responder);
    }
    expect(fake.state.users.find((u) => u.id === IDS.megan)?.accountEnabled).toBe(true);
    expect(fake.state.delegates.map((d) => `${d.trustee}/${d.right}`)).toEqual([
      'svc-sync@contoso.com/FullAccess',
    ]);
  });

  it('lets a failed undo be tried again without repeating the reverse writes that worked', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    await engine.approveStep(incident.id, 'admin-roles', ADELE);
    fake.fail('roles.createActiveAssignment', 503, { times: 1 });
    await engine.undoStep(incident.id, 'admin-roles', ADELE);
    const failed = await engine.undoStep(incident.id, 'admin-roles', ISAIAH);
    expect(failed.step.undoable).toBe(true);
    expect(failed.step.undoStatus).toBe('failed');
    // Trying again is a new undo: asked for and approved again.
    await engine.undoStep(incident.id, 'admin-roles', ISAIAH);
    const retried = await engine.undoStep(incident.id, 'admin-roles', ADELE);
    expect(retried.step.undoable).toBe(false);
    const reverse = fake
      .writes()
      .filter((w) => w.operation === 'roles.createEligibility' || w.operation === 'users.addGroupMember');
    expect(reverse).toHaveLength(2);
    expect(fake.state.assignments.filter((a) => a.principalId === IDS.megan)).toHaveLength(1);
  });

  it('refuses to undo a step that has no undo', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    await engine.approveStep(incident.id, 'auth-methods', ADELE);
    await expect(engine.undoStep(incident.id, 'auth-methods', ADELE)).rejects.toMatchObject({
      code: 'StepNotActionable',
    });
  });

  it('refuses unknown finding ids and unknown steps', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    await expect(
      engine.approveStep(incident.id, 'inbox-rules', ADELE, { selectedFindingIds: ['rule-99'] }),
    ).rejects.toMatchObject({ code: 'StepNotActionable' });
    await expect(engine.approveStep(incident.id, 'teleport' as StepView['id'], ADELE)).rejects.toMatchObject({
      code: 'StepNotActionable',
    });
    expect(fake.writes()).toEqual([]);
  });

  it('cancels an incident and then refuses further approvals', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    const cancelled = await engine.cancelIncident(incident.id, ALEX);
    expect(cancelled.status).toBe('cancelled');
    await expect(engine.approveStep(incident.id, 'block-sign-in', ADELE)).rejects.toMatchObject({
      code: 'IncidentClosed',
    });
    expect(await engine.listOpenIncidents()).toEqual([]);
    expect((await engine.history('meganb@contoso.com')).map((i) => i.id)).toEqual([incident.id]);
  });

  it('exports the audit log as JSON lines', async () => {
    const fake = new FakeM365();
    const { engine, incident } = await open(fake);
    await engine.approveStep(incident.id, 'block-sign-in', ADELE);
    const lines = (await engine.exportAudit(incident.id)).trim().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { event: string; actor?: { id: string } });
    expect(events.map((e) => e.event)).toEqual([
      'incident.opened',
      'incident.approved',
      'step.approved',
      'action.started',
      'action.done',
      'step.done',
    ]);
    expect(events[2]?.actor?.id).toBe(ADELE.id);
  });
});
