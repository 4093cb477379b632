import { describe, expect, it } from 'vitest';
import { messageCodes, renderMessage } from '../../src/i18n/findings';
import { renderIncidentReport } from '../../src/remediation/reporting';
import type { IncidentView } from '../../src/remediation/contract';
import { buildIncidentCard, buildStepCard } from '../../src/teams/cards/builders';
import { CardTemplates } from '../../src/teams/cards/templates';
import { stringsFor } from '../../src/teams/i18n';
import { ALEX, ADELE, createEngine } from '../remediation/support';
import { FakeM365 } from '../support/fakeM365Services';

const templates = new CardTemplates();

async function megansIncident(): Promise<IncidentView> {
  const fake = new FakeM365();
  const { engine } = createEngine(fake.services);
  const opened = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'cli' },
  });
  const incident = opened.incidents[0];
  if (!incident) throw new Error('no incident');
  return engine.approveIncident(incident.id, ADELE);
}

function inboxRules(incident: IncidentView) {
  const step = incident.steps.find((candidate) => candidate.id === 'inbox-rules');
  if (!step) throw new Error('no inbox-rules step');
  return step;
}

/** Every string the card shows, tenant values (rule names, addresses, folders) and opaque action data removed. */
function cardText(card: unknown, tenantValues: string[]): string {
  let text = JSON.stringify(card).replace(/"data":\{[^}]*\}/g, '');
  for (const value of tenantValues.sort((a, b) => b.length - a.length)) text = text.split(value).join('');
  return text;
}

describe('findings rendered per locale', () => {
  it('has a Norwegian rendering for every message code', () => {
    expect(messageCodes('nb-NO').sort()).toEqual(messageCodes('en').sort());
  });

  it('renders an nb-NO inbox-rules card with no English finding, reason, change or status text', async () => {
    const incident = await megansIncident();
    const step = inboxRules(incident);
    const context = { strings: stringsFor('nb-NO'), simulated: true, fourEyes: true, localeTag: 'nb-NO' };
    const card = templates.render('step', buildStepCard(incident, step, context));

    // Nothing the engine wrote in English is on the card.
    const english = [
      step.summary,
      ...step.findings.flatMap((finding) => [finding.title, ...finding.reasons]),
      ...step.actions.map((action) => action.description),
    ];
    const json = JSON.stringify(card);
    for (const text of english) expect(json).not.toContain(JSON.stringify(text).slice(1, -1));

    // And no English sentence fragments of ours, once the tenant's own words are taken out.
    const tenantValues = [
      'MeganB@contoso.com',
      'contoso.com',
      'RSS Subscriptions',
      'Newsletters',
      'Expense reports to Patti',
      'Out of office replies',
      'Expense report',
      'Automatic reply',
      'Invoices',
      'invoice',
      'Archive copy',
      'Archive',
      'Cleanup',
      'Sync',
      'helpdesk',
      'newsletter',
    ];
    const text = cardText(card, [
      ...tenantValues,
      ...step.findings.flatMap((finding) =>
        finding.reasons.flatMap((reason) => reason.match(/\S+@\S+/g) ?? []),
      ),
    ]);
    expect(text).not.toMatch(
      /\b(forwards|redirects|deletes|moves|marks mail|filters on|hidden rule|Rule '|Delete the|outside|inside|is hidden|is disabled|Attackers|suspicious|pending|approval)\b/i,
    );
    expect(json).toContain('Fjern mistenkelige innboksregler');
    expect(json).toContain('videresender');
    expect(json).toContain('Slett');
  });

  it('renders the same findings in English for an English reader', async () => {
    const incident = await megansIncident();
    const step = inboxRules(incident);
    const context = { strings: stringsFor('en'), simulated: true, fourEyes: true, localeTag: 'en' };
    const json = JSON.stringify(templates.render('step', buildStepCard(incident, step, context)));
    for (const finding of step.findings) expect(json).toContain(finding.title.replace(/'/g, "'"));
    expect(json).toContain('outside contoso.com');
  });

  it('renders the incident card status in Norwegian', async () => {
    const incident = await megansIncident();
    const context = { strings: stringsFor('nb-NO'), simulated: true, fourEyes: true, localeTag: 'nb-NO' };
    const json = JSON.stringify(templates.render('incident', buildIncidentCard(incident, context)));
    expect(json).not.toMatch(/\b(pending|approved|awaiting|Open)\b/);
    expect(json).toContain('Venter på godkjenning');
  });

  it('renders the report in the reader’s language', async () => {
    const incident = await megansIncident();
    const report = renderIncidentReport(incident, [], 'nb-NO');
    const step = inboxRules(incident);
    const norwegian = (step.findings[0]?.reasonMessages ?? []).map((reason) =>
      renderMessage(reason, 'nb-NO'),
    );
    expect(norwegian.length).toBeGreaterThan(0);
    for (const reason of norwegian) expect(report).toContain(reason);
    expect(renderIncidentReport(incident, [])).toContain(step.findings[0]?.reasons[0] ?? '-');
  });
});
