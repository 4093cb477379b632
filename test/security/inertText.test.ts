import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { STEP_IDS } from '../../src/remediation/contract';
import { renderIncidentReport } from '../../src/remediation/reporting';
import { inertText } from '../../src/remediation/inertText';
import { AlertCards } from '../../src/teams/alerts';
import {
  buildIncidentCard,
  buildSecretCard,
  buildStepCard,
  buildSummaryCard,
} from '../../src/teams/cards/builders';
import type { CardContext } from '../../src/teams/cards/builders';
import { buildGroupCard } from '../../src/teams/cards/groupCard';
import { CardTemplates } from '../../src/teams/cards/templates';
import { stringsFor } from '../../src/teams/i18n';
import { ALL_HOSTILE, HOSTILE, cardTexts, violations } from './support/hostileText';

const hostile = ALL_HOSTILE.join(' ');
const actor = (name: string) => ({ id: `id-${name.length}`, displayName: name });

/** An incident in which every string the tenant, a message or an error can fill is hostile. */
function hostileIncident(status: StepView['status']): IncidentView {
  const steps: StepView[] = STEP_IDS.map((id, index) => ({
    id,
    title: hostile,
    summary: hostile,
    status,
    findings: ALL_HOSTILE.map((text, findingIndex) => ({
      id: `f-${findingIndex}`,
      title: text,
      reasons: [...ALL_HOSTILE],
      suspicion: 'high',
      selectedByDefault: true,
    })),
    actions: ALL_HOSTILE.map((text, actionIndex) => ({ id: `a-${actionIndex}`, description: text })),
    ...(index % 2 === 0 ? { manualGuidance: hostile } : {}),
    nothingToDo: false,
    approvedBy: actor(HOSTILE.forgedLine),
    skippedBy: actor(HOSTILE.mention),
    startedAt: '2026-12-03T08:00:00.000Z',
    finishedAt: '2026-12-03T08:00:01.500Z',
    verified: true,
    results: ALL_HOSTILE.map((text, resultIndex) => ({
      actionId: `a-${resultIndex}`,
      outcome: 'failed',
      verified: false,
      requestIds: [],
      error: { code: 'X', message: text, remedy: text },
    })),
    error: { code: 'X', message: hostile, remedy: hostile },
    undoable: true,
    undoneBy: actor(HOSTILE.link),
  }));
  return {
    id: 'incident-1',
    groupId: 'group-1',
    target: {
      id: 'target',
      userPrincipalName: 'megan_b@contoso.com',
      displayName: hostile,
      accountEnabled: true,
      userType: 'Guest',
      onPremisesSyncEnabled: false,
    },
    requester: actor(HOSTILE.blocks),
    origin: { kind: 'teams', conversationId: 'chat' },
    approvals: ALL_HOSTILE.map((text) => ({ actor: actor(text), at: '2026-12-03T08:00:00.000Z' })),
    status: 'open',
    steps,
    createdAt: '2026-12-03T08:00:00.000Z',
    updatedAt: '2026-12-03T08:00:00.000Z',
  };
}

const templates = new CardTemplates();

function contextFor(locale: string): CardContext {
  return { strings: stringsFor(locale), simulated: true, fourEyes: true, localeTag: locale };
}

describe('inertText', () => {
  it.each(Object.entries(HOSTILE))('leaves no Markdown, tag, URL or line break in %s', (_name, text) => {
    const inert = inertText(text);
    expect(violations([inert])).toEqual([]);
    expect(inert).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  it('keeps ordinary names, addresses and sentences as they are', () => {
    for (const text of [
      'Megan Bowen',
      'megan_bowen@contoso.com',
      'Remove forwarding to x@gmail.com (outside contoso.com).',
      'Åse Ødegård-Ås',
      "O'Brien & Sons, 3 rules",
    ]) {
      expect(inertText(text)).toBe(text);
    }
  });

  it('is idempotent and never produces syntax, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const once = inertText(text);
        expect(inertText(once)).toBe(once);
        expect(once).not.toMatch(/[\r\n[\]*`<>#\\]|\]\(|:\/\//);
      }),
      { numRuns: 500 },
    );
  });
});

describe('every card and message built from hostile data', () => {
  it.each([['pending'], ['done'], ['failed']] as const)(
    'incident, step and summary cards (steps %s) carry no attacker syntax, and the text is still shown',
    (status) => {
      const incident = hostileIncident(status);
      for (const locale of ['en-US', 'nb-NO']) {
        const context = contextFor(locale);
        const cards = [
          templates.render('incident', buildIncidentCard(incident, context, hostile)),
          templates.render('summary', buildSummaryCard(incident, context)),
          ...incident.steps.map((step) =>
            templates.render('step', buildStepCard(incident, step, context, hostile)),
          ),
        ];
        const texts = cards.flatMap(cardTexts);
        expect(violations(texts)).toEqual([]);
        expect(texts.join(' ')).toContain('Microsoft Defender: re-verify your admin session');
      }
    },
  );

  it('finding toggles keep their ids, so the responder’s choice still reaches the engine', () => {
    const incident = hostileIncident('pending');
    const step = incident.steps.find((candidate) => candidate.id === 'inbox-rules');
    if (!step) throw new Error('no step');
    const card = JSON.stringify(templates.render('step', buildStepCard(incident, step, contextFor('en'))));
    expect(card).toContain('"id":"finding:f-0"');
  });

  it('the credential card shows the credential verbatim, outside Markdown, and escapes the name', () => {
    const value = 'a*b_c#d~e&f!g=h?j^k';
    const card = templates.render(
      'secret',
      buildSecretCard(
        { incidentId: 'incident-1', stepId: 'reset-password' },
        hostile,
        { kind: 'password', value },
        contextFor('en'),
      ),
    );
    const body = JSON.stringify(card);
    expect(body).toContain(`"type":"TextRun","text":${JSON.stringify(value)}`);
    expect(violations(cardTexts(card).filter((text) => text !== value))).toEqual([]);
  });

  it('the group card escapes member names, failures and notices', () => {
    const progress = {
      groupId: 'group-1',
      incidents: 2,
      incidentsByStatus: { 'awaiting-approval': 1, open: 1, completed: 0, cancelled: 0 },
      steps: [],
      failures: [
        {
          incidentId: 'i1',
          target: 'x@contoso.com',
          stepId: 'inbox-rules' as const,
          code: 'X',
          message: hostile,
        },
      ],
      finished: false,
    };
    const card = templates.render(
      'group',
      buildGroupCard(
        progress,
        {
          members: [{ incidentId: 'i1', userPrincipalName: 'x@contoso.com', displayName: hostile }],
          requesterName: hostile,
          running: false,
          notice: hostile,
        },
        contextFor('en'),
      ),
    );
    expect(violations(cardTexts(card))).toEqual([]);
  });

  it('the alert card escapes the webhook’s title, source, ids and the responder who took it on', () => {
    const card = new AlertCards(templates, (locale) => contextFor(locale ?? 'en')).render(
      {
        reference: 'r',
        alert: {
          users: ['megan@contoso.com'],
          alertId: hostile,
          source: hostile,
          severity: 'high',
          title: hostile,
          link: 'https://siem.example/alert/1',
        },
        receivedAt: '2026-12-03T08:00:00.000Z',
        status: 'opened',
        openedBy: hostile,
      },
      'en',
      hostile,
    );
    expect(violations(cardTexts(card))).toEqual([]);
    expect(JSON.stringify(card)).toContain('"url":"https://siem.example/alert/1"');
  });

  it('the Markdown report keeps its own structure and none of the attacker’s', () => {
    const incident = hostileIncident('done');
    const report = renderIncidentReport(incident, [
      {
        seq: 1,
        at: '2026-12-03T08:00:00.000Z',
        incidentId: incident.id,
        actor: actor(hostile),
        event: 'step.done',
        outcome: 'ok',
        detail: hostile,
      },
    ]);
    // Our headings and list items stay; every line's attacker part is inert.
    expect(report.startsWith('# Incident incident-1: ')).toBe(true);
    expect(violations(report.split('\n'))).toEqual([]);
    const lines = report.split('\n');
    expect(lines.filter((line) => line.startsWith('# '))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('## '))).toHaveLength(incident.steps.length + 1);
  });
});
