import { describe, expect, it } from 'vitest';
import { PolicyError, STEP_IDS } from '../../src/remediation/contract';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { FakeM365, IDS, ROLE } from '../support/fakeM365Services';
import { ADELE, ALEX, DEFAULT_POLICY, ISAIAH, MEGAN, createEngine } from './support';

function step(incident: IncidentView, id: StepView['id']): StepView {
  const found = incident.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

async function openForMegan(fake = new FakeM365()) {
  const { engine, store } = createEngine(fake.services);
  const opened = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'cli' },
  });
  const incident = opened.incidents[0];
  if (!incident) throw new Error('no incident');
  return { engine, store, fake, incident, opened };
}

describe('opening an incident', () => {
  it('discovers every step for the compromised user, with reasons', async () => {
    const { incident } = await openForMegan();
    expect(incident.steps.map((s) => s.id)).toEqual([...STEP_IDS]);
    expect(incident.status).toBe('awaiting-approval');

    const rules = step(incident, 'inbox-rules');
    const selected = rules.findings.filter((f) => f.selectedByDefault).map((f) => f.title);
    expect(selected).toEqual(
      expect.arrayContaining(["Hidden rule 'Sync'", "Rule 'Archive copy'", "Rule 'Cleanup'", "Rule '.'"]),
    );
    expect(selected).toHaveLength(4);
    const reasons = rules.findings.flatMap((f) => f.reasons).join('\n');
    expect(reasons).toContain(
      'forwards as attachment to megan.bowen.archive@gmail.com (outside contoso.com)',
    );
    expect(reasons).toContain("deletes mail whose subject contains 'invoice'");

    expect(step(incident, 'auth-methods').findings.find((f) => f.selectedByDefault)?.reasons[0]).toContain(
      'added 2 hours ago',
    );
    expect(step(incident, 'admin-roles').findings.map((f) => f.title)).toEqual([
      'Active role: Exchange Administrator',
      'Eligible role (PIM): Security Reader',
      'Member of role-assignable group Helpdesk Admins',
    ]);
    const evidence = step(incident, 'sign-in-evidence');
    expect(evidence.nothingToDo).toBe(true);
    expect(evidence.findings.find((f) => f.suspicion === 'high')?.title).toContain('Nigeria (Lagos)');
    expect(evidence.findings.find((f) => f.title.includes('Norway'))?.suspicion).toBe('none');
  });

  it('joins the open incident when the same target is requested again', async () => {
    const { engine, incident } = await openForMegan();
    const again = await engine.openIncidents({
      targets: ['meganb@contoso.com'],
      requester: ISAIAH,
      origin: { kind: 'teams' },
    });
    expect(again.joinedIncidentIds).toEqual([incident.id]);
    expect(again.incidents[0]?.id).toBe(incident.id);
  });

  it('refuses unknown targets, break-glass accounts and the bot itself, but opens the others', async () => {
    const fake = new FakeM365();
    fake.state.users.push({
      id: IDS.remediatorApp,
      userPrincipalName: 'remediator@contoso.com',
      displayName: 'Remediator',
      accountEnabled: true,
      onPremisesSyncEnabled: false,
      userType: 'Member',
    });
    const { engine } = createEngine(fake.services);
    const result = await engine.openIncidents({
      targets: ['nobody@contoso.com', 'breakglass01@contoso.com', IDS.remediatorApp, 'IsaiahL@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    expect(result.refused.map((r) => r.code)).toEqual([
      'UnknownTarget',
      'ProtectedAccount',
      'ProtectedAccount',
    ]);
    expect(result.incidents.map((i) => i.target.userPrincipalName)).toEqual(['IsaiahL@contoso.com']);
  });

  it('refuses a requester who is not a responder', async () => {
    const { engine } = createEngine(new FakeM365().services);
    await expect(
      engine.openIncidents({ targets: ['IsaiahL@contoso.com'], requester: MEGAN, origin: { kind: 'cli' } }),
    ).rejects.toMatchObject({ code: 'NotResponder' });
  });

  it('turns a 403 during discovery into manual guidance naming the permission', async () => {
    const fake = new FakeM365();
    fake.fail('exchange.getBlockedSenderAddress', 403);
    const { incident } = await openForMegan(fake);
    const unblock = step(incident, 'unblock-sending');
    expect(unblock.status).toBe('pending');
    expect(unblock.manualGuidance).toContain('Restricted entities');
    expect(unblock.manualGuidance).toContain('Exchange.ManageAsApp');
  });

  it('falls back to Graph for inbox rules when Exchange is unavailable, and says hidden rules were not checked', async () => {
    const fake = new FakeM365();
    fake.fail('exchange.getInboxRule', 503);
    const { incident } = await openForMegan(fake);
    const rules = step(incident, 'inbox-rules');
    expect(rules.findings[0]?.id).toBe('hidden-rules-unchecked');
    expect(rules.findings.some((f) => f.title.startsWith("Hidden rule '"))).toBe(false);
  });

  it('explains that a synced user must be reset on-premises', async () => {
    const fake = new FakeM365();
    const { engine } = createEngine(fake.services, { policy: { ...DEFAULT_POLICY, fourEyes: false } });
    const { incidents } = await engine.openIncidents({
      targets: ['LynneR@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const incident = incidents[0] as IncidentView;
    expect(step(incident, 'reset-password').manualGuidance).toContain('on-premises');
    await expect(engine.approveStep(incident.id, 'reset-password', ALEX)).rejects.toMatchObject({
      code: 'StepNotActionable',
    });
  });
});

describe('remediating every step', () => {
  it('records the approval of every step before any step runs (a crash right after the click loses none)', async () => {
    const { engine, incident, store } = await openForMegan();
    const transitions: string[] = [];
    const transitionStep = store.transitionStep.bind(store);
    store.transitionStep = async (incidentId, stepId, from, to, patch) => {
      const won = await transitionStep(incidentId, stepId, from, to, patch);
      if (won) transitions.push(`${stepId}:${to}`);
      return won;
    };
    await engine.approveAllRemaining(incident.id, ADELE);
    const firstRun = transitions.findIndex((entry) => entry.endsWith(':running'));
    const approvals = transitions.filter((entry) => entry.endsWith(':approved'));
    expect(approvals).toContain('reset-password:approved');
    expect(firstRun).toBeGreaterThan(transitions.lastIndexOf(approvals[approvals.length - 1] ?? ''));
  });

  it('approves all remaining steps and leaves the account clean, verified', async () => {
    const { engine, fake, incident, store } = await openForMegan();
    const { incident: done, secret } = await engine.approveAllRemaining(incident.id, ADELE);

    expect(done.status).toBe('completed');
    for (const view of done.steps)
      expect({ id: view.id, status: view.status }).toEqual({ id: view.id, status: 'done' });
    expect(done.steps.filter((s) => !s.verified).map((s) => s.id)).toEqual([]);
    expect(secret?.kind).toBe('password');
    expect(secret?.value.length).toBeGreaterThanOrEqual(16);

    const s = fake.state;
    const megan = s.users.find((u) => u.id === IDS.megan);
    expect(megan?.accountEnabled).toBe(false);
    expect(s.forwarding['meganb@contoso.com']?.forwardingSmtpAddress).toBeNull();
    expect(s.rules['meganb@contoso.com']?.map((r) => r.id).sort()).toEqual([
      'r-colleague',
      'r-disabled',
      'r-news',
    ]);
    expect(s.assignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    expect(s.eligibilities.filter((e) => e.principalId === IDS.megan)).toEqual([]);
    expect(s.groups.find((g) => g.groupId === IDS.helpdeskAdmins)?.members).not.toContain(IDS.megan);
    expect(s.methods[IDS.megan]?.map((m) => m.id)).toEqual(['pw', 'auth-app']);
    expect(s.grants).toEqual([]);
    expect(s.delegates).toEqual([]);
    expect(s.blocked).toEqual([]);
    expect(s.risky[IDS.megan]?.riskState).toBe('confirmedCompromised');
    expect(fake.writes().filter((w) => w.operation === 'users.revokeSignInSessions')).toHaveLength(1);

    // Request ids of every write are kept with the results.
    const rules = step(done, 'inbox-rules');
    expect(rules.results.every((r) => r.requestIds.length === 1)).toBe(true);

    // The secret never reaches the store or the audit log.
    const stored = JSON.stringify([
      await store.listAudit(),
      await store.listSteps(incident.id),
      await store.getIncident(incident.id),
    ]);
    expect(stored).not.toContain(secret?.value);
    expect(await engine.report(incident.id)).not.toContain(secret?.value);
    expect(await engine.exportAudit(incident.id)).not.toContain(secret?.value);
  });

  it('hands out a Temporary Access Pass instead of a password when asked', async () => {
    const { engine, fake, incident } = await openForMegan();
    const outcome = await engine.approveStep(incident.id, 'reset-password', ADELE, {
      credentialKind: 'temporaryAccessPass',
    });
    expect(outcome.secret).toMatchObject({ kind: 'temporaryAccessPass', value: 'TAP-SECRET-VALUE' });
    expect(outcome.secret?.expiresAt).toBeDefined();
    expect(fake.writes().map((w) => w.operation)).toEqual(['authMethods.createTemporaryAccessPass']);
    expect(outcome.step.verified).toBe(true);
  });

  it('deletes only the findings the responder selected', async () => {
    const { engine, fake, incident } = await openForMegan();
    const rules = step(incident, 'inbox-rules');
    const cleanup = rules.findings.find((f) => f.title === "Rule 'Cleanup'");
    await engine.approveStep(incident.id, 'inbox-rules', ADELE, { selectedFindingIds: [cleanup?.id ?? ''] });
    expect(fake.writes().map((w) => w.args[1])).toEqual(['r-invoice']);
  });

  it('deletes non-default methods first when Entra refuses to delete the default one', async () => {
    const fake = new FakeM365();
    const methods = fake.state.methods[IDS.megan] ?? [];
    for (const method of methods) method.isDefault = method.id === 'phone-attacker';
    const { engine, incident } = await openForMegan(fake);
    const all = step(incident, 'auth-methods').findings.map((f) => f.id);
    const outcome = await engine.approveStep(incident.id, 'auth-methods', ADELE, { selectedFindingIds: all });
    expect(outcome.step.status).toBe('done');
    expect(fake.state.methods[IDS.megan]?.map((m) => m.id)).toEqual(['pw']);
    expect(fake.writes().map((w) => (w.args[1] as { id: string }).id)).toEqual([
      'auth-app',
      'phone-attacker',
    ]);
  });

  it('reports a failed write with a remedy, and retries it', async () => {
    const fake = new FakeM365();
    fake.fail('exchange.setMailbox', 503, { times: 1 });
    const { engine, incident } = await openForMegan(fake);
    const failed = await engine.approveStep(incident.id, 'mailbox-forwarding', ADELE);
    expect(failed.step.status).toBe('failed');
    expect(failed.step.error).toMatchObject({ code: 'ServiceUnavailable' });
    expect(failed.step.error?.remedy).toBeTruthy();
    const retried = await engine.retryStep(incident.id, 'mailbox-forwarding', ADELE);
    expect(retried.step.status).toBe('done');
    expect(fake.state.forwarding['meganb@contoso.com']?.forwardingSmtpAddress).toBeNull();
  });

  it('undoes admin-roles: active role, PIM eligibility and group membership come back', async () => {
    const { engine, fake, incident } = await openForMegan();
    await engine.approveStep(incident.id, 'admin-roles', ADELE);
    expect(fake.state.assignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    // Adele asks; nothing is written until a second responder approves.
    const writesBefore = fake.writes().length;
    const asked = await engine.undoStep(incident.id, 'admin-roles', ADELE);
    expect(asked.step).toMatchObject({ undoStatus: 'requested', undoRequestedBy: ADELE, undoable: true });
    expect(fake.writes()).toHaveLength(writesBefore);
    await expect(engine.undoStep(incident.id, 'admin-roles', ADELE)).rejects.toMatchObject({
      code: 'SelfApproval',
    });
    await expect(engine.undoStep(incident.id, 'admin-roles', MEGAN)).rejects.toMatchObject({
      code: 'TargetCannotApprove',
    });
    expect(fake.writes()).toHaveLength(writesBefore);
    const undone = await engine.undoStep(incident.id, 'admin-roles', ISAIAH);
    expect(undone.step.undoneBy?.id).toBe(ISAIAH.id);
    expect(undone.step.undoRequestedBy?.id).toBe(ADELE.id);
    expect(undone.step.undoable).toBe(false);
    expect(
      fake.state.assignments.filter((a) => a.principalId === IDS.megan).map((a) => a.roleDefinitionId),
    ).toEqual([ROLE.exchangeAdmin]);
    expect(fake.state.eligibilities.map((e) => e.roleDefinitionId)).toContain(ROLE.securityReader);
    expect(fake.state.groups.find((g) => g.groupId === IDS.helpdeskAdmins)?.members).toContain(IDS.megan);
    // A second undo does not write again.
    const writes = fake.writes().length;
    await engine.undoStep(incident.id, 'admin-roles', ISAIAH);
    expect(fake.writes()).toHaveLength(writes);
  });

  it('undoes inbox-rules by re-creating the deleted rule, and forwarding by restoring it', async () => {
    const { engine, fake, incident } = await openForMegan();
    const cleanup = step(incident, 'inbox-rules').findings.find((f) => f.title === "Rule 'Cleanup'");
    await engine.approveStep(incident.id, 'inbox-rules', ADELE, { selectedFindingIds: [cleanup?.id ?? ''] });
    await engine.undoStep(incident.id, 'inbox-rules', ADELE);
    await engine.undoStep(incident.id, 'inbox-rules', ISAIAH);
    expect(fake.state.rules['meganb@contoso.com']?.map((r) => r.name)).toContain('Cleanup');

    await engine.approveStep(incident.id, 'mailbox-forwarding', ADELE);
    await engine.undoStep(incident.id, 'mailbox-forwarding', ADELE);
    expect(fake.state.forwarding['meganb@contoso.com']?.forwardingSmtpAddress).toBeNull();
    await engine.undoStep(incident.id, 'mailbox-forwarding', ISAIAH);
    expect(fake.state.forwarding['meganb@contoso.com']?.forwardingSmtpAddress).toBe(
      'smtp:megan.bowen.archive@gmail.com',
    );
  });

  it('writes exactly once when 50 approvals of the same step arrive together', async () => {
    const { engine, fake, incident } = await openForMegan();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => engine.approveStep(incident.id, 'block-sign-in', ADELE)),
    );
    expect(fake.writes()).toHaveLength(1);
    expect(outcomes.filter((o) => o.step.status === 'done').length).toBeGreaterThanOrEqual(1);
    const final = await engine.getIncident(incident.id);
    expect(final && step(final, 'block-sign-in').status).toBe('done');
  });

  it('skips a step and completes the incident once every step is done or skipped', async () => {
    const { engine, incident } = await openForMegan();
    for (const id of STEP_IDS) {
      if (id === 'confirm-compromised') await engine.skipStep(incident.id, id, ALEX);
      else await engine.approveStep(incident.id, id, ADELE);
    }
    const final = await engine.getIncident(incident.id);
    expect(final?.status).toBe('completed');
    expect(final && step(final, 'confirm-compromised').skippedBy?.id).toBe(ALEX.id);
    await expect(engine.approveStep(incident.id, 'block-sign-in', ADELE)).rejects.toMatchObject({
      code: 'IncidentClosed',
    });
  });
});

describe('policy', () => {
  it('refuses self-approval under four-eyes, and allows it when four-eyes is off', async () => {
    const { engine, incident } = await openForMegan();
    await expect(engine.approveIncident(incident.id, ALEX)).rejects.toMatchObject({ code: 'SelfApproval' });
    await expect(engine.approveStep(incident.id, 'block-sign-in', ALEX)).rejects.toBeInstanceOf(PolicyError);

    const relaxed = createEngine(new FakeM365().services, { policy: { ...DEFAULT_POLICY, fourEyes: false } });
    const { incidents } = await relaxed.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const outcome = await relaxed.engine.approveStep(incidents[0]?.id ?? '', 'block-sign-in', ALEX);
    expect(outcome.step.status).toBe('done');
  });

  it('refuses approval by the target and by non-responders, and audits the refusal', async () => {
    const { engine, incident, store } = await openForMegan();
    await expect(engine.approveIncident(incident.id, MEGAN)).rejects.toMatchObject({
      code: 'TargetCannotApprove',
    });
    await expect(
      engine.approveIncident(incident.id, { id: IDS.patti, displayName: 'Patti Fernandez' }),
    ).rejects.toMatchObject({ code: 'NotResponder' });
    const refusals = (await store.listAudit(incident.id)).filter((e) => e.outcome === 'refused');
    expect(refusals.map((e) => e.detail?.split(':')[0])).toEqual(['TargetCannotApprove', 'NotResponder']);
  });

  it('records the second responder approval and opens the incident', async () => {
    const { engine, incident } = await openForMegan();
    const approved = await engine.approveIncident(incident.id, ADELE);
    expect(approved.status).toBe('open');
    expect(approved.approvals.map((a) => a.actor.id)).toEqual([ADELE.id]);
  });

  it('keeps the last Global Administrator', async () => {
    const fake = new FakeM365();
    // Patti becomes the only Global Administrator.
    fake.state.assignments = fake.state.assignments.filter((a) => a.principalId !== IDS.breakGlass);
    const { engine } = createEngine(fake.services);
    const { incidents } = await engine.openIncidents({
      targets: ['PattiF@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const incident = incidents[0] as IncidentView;
    const roles = step(incident, 'admin-roles');
    const ga = roles.findings.find((f) => f.title.includes('Global Administrator'));
    expect(ga?.selectedByDefault).toBe(false);
    expect(ga?.reasons.join(' ')).toContain('last Global Administrator');
    expect(roles.actions).toEqual([]);
    await expect(
      engine.approveStep(incident.id, 'admin-roles', ADELE, { selectedFindingIds: [ga?.id ?? ''] }),
    ).rejects.toMatchObject({ code: 'LastGlobalAdministrator' });
    expect(fake.writes()).toEqual([]);
  });

  it('removes a Global Administrator when another one remains', async () => {
    const fake = new FakeM365();
    const { engine } = createEngine(fake.services);
    const { incidents } = await engine.openIncidents({
      targets: ['PattiF@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const outcome = await engine.approveStep(incidents[0]?.id ?? '', 'admin-roles', ADELE);
    expect(outcome.step.status).toBe('done');
    expect(fake.state.assignments.some((a) => a.principalId === IDS.patti)).toBe(false);
  });

  it('caches the responders check briefly', async () => {
    const fake = new FakeM365();
    const { engine } = createEngine(fake.services);
    await engine.isResponder(ALEX);
    await engine.isResponder(ALEX);
    expect(fake.calls.filter((c) => c.operation === 'users.checkMemberGroups')).toHaveLength(1);
  });
});

describe('exactly once across a crash', () => {
  it('verifies an in-flight write after a restart instead of repeating it', async () => {
    const fake = new FakeM365();
    let armed = true;
    const crashHook = (point: string) => {
      if (armed && point === 'after-write') {
        armed = false;
        throw new Error('simulated crash');
      }
    };
    const first = createEngine(fake.services, { crashHook });
    const { incidents } = await first.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const incidentId = incidents[0]?.id ?? '';
    await expect(first.engine.approveStep(incidentId, 'inbox-rules', ADELE)).rejects.toThrow(
      'simulated crash',
    );
    expect(fake.writes()).toHaveLength(1);

    const restarted = createEngine(fake.services, { store: first.store });
    const resumed = await restarted.engine.resumeInterrupted();
    expect(resumed.map((i) => i.id)).toEqual([incidentId]);
    const rules = step(resumed[0] as IncidentView, 'inbox-rules');
    expect(rules.status).toBe('done');
    expect(rules.results).toHaveLength(4);
    const removed = fake.writes().map((w) => w.args[1]);
    expect(new Set(removed).size).toBe(removed.length);
    expect(removed).toHaveLength(4);
    const audit = await first.store.listAudit(incidentId);
    expect(audit.filter((e) => e.event === 'action.done')).toHaveLength(4);
    expect(audit.some((e) => e.detail?.includes('after a restart'))).toBe(true);
  });
});
