import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/i18n/findings';
import { toInboxRuleChange } from '../../src/m365/exchange/auditLog';
import type { SignInEvent } from '../../src/m365/types';
import type { Finding } from '../../src/remediation/contract';
import { compromiseWindowFrom, withChangeTimes } from '../../src/remediation/rules/compromiseWindow';
import { scoreInboxRule } from '../../src/remediation/rules/scoreInboxRule';
import { inboxRules } from '../../src/remediation/steps/inboxRules';
import type { SimulatedTenant } from '../../src/simulator';
import { IDS } from '../support/fakeM365Services';
import { inboxRule } from '../support/inboxRules';
import { contosoFixture, servicesFor, startTenant } from './simulatedTenant';

function signIn(createdDateTime: string, extra: Partial<SignInEvent> = {}): SignInEvent {
  return {
    id: createdDateTime,
    createdDateTime,
    ipAddress: '203.0.113.7',
    appDisplayName: 'Office 365 Exchange Online',
    succeeded: true,
    riskLevel: 'none',
    ...extra,
  };
}

describe('the compromise window from the sign-in log', () => {
  it('starts at the earliest successful sign-in flagged medium or high risk, and stays open', () => {
    const window = compromiseWindowFrom([
      signIn('2026-11-20T12:00:00Z', { riskLevel: 'high' }),
      signIn('2026-11-20T09:00:00Z', { riskLevel: 'medium' }),
      signIn('2026-11-20T08:00:00Z', { riskLevel: 'high', succeeded: false }),
      signIn('2026-11-20T07:00:00Z', { riskLevel: 'low' }),
      signIn('2026-11-19T07:00:00Z'),
    ]);
    expect(window).toEqual({ start: '2026-11-20T09:00:00.000Z' });
  });

  it('gives no window when Identity Protection flagged nothing', () => {
    expect(compromiseWindowFrom([signIn('2026-11-20T07:00:00Z', { riskLevel: 'low' })])).toBeUndefined();
    expect(compromiseWindowFrom([signIn('2026-11-20T07:00:00Z', { riskLevel: 'hidden' })])).toBeUndefined();
    expect(compromiseWindowFrom([])).toBeUndefined();
  });
});

describe('rule change times from the unified audit log', () => {
  it('reads New-InboxRule by -Name and Set-InboxRule by -Identity (AuditData.CreationTime is UTC without a zone)', () => {
    const created = toInboxRuleChange({
      CreationDate: '2026-11-20T10:00:00',
      Operations: 'New-InboxRule',
      AuditData: JSON.stringify({
        CreationTime: '2026-11-20T10:00:00',
        Operation: 'New-InboxRule',
        Parameters: [
          { Name: 'Mailbox', Value: 'MeganB@contoso.com' },
          { Name: 'Name', Value: '.' },
          { Name: 'MoveToFolder', Value: 'RSS Subscriptions' },
        ],
      }),
    });
    expect(created).toEqual({ rule: '.', operation: 'New-InboxRule', at: '2026-11-20T10:00:00.000Z' });
    const changed = toInboxRuleChange({
      CreationDate: '2026-11-20T11:00:00',
      Operations: 'Set-InboxRule',
      AuditData: JSON.stringify({
        CreationTime: '2026-11-20T11:00:00',
        Operation: 'Set-InboxRule',
        Parameters: [{ Name: 'Identity', Value: 'MeganB@contoso.com\\17045' }],
      }),
    });
    expect(changed?.rule).toBe('17045');
    expect(
      toInboxRuleChange({ CreationDate: 'x', Operations: 'New-InboxRule', AuditData: '{' }),
    ).toBeUndefined();
  });

  it('gives each rule its latest change, by name or by rule identity', () => {
    const byName = inboxRule({ id: 'MeganB@contoso.com\\1', name: 'Cleanup' });
    const byIdentity = inboxRule({ id: 'MeganB@contoso.com\\17045', name: 'Other' });
    const untouched = inboxRule({ id: 'MeganB@contoso.com\\3', name: 'Newsletters' });
    const [a, b, c] = withChangeTimes(
      [byName, byIdentity, untouched],
      [
        { rule: 'Cleanup', operation: 'New-InboxRule', at: '2026-11-20T10:00:00.000Z' },
        { rule: 'Cleanup', operation: 'Set-InboxRule', at: '2026-11-20T11:00:00.000Z' },
        { rule: '17045', operation: 'Set-InboxRule', at: '2026-11-20T09:00:00.000Z' },
      ],
    );
    expect(a?.changedDateTime).toBe('2026-11-20T11:00:00.000Z');
    expect(b?.changedDateTime).toBe('2026-11-20T09:00:00.000Z');
    expect(c).toBe(untouched);
  });
});

describe('the scorer with a window', () => {
  const suspicious = inboxRule({
    conditions: { subjectContains: ['password'] },
    actions: { moveToFolder: 'IT' },
  });
  const window = { start: '2026-11-20T09:00:00Z' };

  it('weighs a suspicious rule changed inside the window more, and says so with the window start', () => {
    const inside = scoreInboxRule(
      { ...suspicious, changedDateTime: '2026-11-20T10:00:00Z' },
      {
        tenantDomains: ['contoso.com'],
        compromiseWindow: window,
      },
    );
    const before = scoreInboxRule(
      { ...suspicious, changedDateTime: '2026-11-19T10:00:00Z' },
      {
        tenantDomains: ['contoso.com'],
        compromiseWindow: window,
      },
    );
    const order = { none: 0, low: 1, medium: 2, high: 3 };
    expect(order[inside.suspicion]).toBeGreaterThan(order[before.suspicion]);
    const reason = inside.reasons.find((value) => value.code === 'rule.changedInWindow');
    expect(reason?.params).toEqual({ at: '2026-11-20T10:00:00Z', since: '2026-11-20T09:00:00Z' });
    expect(renderMessage(reason ?? { code: '' }, 'en')).toContain('during the compromise window');
    expect(renderMessage(reason ?? { code: '' }, 'nb-NO')).toContain('kompromitteringsvinduet');
    expect(before.reasons.map((value) => value.code)).not.toContain('rule.changedInWindow');
  });

  it('never makes a harmless rule suspicious because it is new', () => {
    const harmless = inboxRule({
      conditions: { senderContains: ['fabrikam.com'] },
      actions: { moveToFolder: 'Vendors' },
    });
    const score = scoreInboxRule(
      { ...harmless, changedDateTime: '2026-11-20T10:00:00Z' },
      {
        tenantDomains: ['contoso.com'],
        compromiseWindow: window,
      },
    );
    expect(score.suspicion).toBe('none');
  });
});

describe('the inbox-rules step against the simulated tenant', () => {
  let tenant: SimulatedTenant;
  beforeAll(async () => {
    tenant = await startTenant();
  });
  afterAll(async () => {
    await tenant.close();
  });

  const target = {
    id: IDS.megan,
    userPrincipalName: 'MeganB@contoso.com',
    displayName: 'Megan Bowen',
    accountEnabled: true,
    userType: 'Member' as const,
    onPremisesSyncEnabled: false,
  };

  function windowReason(finding: Finding) {
    return finding.reasonMessages?.find((reason) => reason.code === 'rule.changedInWindow');
  }

  it('marks the rules the audit log shows created after Megan’s first risky sign-in, and only those', async () => {
    tenant.reset();
    tenant.resetLog();
    const ctx = {
      services: servicesFor(tenant),
      target,
      tenantDomains: ['contoso.com'],
      now: () => new Date(),
    };
    const { findings } = await inboxRules.discover(ctx);
    const state = tenant.state();
    const risky = state.signIns
      .filter((event) => event.userId === IDS.megan && event.status.errorCode === 0)
      .filter((event) => ['medium', 'high'].includes(event.riskLevelDuringSignIn ?? ''))
      .map((event) => event.createdDateTime)
      .sort()[0];
    const inWindow = findings.filter((finding) => windowReason(finding) !== undefined);
    expect(inWindow.map((finding) => finding.title).sort()).toEqual(
      ["Hidden rule 'Inbox Sync'", "Rule '.'", "Rule 'Backup'", "Rule 'Invoices'"].sort(),
    );
    for (const finding of inWindow) {
      expect(windowReason(finding)?.params?.since).toBe(new Date(risky ?? '').toISOString());
      expect(finding.selectedByDefault).toBe(true);
    }
    // The benign rules are neither marked nor preselected.
    const benign = findings.filter(
      (finding) => !inWindow.includes(finding) && finding.id.startsWith('rule-'),
    );
    expect(benign.map((finding) => finding.selectedByDefault)).toEqual(benign.map(() => false));
    expect(tenant.requestLog().filter((entry) => entry.cmdlet === 'Search-UnifiedAuditLog')).toHaveLength(1);
  });

  it('reads no audit log when the sign-in log shows no risky sign-in', async () => {
    const fixture = contosoFixture() as { signIns: { riskLevelDuringSignIn?: string }[] };
    for (const event of fixture.signIns) event.riskLevelDuringSignIn = 'none';
    const quiet = await startTenant(fixture as Parameters<typeof startTenant>[0]);
    try {
      const ctx = {
        services: servicesFor(quiet),
        target,
        tenantDomains: ['contoso.com'],
        now: () => new Date(),
      };
      const { findings } = await inboxRules.discover(ctx);
      expect(findings.filter((finding) => windowReason(finding) !== undefined)).toEqual([]);
      expect(quiet.requestLog().filter((entry) => entry.cmdlet === 'Search-UnifiedAuditLog')).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
