import { TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { refusalText as renderRefusal } from '../i18n/findings';
import type { Logger } from '../observability/logger';
import { PolicyError } from '../remediation/contract';
import type { Actor, IncidentView, StepId, StepView } from '../remediation/contract';
import { isStepId } from '../remediation/contract';
import type { RefusalAudit } from '../security/refusalAudit';
import type { AlertCards, AlertInbox } from './alerts';
import type { BackgroundTasks } from './background';
import type { IncidentCards } from './cardRegistry';
import type { ClickedIn, CredentialRecipient } from './credentialDelivery';
import type { CredentialReach } from './delivery/credentialReach';
import type { RemediationEngine } from './engine';
import type { GroupPresenter } from './groupPresenter';
import type { Strings } from './i18n';
import type { IncidentPresenter } from './incidentPresenter';
import type { IncidentOpening } from './openedIncidents';
import type { SecretCards } from './secretCards';
import type { UndoNotices } from './undoNotices';

/** Which card a Universal Actions refresh asks for (`refresh.action.data.card`). */
export const REFRESHABLE_CARDS = ['incident', 'step', 'group'] as const;

/** Action.Execute data: opaque ids and the card's own inputs. Bounded so a crafted click cannot flood. */
export const actionDataSchema = z
  .object({
    i: z.string().min(1).max(100),
    s: z.string().max(100).optional(),
    v: z.string().max(200).optional(),
    credentialKind: z.enum(['password', 'temporaryAccessPass']).optional(),
    card: z.enum(REFRESHABLE_CARDS).optional(),
  })
  .catchall(z.unknown());

export type ActionData = z.infer<typeof actionDataSchema>;

/** One card click, parsed, attributed and checked at the edge: what every card-action handler receives. */
export interface ActionContext {
  turn: TurnContext;
  actor: Actor;
  data: ActionData;
  strings: Strings;
  locale: string;
  /** The incident the click names, read once at the edge (undefined for verbs whose `i` is not an incident). */
  incident?: IncidentView;
  /** Where the incident's cards are, when they were posted. */
  cards?: IncidentCards;
  /** Who clicked and where, read from the turn now: follow-ups outlive it. */
  approver: CredentialRecipient;
  clickedIn: ClickedIn;
  /** Teams ids the answered card refreshes for (`refresh.userIds`). */
  refreshFor: string[];
}

/** What the card-action handlers work with. */
export interface ActionDeps {
  engine: RemediationEngine;
  presenter: IncidentPresenter;
  background: BackgroundTasks;
  logger: Logger;
  /** How long a click waits for the engine before answering "running" (Teams retries after 15 s). */
  fastAnswerMs: number;
  /** A click without a card version counts as stale (a forged or replayed payload). */
  requireCardVersion: boolean;
  refusals: RefusalAudit;
  opening: IncidentOpening;
  groupCards?: GroupPresenter;
  alerts?: { inbox: AlertInbox; securityChannelId: string; cards: AlertCards };
  undoNotices?: UndoNotices;
  secretCards?: SecretCards;
  credentialReach?: CredentialReach;
}

/** The tenant an activity came from: the conversation's, else Teams' channel data. The one place it is read. */
export function tenantOf(
  activity: Partial<Pick<Activity, 'conversation' | 'channelData'>>,
): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  return activity.conversation?.tenantId ?? fromChannelData;
}

/** Who clicked (as a credential recipient) and where, from the authenticated activity. */
export function clickOrigin(
  turn: TurnContext,
  actor: Actor,
  locale: string,
): { approver: CredentialRecipient; clickedIn: ClickedIn } {
  return {
    approver: { channelUserId: turn.activity.from.id, name: actor.displayName },
    clickedIn: {
      reference: TurnContext.getConversationReference(turn.activity),
      personal: turn.activity.conversation.conversationType === 'personal',
      locale,
    },
  };
}

/** A click carrying another version than the current card's (or none, when one is required). */
export function isStale(
  context: ActionContext,
  currentVersion: string,
  requireCardVersion: boolean,
): boolean {
  const clicked = context.data.v;
  if (clicked === undefined) return requireCardVersion;
  return clicked !== currentVersion;
}

/**
 * The one place a card action turns an engine refusal into words for the one who clicked (as a
 * message, or as a notice on the card), in the card's language.
 */
export function refusalText(error: PolicyError, locale: string): string {
  return renderRefusal(error, locale);
}

/** The incident read at the edge; a verb that needs one and has none is refused like an unknown incident. */
export function incidentOf(context: ActionContext): IncidentView {
  if (!context.incident)
    throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
  return context.incident;
}

export function stepIdOf(context: ActionContext): StepId {
  if (!isStepId(context.data.s)) throw new PolicyError('UnknownIncident', 'Unknown step.');
  return context.data.s;
}

export function stepOf(incident: IncidentView, stepId: StepId): StepView {
  const step = incident.steps.find((candidate) => candidate.id === stepId);
  if (!step) throw new PolicyError('UnknownIncident', `Incident ${incident.id} has no step ${stepId}.`);
  return step;
}

/**
 * Never reset a password nobody will receive: the approver's 1:1 chat must open first (with the
 * app installed for them if need be, for this approval `on`). The credential is owed from the yes
 * on, for the incident's password reset or for each incident of a group whose reset is pending
 * (`owedFor`): a restart before delivery issues a new credential and delivers that one
 * (src/teams/delivery/owedCredentials.ts).
 */
export function credentialReachable(
  deps: ActionDeps,
  context: ActionContext,
  on: { incidentId: string } | { groupId: string },
  owedFor: readonly string[] = 'incidentId' in on ? [on.incidentId] : [],
): Promise<boolean> {
  if (!deps.credentialReach) return Promise.resolve(true);
  const { reference, personal } = context.clickedIn;
  const owed = owedFor.map((incidentId) => ({
    incidentId,
    stepId: 'reset-password',
    approver: context.approver,
    clickedIn: context.clickedIn,
  }));
  return deps.credentialReach.canReceive(
    {
      reference,
      personal,
      channelUserId: context.approver.channelUserId,
      approver: context.actor,
      on,
    },
    owed,
  );
}
