import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { inertText } from '../remediation/inertText';
import { PolicyError } from '../remediation/contract';
import type { Actor, IncidentView } from '../remediation/contract';
import { RefusalAudit } from '../security/refusalAudit';
import type { AuditSink } from '../security/refusalAudit';
import { actionDataSchema, clickOrigin, refusalText } from './actionContext';
import type { ActionContext, ActionDeps } from './actionContext';
import { hideSecret, investigateAlert } from './alertActions';
import { INVESTIGATE_ALERT_VERB } from './alerts';
import { refreshUsers } from './cardRegistry';
import type { IncidentCards } from './cardRegistry';
import type { AdaptiveCard } from './cards/templates';
import { GROUP_VERBS } from './groupActions';
import type { GroupActions } from './groupActions';
import { stringsFor } from './i18n';
import type { Strings } from './i18n';
import { approveAll, approveIncident, cancelIncident } from './incidentActions';
import { refreshCard } from './refreshAction';
import { runStep, skipStep, undoStep } from './stepActions';

export type { ActionContext, ActionData } from './actionContext';
export { selectedFindingIds } from './stepActions';

export const VERBS = {
  approveIncident: 'incident.approve',
  approveAll: 'incident.approveAll',
  cancelIncident: 'incident.cancel',
  approveStep: 'step.approve',
  skipStep: 'step.skip',
  retryStep: 'step.retry',
  undoStep: 'step.undo',
  hideSecret: 'secret.hide',
  investigateAlert: INVESTIGATE_ALERT_VERB,
  refreshCard: 'card.refresh',
  ...GROUP_VERBS,
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

type Handler = (context: ActionContext) => Promise<AdaptiveCard>;

/** Verbs whose `i` is not an incident id (so not checked against the incident's conversation). */
const NOT_INCIDENT_VERBS: readonly string[] = [VERBS.hideSecret, VERBS.investigateAlert];

export interface CardActionOptions extends Omit<ActionDeps, 'refusals' | 'requireCardVersion'> {
  /** Refused clicks (another conversation or tenant) are audited here. */
  audit?: AuditSink;
  /**
   * Every card Remediator posts carries its version (`v`); a click without one did not come from
   * a current card (a forged or replayed payload) and is treated as stale. Off by default: a
   * click without a version still passes every policy check, it only skips the staleness check.
   */
  requireCardVersion?: boolean;
  /** Mass incidents: the group card's verbs. */
  groups?: GroupActions;
}

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});

/** The one place a refusal or error is shown to the one who clicked: a message, never a card change. */
const messageResponse = (message: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: message as unknown as Record<string, unknown>,
});

const badRequest: AdaptiveCardInvokeResponse = {
  statusCode: 400,
  type: 'application/vnd.microsoft.error',
  value: { code: 'BadRequest', message: 'Unknown card action.' } as unknown as Record<string, unknown>,
};

/**
 * Card actions as a route table (verb → handler). Everything a handler may rely on is settled
 * here, once per invoke: the payload parsed and bounded, the actor from the authenticated sender,
 * the incident read once and checked against the conversation and tenant the click came from,
 * the language of the card, and the responders the answered card refreshes for.
 */
export class CardActionRouter {
  private readonly routes: Record<Verb, Handler>;
  private readonly deps: ActionDeps;

  constructor(private readonly options: CardActionOptions) {
    this.deps = {
      ...options,
      refusals: new RefusalAudit(options.audit),
      requireCardVersion: options.requireCardVersion === true,
    };
    const deps = this.deps;
    const groups = (context: ActionContext): GroupActions => {
      if (!options.groups)
        throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
      return options.groups;
    };
    this.routes = {
      [VERBS.approveIncident]: (context) => approveIncident(deps, context),
      [VERBS.approveAll]: (context) => approveAll(deps, context),
      [VERBS.cancelIncident]: (context) => cancelIncident(deps, context),
      [VERBS.approveStep]: (context) => runStep(deps, context, 'approve'),
      [VERBS.retryStep]: (context) => runStep(deps, context, 'retry'),
      [VERBS.skipStep]: (context) => skipStep(deps, context),
      [VERBS.undoStep]: (context) => undoStep(deps, context),
      [VERBS.hideSecret]: (context) => hideSecret(deps, context),
      [VERBS.investigateAlert]: (context) => investigateAlert(deps, context),
      [VERBS.refreshCard]: (context) => refreshCard(deps, context, options.groups),
      [VERBS.approveGroup]: (context) => groups(context).approve(deps, context),
      [VERBS.groupDetails]: (context) => groups(context).details(deps, context),
    };
  }

  /** `tenantId`: the tenant of the activity, extracted once by the bot (which already refused other tenants). */
  async handle(
    turn: TurnContext,
    actor: Actor | undefined,
    verb: string,
    rawData: unknown,
    tenantId: string | undefined,
  ): Promise<AdaptiveCardInvokeResponse> {
    const locale = turn.activity.locale ?? 'en';
    // Own keys only: a verb such as "__proto__" must not find Object.prototype.
    const handler = Object.hasOwn(this.routes, verb)
      ? (this.routes as Record<string, Handler | undefined>)[verb]
      : undefined;
    const parsed = actionDataSchema.safeParse(rawData);
    if (!handler || !parsed.success) return badRequest;
    if (!actor) return messageResponse(stringsFor(locale).noIdentity);
    const data = parsed.data;
    let incident: IncidentView | undefined;
    let cards: IncidentCards | undefined;
    let cardLocale = locale;
    if (!NOT_INCIDENT_VERBS.includes(verb)) {
      incident = await this.options.engine.getIncident(data.i);
      const refusal = incident
        ? await this.misplacedClick(turn, actor, verb, incident, tenantId)
        : (strings: Strings) => strings.unknownIncident(data.i);
      if (refusal || !incident) return messageResponse(refusal?.(stringsFor(locale)) ?? '');
      cards = await this.options.presenter.cardsOf(incident.id);
      // A shared card speaks the language of the conversation that opened the incident, whoever clicks.
      const groupCards = cards ? undefined : await this.options.groups?.cardsOf({ incident });
      cardLocale = cards?.locale ?? groupCards?.locale ?? locale;
      if (verb !== VERBS.refreshCard) cards = await this.rememberResponder(turn, actor, cards, groupCards);
    }
    const strings = stringsFor(cardLocale);
    const context: ActionContext = {
      turn,
      actor,
      data,
      strings,
      locale: cardLocale,
      ...(incident ? { incident } : {}),
      ...(cards ? { cards } : {}),
      ...clickOrigin(turn, actor, cardLocale),
      refreshFor: cards ? refreshUsers(cards.requesterChannelId, cards.responders) : [],
    };
    try {
      return cardResponse(await handler(context));
    } catch (error) {
      // A refusal the handler could not show on a card (an unknown step): a message, not a 5xx.
      if (error instanceof PolicyError) return messageResponse(inertText(refusalText(error, context.locale)));
      throw error;
    }
  }

  /**
   * A responder who acts on a card joins the users its cards refresh for (Universal Actions,
   * `refresh.userIds`): the requester, then approvers and other clickers, at most 60.
   */
  private async rememberResponder(
    turn: TurnContext,
    actor: Actor,
    cards: IncidentCards | undefined,
    groupCards: Awaited<ReturnType<GroupActions['cardsOf']>>,
  ): Promise<IncidentCards | undefined> {
    const channelUserId = turn.activity.from.id;
    const listed = (requester: string | undefined, responders: string[] | undefined) =>
      refreshUsers(requester, responders).includes(channelUserId);
    const record = cards ?? groupCards;
    if (!record || listed(record.requesterChannelId, record.responders)) return cards;
    if (!(await this.options.engine.isResponder(actor))) return cards;
    if (groupCards) await this.options.groups?.addResponder(groupCards, channelUserId);
    return cards ? this.options.presenter.addResponder(cards, channelUserId) : cards;
  }

  /**
   * Incident and step come from the store, never from card data; the card must also have been
   * clicked where the incident lives. A card copied (or a payload replayed) into another
   * conversation or tenant is refused before the engine is asked anything, so the incident's
   * state is not disclosed there either. Unknown incidents get the same answer as the engine's.
   */
  private async misplacedClick(
    turn: TurnContext,
    actor: Actor,
    verb: string,
    incident: IncidentView,
    tenantId: string | undefined,
  ): Promise<((strings: Strings) => string) | undefined> {
    const conversationId = turn.activity.conversation?.id;
    const otherConversation =
      incident.origin.conversationId !== undefined && incident.origin.conversationId !== conversationId;
    const otherTenant =
      incident.origin.tenantId !== undefined &&
      incident.origin.tenantId.toLowerCase() !== (tenantId ?? '').toLowerCase();
    if (!otherConversation && !otherTenant) return undefined;
    const detail = otherTenant ? 'card action from another tenant' : 'card action from another conversation';
    this.options.logger.warn({ incidentId: incident.id, verb, actor: actor.id }, detail);
    await this.deps.refusals.record({
      incidentId: incident.id,
      actor,
      event: `card.${verb}`,
      detail: `${detail} (${(conversationId ?? '').slice(0, 200)})`,
    });
    return (strings) => (otherTenant ? strings.notFromTenant : strings.otherConversation);
  }
}
