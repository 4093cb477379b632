import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage, refusalText } from '../../src/i18n/findings';
import type { Message, MessageParam } from '../../src/i18n/message';
import { PolicyError } from '../../src/remediation/contract';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { summarizeGroup } from '../../src/remediation/groups';
import { inertText } from '../../src/remediation/inertText';
import type { SimulatedTenant } from '../../src/simulator';
import {
  buildIncidentCard,
  buildSecretCard,
  buildStepCard,
  buildSummaryCard,
  runningView,
} from '../../src/teams/cards/builders';
import type { CardContext } from '../../src/teams/cards/builders';
import { buildGroupCard } from '../../src/teams/cards/groupCard';
import { CardTemplates } from '../../src/teams/cards/templates';
import { stringsFor } from '../../src/teams/i18n';
import { en } from '../../src/teams/i18n/en';
import { nbNO } from '../../src/teams/i18n/nbNO';
import { undoStringsFor } from '../../src/teams/i18n/undo';
import { ADELE, ALEX, ISAIAH, MEGAN, PATTI, createEngine } from '../remediation/support';
import { contosoFixture, servicesFor, startTenant } from '../remediation/simulatedTenant';

/**
 * A whole run on Megan against the simulated tenant (real HTTP, real graph client), every card
 * rendered for a Norwegian reader: the incident card, each step pending, approved, done, failed,
 * refused, skipped, with an undo asked for and done, the summary, the group card and the secret
 * card. No English of ours may remain; tenant values (the parameters) are taken out first.
 */

const templates = new CardTemplates();
const nb: CardContext = { strings: stringsFor('nb-NO'), simulated: true, fourEyes: true, localeTag: 'nb-NO' };

/** Product and cmdlet names that read the same in both languages. */
const PRODUCT_NAMES = [
  'Active Directory Users and Computers',
  'Set-ADAccountPassword -Reset',
  'Microsoft Authenticator',
  'Windows Hello for Business',
  'Temporary Access Pass',
  'Privileged Identity Management',
  'Identity Protection',
];

/** Words of English sentences that Norwegian Bokmål never uses. */
const ENGLISH_WORDS =
  /\b(the|and|is|are|was|with|from|has|have|can|cannot|not|this|that|which|would|will|your|mail|rule|rules|step|sign-in|remove|delete|block|revoke|reset|confirm|review|done|failed|waiting|skipped|approved|pending|running|asked|undone|nothing|suspicious|forwards|hidden|recently|allowed|valid|outside|inside)\b/i;

let tenant: SimulatedTenant;
const cards: { name: string; card: unknown }[] = [];
const messages: Message[] = [];
const views: IncidentView[] = [];
const extraTenantValues: string[] = [];

function step(incident: IncidentView, id: StepView['id']): StepView {
  const found = incident.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

function collectMessages(incident: IncidentView): void {
  for (const view of incident.steps) {
    if (view.summaryMessage) messages.push(view.summaryMessage);
    if (view.manualGuidanceMessage) messages.push(view.manualGuidanceMessage);
    for (const finding of view.findings) {
      if (finding.titleMessage) messages.push(finding.titleMessage);
      messages.push(...(finding.reasonMessages ?? []));
    }
    for (const action of view.actions)
      if (action.descriptionMessage) messages.push(action.descriptionMessage);
    for (const error of [view.error, ...view.results.map((result) => result.error)]) {
      if (error?.detail) messages.push(error.detail);
      if (error?.remedyDetail) messages.push(error.remedyDetail);
    }
  }
}

function renderAll(incident: IncidentView, label: string, notice = ''): void {
  views.push(incident);
  collectMessages(incident);
  cards.push({
    name: `${label}: incident`,
    card: templates.render('incident', buildIncidentCard(incident, nb, notice)),
  });
  for (const view of incident.steps) {
    cards.push({
      name: `${label}: ${view.id} (${view.status}${view.undoStatus ? `, undo ${view.undoStatus}` : ''})`,
      card: templates.render('step', buildStepCard(incident, view, nb, notice)),
    });
  }
}

async function refusedWith(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof PolicyError) {
      if (error.detail) messages.push(error.detail);
      return refusalText(error, 'nb-NO');
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Every string parameter of a message, nested ones included: the tenant's words, inserted as given. */
function paramValues(value: MessageParam | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [];
  if (Array.isArray(value)) return value;
  return Object.values(value.params ?? {}).flatMap(paramValues);
}

/** The strings a reader sees on a card (not ids, styles or action data). */
function visibleStrings(card: unknown, into: string[] = []): string[] {
  if (Array.isArray(card)) for (const item of card) visibleStrings(item, into);
  else if (card !== null && typeof card === 'object') {
    for (const [key, value] of Object.entries(card)) {
      if (key === 'data') continue;
      if (
        typeof value === 'string' &&
        ['text', 'title', 'value', 'label', 'placeholder', 'fallbackText'].includes(key)
      ) {
        into.push(value);
      } else visibleStrings(value, into);
    }
  }
  return into;
}

function withoutTenantValues(text: string, values: string[]): string {
  let rest = text;
  for (const value of [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) {
    rest = rest.split(inertText(value)).join(' ').split(value).join(' ');
  }
  return rest;
}

beforeAll(async () => {
  // Identity Protection writes withheld: confirm-compromised fails with a 403 the card must explain.
  const fixture = contosoFixture();
  (fixture as { app: { withheldPermissions?: string[] } }).app.withheldPermissions = [
    'IdentityRiskyUser.ReadWrite.All',
    // Sign-in methods cannot be read: that step becomes manual guidance naming the permission.
    'UserAuthenticationMethod.Read.All',
    'UserAuthenticationMethod.ReadWrite.All',
  ];
  tenant = await startTenant(fixture);
  const { engine } = createEngine(servicesFor(tenant));
  const opened = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'teams' },
  });
  const incident = opened.incidents[0];
  if (!incident) throw new Error(`not opened: ${JSON.stringify(opened.refused)}`);
  renderAll(incident, 'opened');
  expect(step(incident, 'auth-methods').manualGuidanceMessage?.code).toBe('steps.couldNotCheck');

  // Refusals: the requester under four-eyes, the target herself, someone outside the responders.
  const selfApproval = await refusedWith(() => engine.approveIncident(incident.id, ALEX));
  const target = await refusedWith(() => engine.approveIncident(incident.id, MEGAN));
  const notResponder = await refusedWith(() => engine.approveIncident(incident.id, PATTI));
  // Targets refused at the door: no such user, a break-glass account.
  const door = await engine.openIncidents({
    targets: ['nobody@contoso.com', 'breakglass01@contoso.com'],
    requester: ALEX,
    origin: { kind: 'teams' },
  });
  expect(door.refused.map((refused) => refused.code).sort()).toEqual(['ProtectedAccount', 'UnknownTarget']);
  for (const refused of door.refused) if (refused.detail) messages.push(refused.detail);
  const atTheDoor = door.refused.map((refused) => refusalText(refused, 'nb-NO'));
  renderAll(incident, 'refused', [selfApproval, target, notResponder, ...atTheDoor].join(' '));

  const approved = await engine.approveIncident(incident.id, ADELE);
  renderAll(approved, 'approved');

  await engine.skipStep(incident.id, 'sign-in-evidence', ADELE);
  const reset = await engine.approveStep(incident.id, 'reset-password', ADELE);
  if (reset.secret) {
    cards.push({
      name: 'secret',
      card: templates.render(
        'secret',
        buildSecretCard(
          { incidentId: incident.id, stepId: 'reset-password' },
          'Megan Bowen',
          reset.secret,
          nb,
        ),
      ),
    });
    extraTenantValues.push(reset.secret.value);
  }
  cards.push({
    name: 'secret hidden',
    card: templates.render(
      'secret',
      buildSecretCard({ incidentId: incident.id, stepId: 'reset-password' }, 'Megan Bowen', undefined, nb),
    ),
  });
  const { incident: run } = await engine.approveAllRemaining(incident.id, ADELE);
  expect(step(run, 'confirm-compromised').status).toBe('failed');
  renderAll(run, 'run');

  // Undo asked for by one responder (nothing changes), approved by a second, and a self-approval refused.
  await engine.undoStep(incident.id, 'mailbox-forwarding', ALEX);
  const selfUndo = await refusedWith(() => engine.undoStep(incident.id, 'mailbox-forwarding', ALEX));
  const asked = await engine.getIncident(incident.id);
  if (!asked) throw new Error('incident gone');
  renderAll(asked, 'undo asked', selfUndo);
  await engine.undoStep(incident.id, 'mailbox-forwarding', ISAIAH);
  const undone = await engine.getIncident(incident.id);
  if (!undone) throw new Error('incident gone');
  renderAll(undone, 'undone');

  // The states a click passes through or an undo can end in, on the real steps of this run.
  for (const view of undone.steps.filter((candidate) => candidate.status === 'done')) {
    cards.push({
      name: `${view.id} (running)`,
      card: templates.render('step', buildStepCard(undone, runningView(view), nb)),
    });
    cards.push({
      name: `${view.id} (undo running)`,
      card: templates.render('step', buildStepCard(undone, { ...view, undoStatus: 'running' }, nb)),
    });
    cards.push({
      name: `${view.id} (undo failed)`,
      card: templates.render('step', buildStepCard(undone, { ...view, undoStatus: 'failed' }, nb)),
    });
  }

  // A synchronised account: the password step is manual guidance, in the reader's language too.
  const synced = await engine.openIncidents({
    targets: ['LynneR@contoso.com'],
    requester: ALEX,
    origin: { kind: 'teams' },
  });
  const lynne = synced.incidents[0];
  if (!lynne) throw new Error(`not opened: ${JSON.stringify(synced.refused)}`);
  expect(step(lynne, 'reset-password').manualGuidanceMessage?.code).toBe('resetPassword.manualSynced');
  renderAll(lynne, 'synced');

  cards.push({ name: 'summary', card: templates.render('summary', buildSummaryCard(undone, nb)) });
  const members = [
    { incidentId: incident.id, userPrincipalName: 'MeganB@contoso.com', displayName: 'Megan Bowen' },
  ];
  cards.push({
    name: 'group',
    card: templates.render(
      'group',
      buildGroupCard(
        summarizeGroup(undone.groupId, [undone]),
        { members, requesterName: 'Alex Wilber', running: false },
        nb,
      ),
    ),
  });
}, 60_000);

afterAll(async () => {
  await tenant.close();
});

describe('a whole run, every card for a Norwegian reader', () => {
  it('covers every state the brief names', () => {
    const states = new Set(views.flatMap((view) => view.steps.map((s) => s.status)));
    for (const status of ['pending', 'skipped', 'done', 'failed'] as const) expect(states).toContain(status);
    const undo = new Set(views.flatMap((view) => view.steps.map((s) => s.undoStatus)));
    expect(undo).toContain('requested');
    expect(undo).toContain('done');
    expect(cards.map((card) => card.name)).toEqual(expect.arrayContaining(['summary', 'group', 'secret']));
    expect(messages.length).toBeGreaterThan(50);
  });

  it('has a Norwegian text, different from the English one, for every message on the cards', () => {
    const untranslated = messages.filter((value) => {
      const english = renderMessage(value, 'en');
      const norwegian = renderMessage(value, 'nb-NO');
      const ours = withoutTenantValues(english, [...paramValues(value), ...PRODUCT_NAMES]);
      return english === norwegian && /\p{L}{3}/u.test(ours);
    });
    expect(untranslated.map((value) => value.code)).toEqual([]);
  });

  it('shows no English finding, reason, change, status, refusal, error or remedy on any card', () => {
    const tenantValues = [
      ...messages.flatMap((value) => paramValues(value)),
      ...views.flatMap((view) => [
        view.target.displayName,
        view.target.userPrincipalName,
        view.requester.displayName,
        ...view.approvals.map((approval) => approval.actor.displayName),
        ...view.steps.flatMap((s) => [
          s.approvedBy?.displayName ?? '',
          s.undoneBy?.displayName ?? '',
          s.undoRequestedBy?.displayName ?? '',
        ]),
      ]),
      view0Id(),
      ...extraTenantValues,
      ...PRODUCT_NAMES,
    ];
    // The English renderings of every message, and every English template string of the bot.
    const englishTexts = new Set<string>();
    for (const value of messages) {
      const english = renderMessage(value, 'en');
      if (english !== renderMessage(value, 'nb-NO')) englishTexts.add(inertText(english));
    }
    for (const text of templateStrings(en, nbNO)) englishTexts.add(text);
    for (const text of templateStrings(undoStringsFor('en'), undoStringsFor('nb-NO'))) englishTexts.add(text);
    for (const name of PRODUCT_NAMES) englishTexts.delete(name);

    const problems: string[] = [];
    for (const { name, card } of cards) {
      for (const shown of visibleStrings(card)) {
        for (const english of englishTexts) {
          if (english.length >= 6 && shown.includes(english))
            problems.push(`${name}: "${english}" in "${shown}"`);
        }
        const ours = withoutTenantValues(shown, tenantValues);
        const word = ENGLISH_WORDS.exec(ours);
        if (word) problems.push(`${name}: English "${word[0]}" in "${ours}"`);
      }
    }
    expect(problems).toEqual([]);
  });
});

function view0Id(): string {
  return views[0]?.id ?? '';
}

/** Every leaf string of the English strings that differs from its Norwegian counterpart (functions called with a marker, split on it). */
function templateStrings(english: unknown, norwegian: unknown): string[] {
  const marker = '\u0001';
  const out: string[] = [];
  const walk = (a: unknown, b: unknown) => {
    if (typeof a === 'string') {
      if (a !== b) out.push(...a.split('\n').map((line) => line.trim()));
    } else if (typeof a === 'function') {
      const args = [marker, marker, marker, marker];
      const rendered = (a as (...args: string[]) => string)(...args);
      const other = typeof b === 'function' ? (b as (...args: string[]) => string)(...args) : '';
      if (rendered !== other) out.push(...rendered.split(marker).map((part) => part.trim()));
    } else if (a !== null && typeof a === 'object') {
      for (const [key, value] of Object.entries(a))
        walk(value, (b as Record<string, unknown> | undefined)?.[key]);
    }
  };
  walk(english, norwegian);
  return out.filter((text) => text.length >= 6 && /\p{L}{4}/u.test(text));
}
