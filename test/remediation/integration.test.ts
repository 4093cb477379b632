import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import type { SimulatedTenant } from '../../src/simulator';
import { IDS, ROLE } from '../support/fakeM365Services';
import { ADELE, ALEX, ISAIAH, createEngine } from './support';
import { contosoFixture, mailboxOf, servicesFor, startTenant, successfulWrites } from './simulatedTenant';

function step(incident: IncidentView, id: StepView['id']): StepView {
  const found = incident.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

let tenant: SimulatedTenant;

beforeAll(async () => {
  tenant = await startTenant();
});
afterAll(async () => {
  await tenant.close();
});
beforeEach(() => {
  tenant.reset();
  tenant.resetLog();
});

async function openForMegan() {
  const { engine, store } = createEngine(servicesFor(tenant));
  const opened = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'teams' },
  });
  const incident = opened.incidents[0];
  if (!incident) throw new Error(`not opened: ${JSON.stringify(opened.refused)}`);
  return { engine, store, incident };
}

describe('every step on Megan against the simulated tenant', () => {
  it('cleans the account and verifies each step', async () => {
    const { engine, incident } = await openForMegan();
    expect(successfulWrites(tenant)).toEqual([]);
    const { incident: done, secret } = await engine.approveAllRemaining(incident.id, ADELE);

    expect(done.steps.map((s) => [s.id, s.status, s.verified])).toEqual(
      done.steps.map((s) => [s.id, 'done', true]),
    );
    expect(done.status).toBe('completed');
    expect(secret?.kind).toBe('password');

    const state = tenant.state();
    const megan = state.users.find((user) => user.id === IDS.megan);
    expect(megan?.accountEnabled).toBe(false);
    expect(megan?.signInSessionsValidFromDateTime).not.toBeNull();

    const mailbox = mailboxOf(state, IDS.megan);
    expect(mailbox.forwardingSmtpAddress).toBeNull();
    expect(mailbox.forwardingAddress).toBeNull();
    // Malicious rules gone (the hidden one too), benign ones kept.
    expect(mailbox.inboxRules.map((rule) => rule.name).sort()).toEqual(
      ['Expense reports to Patti', 'Newsletters', 'Out of office replies'].sort(),
    );
    expect(mailbox.permissions.filter((p) => p.user === 'svc-sync@contoso.com')).toEqual([]);
    expect(mailbox.recipientPermissions.filter((p) => p.trustee === 'svc-sync@contoso.com')).toEqual([]);

    expect(state.roleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    expect(state.roleEligibilitySchedules.filter((e) => e.principalId === IDS.megan)).toEqual([]);
    expect(state.groups.find((g) => g.id === IDS.helpdeskAdmins)?.members).not.toContain(IDS.megan);

    const methods = state.authenticationMethods.filter((m) => m.userId === IDS.megan).map((m) => m.type);
    expect(methods.sort()).toEqual(['microsoftAuthenticator', 'password']);
    expect(state.oauth2PermissionGrants.filter((g) => g.clientId === IDS.mailSyncPro)).toEqual([]);
    // The verified-publisher app (Zoom) is kept.
    expect(state.oauth2PermissionGrants.filter((g) => g.principalId === IDS.megan)).toHaveLength(1);
    expect(state.appRoleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    expect(state.blockedSenders.map((b) => b.senderAddress.toLowerCase())).not.toContain(
      'meganb@contoso.com',
    );
    expect(state.riskyUsers.find((u) => u.id === IDS.megan)?.riskState).toBe('confirmedCompromised');

    // One write per action, nothing more: two PATCHes of Megan (block, password), four Remove-InboxRule.
    const writes = successfulWrites(tenant);
    const count = (fragment: string) => writes.filter((w) => w.includes(fragment)).length;
    expect(writes).toHaveLength(18);
    expect(count(`PATCH /v1.0/users/${IDS.megan}`)).toBe(2);
    expect(count('Remove-InboxRule')).toBe(4);
    expect(count('confirmCompromised')).toBe(1);
    expect(JSON.stringify(state)).not.toContain(secret?.value);
  });

  it('undoes admin-roles: the active role, the PIM eligibility and the group membership return', async () => {
    const { engine, incident } = await openForMegan();
    await engine.approveStep(incident.id, 'admin-roles', ADELE);
    expect(tenant.state().roleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);

    await engine.undoStep(incident.id, 'admin-roles', ADELE);
    expect(tenant.state().roleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    const undone = await engine.undoStep(incident.id, 'admin-roles', ISAIAH);
    expect(undone.step.undoneBy?.id).toBe(ISAIAH.id);
    const state = tenant.state();
    expect(
      state.roleAssignments.filter((a) => a.principalId === IDS.megan).map((a) => a.roleDefinitionId),
    ).toEqual([ROLE.exchangeAdmin]);
    expect(
      state.roleEligibilitySchedules
        .filter((e) => e.principalId === IDS.megan)
        .map((e) => e.roleDefinitionId),
    ).toEqual([ROLE.securityReader]);
    expect(state.groups.find((g) => g.id === IDS.helpdeskAdmins)?.members).toContain(IDS.megan);
  });

  it('removes every chosen sign-in method even when the default one is refused first, never the password', async () => {
    const { engine, incident } = await openForMegan();
    const all = step(incident, 'auth-methods').findings.map((finding) => finding.id);
    const outcome = await engine.approveStep(incident.id, 'auth-methods', ADELE, { selectedFindingIds: all });
    expect(outcome.step.status).toBe('done');
    const left = tenant.state().authenticationMethods.filter((m) => m.userId === IDS.megan);
    expect(left.map((m) => m.type)).toEqual(['password']);
  });

  it('hands out a Temporary Access Pass, replacing one that already exists', async () => {
    const { engine, incident } = await openForMegan();
    const first = await engine.approveStep(incident.id, 'reset-password', ADELE, {
      credentialKind: 'temporaryAccessPass',
    });
    expect(first.secret?.kind).toBe('temporaryAccessPass');
    expect(first.step).toMatchObject({ status: 'done', verified: true });
    // A second incident later finds the TAP from the first one and replaces it.
    await engine.cancelIncident(incident.id, ADELE);
    const { engine: again } = createEngine(servicesFor(tenant));
    const reopened = await again.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    const second = await again.approveStep(reopened.incidents[0]?.id ?? '', 'reset-password', ADELE, {
      credentialKind: 'temporaryAccessPass',
    });
    expect(second.step.status).toBe('done');
    expect(second.secret?.value).not.toBe(first.secret?.value);
    const taps = tenant
      .state()
      .authenticationMethods.filter((m) => m.userId === IDS.megan && m.type === 'temporaryAccessPass');
    expect(taps).toHaveLength(1);
    expect(JSON.stringify(tenant.state())).not.toContain(second.secret?.value);
  });

  it('writes exactly once when 50 approvals of the same step arrive together', async () => {
    const { engine, incident } = await openForMegan();
    tenant.resetLog();
    await Promise.all(
      Array.from({ length: 50 }, () => engine.approveStep(incident.id, 'block-sign-in', ADELE)),
    );
    expect(successfulWrites(tenant)).toEqual([`PATCH /v1.0/users/${IDS.megan}`]);
    expect(tenant.requestLog().filter((entry) => entry.write)).toHaveLength(1);
  });
});

describe('policy against the simulated tenant', () => {
  it('refuses a requester who is not a responder', async () => {
    const { engine } = createEngine(servicesFor(tenant));
    const patti = { id: IDS.patti, displayName: 'Patti Fernandez' };
    await expect(
      engine.openIncidents({ targets: ['MeganB@contoso.com'], requester: patti, origin: { kind: 'teams' } }),
    ).rejects.toMatchObject({ code: 'NotResponder' });
  });

  it('refuses self-approval under four-eyes', async () => {
    const { engine, incident } = await openForMegan();
    await expect(engine.approveStep(incident.id, 'block-sign-in', ALEX)).rejects.toMatchObject({
      code: 'SelfApproval',
    });
    expect(successfulWrites(tenant)).toEqual([]);
  });

  it('refuses the break-glass account', async () => {
    const { engine } = createEngine(servicesFor(tenant));
    const result = await engine.openIncidents({
      targets: ['breakglass01@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    expect(result.incidents).toEqual([]);
    expect(result.refused[0]?.code).toBe('ProtectedAccount');
  });

  it('keeps the last Global Administrator', async () => {
    const fixture = contosoFixture();
    fixture.roleAssignments = (fixture.roleAssignments ?? []).filter((a) => a.principalId !== IDS.breakGlass);
    const single = await startTenant(fixture);
    try {
      const { engine } = createEngine(servicesFor(single));
      const { incidents } = await engine.openIncidents({
        targets: ['PattiF@contoso.com'],
        requester: ALEX,
        origin: { kind: 'teams' },
      });
      const incident = incidents[0] as IncidentView;
      const ga = step(incident, 'admin-roles').findings.find((f) => f.title.includes('Global Administrator'));
      expect(ga?.selectedByDefault).toBe(false);
      await expect(
        engine.approveStep(incident.id, 'admin-roles', ADELE, { selectedFindingIds: [ga?.id ?? ''] }),
      ).rejects.toMatchObject({ code: 'LastGlobalAdministrator' });
      expect(single.state().roleAssignments.some((a) => a.principalId === IDS.patti)).toBe(true);
    } finally {
      await single.close();
    }
  });

  it('turns a withheld permission into manual guidance instead of failing', async () => {
    const fixture = contosoFixture();
    fixture.app = {
      ...fixture.app,
      withheldPermissions: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All'],
    };
    const restricted = await startTenant(fixture);
    try {
      const { engine } = createEngine(servicesFor(restricted));
      const { incidents } = await engine.openIncidents({
        targets: ['MeganB@contoso.com'],
        requester: ALEX,
        origin: { kind: 'teams' },
      });
      const consents = step(incidents[0] as IncidentView, 'app-consents');
      expect(consents.status).toBe('pending');
      expect(consents.manualGuidance).toContain('Enterprise applications');
    } finally {
      await restricted.close();
    }
  });
});
