import { describe, expect, it } from 'vitest';
import type { InboxRule } from '../../src/m365/types';
import type { IncidentView } from '../../src/remediation/contract';
import { FakeM365 } from '../support/fakeM365Services';
import { inboxRule } from '../support/inboxRules';
import { ALEX, createEngine } from './support';

function exchangeRule(
  id: string,
  name: string,
  actions: Partial<InboxRule['actions']>,
  hidden = false,
): InboxRule {
  return inboxRule({ id, name, hidden, actions });
}

async function inboxRulesFor(fake: FakeM365): Promise<IncidentView['steps'][number]> {
  const { engine } = createEngine(fake.services);
  const { incidents } = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'cli' },
  });
  const step = incidents[0]?.steps.find((candidate) => candidate.id === 'inbox-rules');
  if (!step) throw new Error('no inbox-rules step');
  return step;
}

function withRules(rules: InboxRule[], acceptedDomains?: string[]): FakeM365 {
  const fake = new FakeM365();
  fake.state.rules['meganb@contoso.com'] = rules;
  if (acceptedDomains) fake.state.acceptedDomains = acceptedDomains;
  return fake;
}

describe('inbox-rules step', () => {
  it("counts forwarding to the tenant's other accepted domains as inside", async () => {
    const fake = withRules(
      [exchangeRule('r1', 'To Oslo', { forwardTo: ['oslo@contoso.no'] })],
      ['contoso.com', 'contoso.no', 'contoso.onmicrosoft.com'],
    );
    const step = await inboxRulesFor(fake);
    expect(step.findings.map((finding) => [finding.suspicion, finding.selectedByDefault])).toEqual([
      ['none', false],
    ]);
    expect(step.findings[0]?.reasons.join(' ')).toContain('inside contoso.com, contoso.no');
    expect(fake.calls.some((call) => call.operation === 'mailRules.listTenantDomains')).toBe(true);
  });

  it('falls back to the configured domains without Domain.Read.All', async () => {
    const fake = withRules([exchangeRule('r1', 'To Oslo', { forwardTo: ['oslo@contoso.no'] })]);
    fake.fail('mailRules.listTenantDomains', 403);
    const step = await inboxRulesFor(fake);
    expect(step.findings[0]?.suspicion).toBe('high');
    expect(step.status).toBe('pending');
  });

  it("never preselects Exchange's own hidden rules", async () => {
    const fake = withRules([
      exchangeRule('r1', 'Junk E-mail Rule', { moveToFolder: 'Junk Email' }, true),
      exchangeRule('r2', 'Microsoft.Exchange.OOF.AllExternalSenders.Global', {}, true),
    ]);
    const step = await inboxRulesFor(fake);
    expect(step.findings).toHaveLength(2);
    expect(step.findings.every((finding) => !finding.selectedByDefault)).toBe(true);
  });

  it('gives findings and planned changes as messages as well as English text', async () => {
    const step = await inboxRulesFor(new FakeM365());
    for (const finding of step.findings) {
      expect(finding.titleMessage?.code).toBe('inboxRules.findingRule');
      expect(finding.reasonMessages?.length).toBe(finding.reasons.length);
    }
    expect(step.actions.every((action) => action.descriptionMessage?.code === 'inboxRules.deleteRule')).toBe(
      true,
    );
    expect(step.summaryMessage?.code).toBe('steps.inbox-rules.summary');
  });
});
