import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { inertData } from '../../remediation/inertText';
import type { Strings } from '../i18n';

/** Teams' limit on `refresh.userIds` (see `withRefreshUsers`). */
export const MAX_REFRESH_USERS = 60;

/** Adaptive Card JSON as sent to Teams (shape checked by the Teams client, not here). */
export type AdaptiveCard = Record<string, unknown>;

/** Data carried by every Action.Execute: opaque ids only, never a target or an actor. */
export interface CardRef {
  /** Incident id. */
  i: string;
  /** Step id (step and secret cards). */
  s?: string;
  /** Card version: a click on an older card is not acted on. */
  v?: string;
}

export interface LabelledData {
  /** The "Simulated tenant" banner text, or '' against a live tenant. */
  banner: string;
  labels: Strings['cardLabels'];
  /**
   * Teams ids (MRIs) of the responders for whom Teams refreshes the card automatically
   * (`refresh.userIds`, at most 60); none: the property is left out. See `withRefreshUsers`.
   */
  refreshUserIds?: string[];
}

export interface Fact {
  title: string;
  value: string;
}

export interface IncidentCardData extends LabelledData {
  title: string;
  incidentLine: string;
  facts: Fact[];
  fourEyesNote: string;
  stepsHeading: string;
  steps: Fact[];
  notice: string;
  canApproveIncident: boolean;
  canApproveAll: boolean;
  canCancel: boolean;
  ref: CardRef;
}

export interface StepCardFinding {
  /** `finding:<finding id>`: the Input.Toggle id, read back on Approve. */
  inputId: string;
  title: string;
  /** The suspicion line; the reasons follow as a list. */
  details: string;
  reasons: { text: string }[];
  selected: 'true' | 'false';
}

export interface StepCardData extends LabelledData {
  title: string;
  summary: string;
  statusLine: string;
  statusColor: 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';
  selectable: boolean;
  findings: StepCardFinding[];
  /** "Proposed…" before approval, "What changed" after; '' when no list is shown. */
  changesHeading: string;
  changes: { text: string }[];
  nothingToDo: string;
  manualGuidance: string;
  offerCredentialKind: boolean;
  errorMessage: string;
  errorRemedy: string;
  who: string;
  notice: string;
  canApprove: boolean;
  canSkip: boolean;
  canRetry: boolean;
  canUndo: boolean;
  undoTitle: string;
  ref: CardRef;
}

export interface SummaryCardData extends LabelledData {
  title: string;
  subtitle: string;
  rows: { title: string; outcome: string; who: string; duration: string }[];
}

export interface SecretCardData extends LabelledData {
  title: string;
  forWhom: string;
  /** The credential itself, or '' once hidden. */
  value: string;
  expires: string;
  note: string;
  canHide: boolean;
  ref: CardRef;
}

export interface GroupCardData extends LabelledData {
  title: string;
  groupLine: string;
  requestedBy: string;
  fourEyesNote: string;
  /** The first users (a card has a size limit), then `moreUsers`. */
  users: Fact[];
  moreUsers: string;
  steps: Fact[];
  failures: { text: string }[];
  moreFailures: string;
  /** "Working on it…" while the group approval runs, else ''. */
  progressNote: string;
  notice: string;
  canApproveGroup: boolean;
  /** Users whose incident and step cards can be posted on demand ("Details"). */
  detailChoices: { title: string; value: string }[];
  firstChoice: string;
  /** `i`: any incident of the group (the group is taken from the store, never from the card). */
  ref: CardRef;
}

export interface AlertCardData extends LabelledData {
  title: string;
  /** The SIEM's title of the alert. */
  alertTitle: string;
  facts: Fact[];
  statusLine: string;
  notice: string;
  canInvestigate: boolean;
  investigate: string;
  openInSiem: string;
  /** An https link into the SIEM (checked at the webhook), or ''. */
  link: string;
  /** `i`: the alert's reference in the inbox (never the alert's own content). */
  ref: CardRef;
}

interface TemplateDataByName {
  incident: IncidentCardData;
  step: StepCardData;
  summary: SummaryCardData;
  secret: SecretCardData;
  group: GroupCardData;
  alert: AlertCardData;
}

export type TemplateName = keyof TemplateDataByName;

const TEMPLATE_NAMES: TemplateName[] = ['incident', 'step', 'summary', 'secret', 'group', 'alert'];

/**
 * Keys whose values the card owns: our own labels and banner, the ids a click carries back, and
 * the credential (shown verbatim in a TextRun, which Teams never reads as Markdown). Every other
 * string in card data may hold tenant, webhook or user text and is made inert on its way in.
 */
const OWN_KEYS = ['labels', 'banner', 'ref', 'inputId', 'selected', 'statusColor'] as const;
const TRUSTED_KEYS: Record<TemplateName, ReadonlySet<string>> = {
  incident: new Set(OWN_KEYS),
  step: new Set(OWN_KEYS),
  summary: new Set(OWN_KEYS),
  secret: new Set([...OWN_KEYS, 'value']),
  group: new Set(OWN_KEYS),
  // The link is a button's URL (https only, checked by the webhook), never text.
  alert: new Set([...OWN_KEYS, 'link']),
};

/** cards/ sits at the project root, both from src/teams/cards and dist/teams/cards. */
export const DEFAULT_CARDS_DIR = path.resolve(__dirname, '..', '..', '..', 'cards');

/**
 * The card templates of cards/*.json, read once, bound through a typed data interface per
 * template so no card JSON is ever assembled by hand.
 */
export class CardTemplates {
  private readonly templates = new Map<TemplateName, unknown>();

  constructor(cardsDir: string = DEFAULT_CARDS_DIR) {
    for (const name of TEMPLATE_NAMES) {
      const file = path.join(cardsDir, `${name}.json`);
      this.templates.set(name, JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
    }
  }

  render<N extends TemplateName>(name: N, data: TemplateDataByName[N]): AdaptiveCard {
    const payload = this.templates.get(name);
    const template = new ACData.Template(payload);
    // The one place card data meets card text: everything not owned by the card is made inert.
    const bound = { refreshUserIds: [], ...data };
    const card: unknown = template.expand({ $root: inertData(bound, TRUSTED_KEYS[name]) });
    if (typeof card !== 'object' || card === null || Array.isArray(card)) {
      throw new Error(`Card template ${name} did not expand to an object.`);
    }
    const { $schema: _schema, ...rest } = card as Record<string, unknown>;
    return withRefreshUsers(rest);
  }
}

/**
 * Universal Actions `refresh`: when a user listed in `refresh.userIds` views the card, Teams
 * invokes `adaptiveCard/action` (trigger "automatic") and shows the card the bot answers with, so
 * a card whose update was lost heals itself. Microsoft documents that in a chat or channel with
 * fewer than 60 members the card refreshes automatically for every member whatever the list says;
 * with more members only the listed users (at most 60) get it, the others see a manual refresh
 * (https://learn.microsoft.com/en-us/javascript/api/teams-sdk-typescript/@microsoft/teams.cards/irefreshdefinition,
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views).
 * The Adaptive Cards schema leaves `userIds` optional but notes that some clients refresh
 * automatically only when it is given (https://adaptivecards.io/explorer/Refresh.html). So the
 * list names the responders who act on the incident, and an empty list is left out rather than
 * sent as `[]`, whose meaning is not documented.
 */
export function withRefreshUsers(card: AdaptiveCard): AdaptiveCard {
  const refresh = card.refresh as { userIds?: unknown } | undefined;
  if (!refresh) return card;
  const userIds = Array.isArray(refresh.userIds) ? refresh.userIds.slice(0, MAX_REFRESH_USERS) : [];
  const { userIds: _userIds, ...rest } = refresh;
  return { ...card, refresh: userIds.length > 0 ? { ...rest, userIds } : rest };
}
