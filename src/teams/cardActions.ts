import { TurnContext } from 'botbuilder';
import { refusalText } from '../i18n/findings';
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { Logger } from '../observability/logger';
import type { AuditSink } from '../security/refusalAudit';
import { RefusalAudit } from '../security/refusalAudit';
import { inertText } from '../remediation/inertText';
import { PolicyError, isStepId } from '../remediation/contract';
import type {
  Actor,
  ApproveStepOptions,
  IncidentView,
  OpenIncidentsResult,
  RemediationEngine,
  StepId,
  StepOutcome,
  StepView,
} from '../remediation/contract';
import { INVESTIGATE_ALERT_VERB, buildAlertCard, channelOf } from './alerts';
import type { AlertInbox } from './alerts';
import type { BackgroundTasks } from './background';
import { GROUP_VERBS } from './groupActions';
import type { GroupActions } from './groupActions';
import type { GroupPresenter } from './groupPresenter';
import type { CredentialReach } from './delivery/credentialReach';
import { presentOpened } from './openedIncidents';
import { incidentCardVersion, stepCardVersion } from './cards/cardVersion';
import { FINDING_INPUT_PREFIX } from './cards/builders';
import type { AdaptiveCard } from './cards/templates';
import { stringsFor } from './i18n';
import type { Strings } from './i18n';
import type { IncidentPresenter } from './incidentPresenter';
import { undoStringsFor } from './i18n/undo';
import type { SecretCards } from './secretCards';
import type { UndoNotices } from './undoNotices';
import { cardActivity } from './incidentPresenter';
import { incidentChanges, settleWithin, whileRunning } from './progress';
import type { Settlement } from './progress';
import { actionDataSchema } from './actionContext';
import type { ActionContext, ActionData } from './actionContext';

export type { ActionContext, ActionData } from './actionContext';

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
  ...GROUP_VERBS,
} as const;

/** Verbs whose `i` is not an incident id (checked against the incident's conversation). */
const NOT_INCIDENT_VERBS: readonly string[] = [VERBS.hideSecret, VERBS.investigateAlert];

/** Engine requests accept at most this many targets; a SIEM alert may name up to 500. */
const TARGETS_PER_REQUEST = 50;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

type Handler = (context: ActionContext) => Promise<AdaptiveCard>;

export interface CardActionOptions {
  engine: RemediationEngine;
  presenter: IncidentPresenter;
  background: BackgroundTasks;
  logger: Logger;
  /** How long a click waits for the engine before answering "running" (Teams retries after 15 s). */
  fastAnswerMs: number;
  /** Refused clicks (another conversation or tenant) are audited here. */
  audit?: AuditSink;
  /**
   * Every card Remediator posts carries its version (`v`); a click without one did not come from
   * a current card (a forged or replayed payload) and is treated as stale. Off by default: a
   * click without a version still passes every policy check, it only skips the staleness check.
   */
  requireCardVersion?: boolean;
  /** Alerts raised by the signed webhook, taken on from the security channel. */
  alerts?: { inbox: AlertInbox; securityChannelId: string };
  /** Mass incidents: the group card and its verbs. */
  groups?: GroupActions;
  groupCards?: GroupPresenter;
  /** Undo requests, approvals and failures told in the incident's conversation and the security channel. */
  undoNotices?: UndoNotices;
  /** Which message carried which credential to whom: Hide is bound to it. */
  secretCards?: SecretCards;
  /** Refuses a credential step whose approver could not receive the credential privately. */
  credentialReach?: CredentialReach;
}

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});

const messageResponse = (message: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: message as unknown as Record<string, unknown>,
});

/** Finding ids the responder left switched on (Input.Toggle values arrive as "true"/"false"). */
export function selectedFindingIds(data: ActionData): string[] | undefined {
  const toggles = Object.entries(data).filter(([key]) => key.startsWith(FINDING_INPUT_PREFIX));
  if (toggles.length === 0) return undefined;
  return toggles
    .filter(([, value]) => value === 'true' || value === true)
    .map(([key]) => key.slice(FINDING_INPUT_PREFIX.length));
}

function stepOf(incident: IncidentView, stepId: StepId) {
  const step = incident.steps.find((candidate) => candidate.id === stepId);
  if (!step) throw new PolicyError('UnknownIncident', `Incident ${incident.id} has no step ${stepId}.`);
  return step;
}

function tenantOfActivity(turn: TurnContext): string | undefined {
  const channelData = turn.activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  return turn.activity.conversation?.tenantId ?? fromChannelData;
}

/** Card actions routed by verb, one handler per verb. */
export class CardActionRouter {
  private readonly handlers: Record<Verb, Handler>;
  private readonly refusals: RefusalAudit;

  constructor(private readonly options: CardActionOptions) {
    this.refusals = new RefusalAudit(options.audit);
    this.handlers = {
      [VERBS.approveIncident]: (context) => this.approveIncident(context),
      [VERBS.approveAll]: (context) => this.approveAll(context),
      [VERBS.cancelIncident]: (context) => this.cancelIncident(context),
      [VERBS.approveStep]: (context) => this.runStep(context, 'approve'),
      [VERBS.retryStep]: (context) => this.runStep(context, 'retry'),
      [VERBS.skipStep]: (context) => this.skipStep(context),
      [VERBS.undoStep]: (context) => this.undoStep(context),
      [VERBS.hideSecret]: (context) => this.hideSecret(context),
      [VERBS.investigateAlert]: (context) => this.investigateAlert(context),
      [VERBS.approveGroup]: (context) => this.groupActions(context).approve(context),
      [VERBS.groupDetails]: (context) => this.groupActions(context).details(context),
    };
  }

  async handle(
    turn: TurnContext,
    actor: Actor | undefined,
    verb: string,
    rawData: unknown,
  ): Promise<AdaptiveCardInvokeResponse> {
    const locale = turn.activity.locale ?? 'en';
    const strings = stringsFor(locale);
    // Own keys only: a verb such as "__proto__" must not find Object.prototype.
    const handler = Object.hasOwn(this.handlers, verb)
      ? (this.handlers as Record<string, Handler | undefined>)[verb]
      : undefined;
    const parsed = actionDataSchema.safeParse(rawData);
    if (!handler || !parsed.success) {
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'Unknown card action.' } as unknown as Record<string, unknown>,
      };
    }
    if (!actor) return messageResponse(strings.noIdentity);
    if (!NOT_INCIDENT_VERBS.includes(verb)) {
      const refusal = await this.misplacedClick(turn, actor, verb, parsed.data.i);
      if (refusal) return messageResponse(refusal(strings));
    }
    // A shared card speaks the language of the conversation that opened the incident, whoever clicks.
    const cardLocale =
      (await this.options.presenter.localeOf(parsed.data.i)) ??
      (await this.options.groups?.localeOf(parsed.data.i)) ??
      locale;
    try {
      return cardResponse(
        await handler({
          turn,
          actor,
          data: parsed.data,
          strings: stringsFor(cardLocale),
          locale: cardLocale,
        }),
      );
    } catch (error) {
      // A refusal the handler could not show on a card (an unknown step): a message, not a 5xx.
      if (error instanceof PolicyError) return messageResponse(inertText(refusalText(error, cardLocale)));
      throw error;
    }
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
    incidentId: string,
  ): Promise<((strings: Strings) => string) | undefined> {
    const incident = await this.options.engine.getIncident(incidentId);
    if (!incident) return (strings) => strings.unknownIncident(incidentId);
    const conversationId = turn.activity.conversation?.id;
    const tenantId = tenantOfActivity(turn);
    const otherConversation =
      incident.origin.conversationId !== undefined && incident.origin.conversationId !== conversationId;
    const otherTenant =
      incident.origin.tenantId !== undefined &&
      incident.origin.tenantId.toLowerCase() !== (tenantId ?? '').toLowerCase();
    if (!otherConversation && !otherTenant) return undefined;
    const detail = otherTenant ? 'card action from another tenant' : 'card action from another conversation';
    this.options.logger.warn({ incidentId, verb, actor: actor.id }, detail);
    await this.refusals.record({
      incidentId,
      actor,
      event: `card.${verb}`,
      detail: `${detail} (${(conversationId ?? '').slice(0, 200)})`,
    });
    return (strings) => (otherTenant ? strings.notFromTenant : strings.otherConversation);
  }

  /** A click carrying another version than the current card's (or none, when required). */
  private isStale(context: ActionContext, currentVersion: string): boolean {
    const clicked = context.data.v;
    if (clicked === undefined) return this.options.requireCardVersion === true;
    return clicked !== currentVersion;
  }

  private async incident(context: ActionContext): Promise<IncidentView> {
    const incident = await this.options.engine.getIncident(context.data.i);
    if (!incident) throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
    return incident;
  }

  private stepId(context: ActionContext): StepId {
    if (!isStepId(context.data.s)) throw new PolicyError('UnknownIncident', 'Unknown step.');
    return context.data.s;
  }

  /** Runs an engine call; a policy refusal becomes a notice on the current card, politely. */
  private async guarded(
    context: ActionContext,
    render: (incident: IncidentView, notice: string) => AdaptiveCard,
    work: () => Promise<AdaptiveCard>,
  ): Promise<AdaptiveCard> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      const incident = await this.options.engine.getIncident(context.data.i);
      if (!incident) throw error;
      return render(incident, refusalText(error, context.locale));
    }
  }

  private incidentCard(context: ActionContext) {
    return (incident: IncidentView, notice: string) =>
      this.options.presenter.incidentCard(incident, context.locale, notice);
  }

  private stepCard(context: ActionContext, stepId: StepId) {
    return (incident: IncidentView, notice: string) =>
      this.options.presenter.stepCard(incident, stepOf(incident, stepId), context.locale, notice);
  }

  private approveIncident(context: ActionContext): Promise<AdaptiveCard> {
    return this.changeIncident(context, (id, actor) => this.options.engine.approveIncident(id, actor));
  }

  private cancelIncident(context: ActionContext): Promise<AdaptiveCard> {
    return this.changeIncident(context, (id, actor) => this.options.engine.cancelIncident(id, actor));
  }

  /** An incident-card click: refused on a stale card, else the change, then every card of the incident refreshed. */
  private async changeIncident(
    context: ActionContext,
    change: (incidentId: string, actor: Actor) => Promise<IncidentView>,
  ): Promise<AdaptiveCard> {
    const { presenter } = this.options;
    return this.guarded(context, this.incidentCard(context), async () => {
      const current = await this.incident(context);
      if (this.isStale(context, incidentCardVersion(current))) {
        return presenter.incidentCard(current, context.locale, context.strings.staleCard);
      }
      const incident = await change(current.id, context.actor);
      this.options.background.run(async () => void (await presenter.refresh(incident.id)));
      return presenter.incidentCard(incident, context.locale);
    });
  }

  private async approveAll(context: ActionContext): Promise<AdaptiveCard> {
    const { engine, presenter } = this.options;
    return this.guarded(context, this.incidentCard(context), async () => {
      const current = await this.incident(context);
      if (this.isStale(context, incidentCardVersion(current))) {
        return presenter.incidentCard(current, context.locale, context.strings.staleCard);
      }
      // Read from the turn now: the follow-up outlives it.
      const clickedIn = this.clickedIn(context);
      const approver = this.approver(context);
      const resetPending = current.steps.some(
        (step) => step.id === 'reset-password' && step.status === 'pending',
      );
      if (resetPending && !(await this.credentialReachable(context))) {
        return presenter.incidentCard(
          current,
          context.locale,
          context.strings.credentialUnreachable(approver.name),
        );
      }
      const work = engine.approveAllRemaining(current.id, context.actor);
      const followUp = async () => {
        let refused = false;
        try {
          await this.followSteps(current, work);
          const result = await work.catch((error: unknown) => {
            // A refusal is answered on the clicked card below; nothing to follow up.
            if (error instanceof PolicyError) {
              refused = true;
              return undefined;
            }
            throw error;
          });
          if (result?.secret) {
            const stepId: StepId = 'reset-password';
            await presenter.deliverSecret(result.incident, stepId, result.secret, approver, clickedIn);
          }
        } finally {
          // A refused click that changed nothing updates no card (a flood of refusals costs no
          // updates); a refusal part-way through (the last Global Administrator) still refreshes.
          if (!refused || (await this.changedSince(current))) await presenter.refresh(current.id);
        }
      };
      // Step cards follow the run from the start, not only after the fast answer.
      this.options.background.run(followUp);
      const finished = await this.within(work);
      // Policy refusals surface now; slower work finishes after the answer.
      if (finished === 'rejected') await work;
      if (finished === 'fulfilled') return presenter.incidentCard((await work).incident, context.locale);
      return presenter.incidentCard(current, context.locale, context.strings.stepStatus.running);
    });
  }

  private async changedSince(before: IncidentView): Promise<boolean> {
    const now = await this.options.engine.getIncident(before.id);
    if (!now) return false;
    const fingerprint = (incident: IncidentView) =>
      `${incidentCardVersion(incident)}|${incident.steps.map(stepCardVersion).join(',')}`;
    return fingerprint(now) !== fingerprint(before);
  }

  /**
   * While "Approve all remaining" runs, each step card is updated as its step changes state
   * (from the engine's change events), so responders see the steps finish one by one.
   */
  private async followSteps(start: IncidentView, work: Promise<unknown>): Promise<void> {
    const { engine, presenter, logger } = this.options;
    const fingerprint = (step: StepView) => `${step.status}.${step.results.length}`;
    const seen = new Map(start.steps.map((step) => [step.id, fingerprint(step)]));
    await whileRunning(
      work,
      incidentChanges(engine, start.id),
      async (latest) => {
        // A card changes once per finished step, not per tick: showing "approved" and "running"
        // on the way would cost two more writes per step.
        const changed = latest.steps.filter(
          (step) =>
            step.status !== 'running' &&
            step.status !== 'approved' &&
            seen.get(step.id) !== fingerprint(step),
        );
        if (changed.length === 0) return;
        for (const step of changed) seen.set(step.id, fingerprint(step));
        await presenter.refresh(
          start.id,
          changed.map((step) => step.id),
          { incidentCard: false },
        );
      },
      (error) => logger.warn({ err: error, incidentId: start.id }, 'progress update failed'),
    );
  }

  private async runStep(context: ActionContext, mode: 'approve' | 'retry'): Promise<AdaptiveCard> {
    const { engine, presenter } = this.options;
    const stepId = this.stepId(context);
    return this.guarded(context, this.stepCard(context, stepId), async () => {
      const current = await this.incident(context);
      const step = stepOf(current, stepId);
      if (this.isStale(context, stepCardVersion(step))) {
        return presenter.stepCard(current, step, context.locale, context.strings.staleCard);
      }
      const options: ApproveStepOptions = {};
      const selected = selectedFindingIds(context.data);
      if (selected) options.selectedFindingIds = selected;
      if (context.data.credentialKind) options.credentialKind = context.data.credentialKind;
      // Read from the turn now: a slow step finishes after the turn has ended.
      const clickedIn = this.clickedIn(context);
      const approver = this.approver(context);
      if (stepId === 'reset-password' && !(await this.credentialReachable(context))) {
        return presenter.stepCard(
          current,
          step,
          context.locale,
          context.strings.credentialUnreachable(approver.name),
        );
      }
      const work: Promise<StepOutcome> =
        mode === 'approve'
          ? engine.approveStep(current.id, stepId, context.actor, options)
          : engine.retryStep(current.id, stepId, context.actor);
      const finished = await this.within(work);
      if (finished === 'rejected') await work;
      this.options.background.run(async () => {
        try {
          // Slow step: everyone in the chat sees it running, not only the one who clicked.
          if (finished === 'pending') await presenter.showRunning(current, step);
          const outcome = await work;
          if (outcome.secret) {
            await presenter.deliverSecret(outcome.incident, stepId, outcome.secret, approver, clickedIn);
          }
        } finally {
          // Even when the engine threw, the cards must leave "running" and show what is true.
          await presenter.refresh(current.id);
        }
      });
      if (finished === 'fulfilled') {
        const outcome = await work;
        return presenter.stepCard(outcome.incident, outcome.step, context.locale);
      }
      return presenter.stepCard(current, { ...step, status: 'running' }, context.locale);
    });
  }

  private skipStep(context: ActionContext): Promise<AdaptiveCard> {
    return this.changeStep(context, (id, stepId, actor) => this.options.engine.skipStep(id, stepId, actor));
  }

  /** Under four-eyes the first click asks for the undo and a second responder's click approves it. */
  private undoStep(context: ActionContext): Promise<AdaptiveCard> {
    const { engine, undoNotices, background } = this.options;
    return this.changeStep(context, async (id, stepId, actor) => {
      const before = (await engine.getIncident(id))?.steps.find((step) => step.id === stepId);
      const outcome = await engine.undoStep(id, stepId, actor);
      if (undoNotices) background.run(() => undoNotices.announce(before, outcome));
      return outcome;
    });
  }

  /** A step-card click that finishes within the turn: refused on a stale card, else the change, then every card refreshed. */
  private async changeStep(
    context: ActionContext,
    change: (incidentId: string, stepId: StepId, actor: Actor) => Promise<StepOutcome>,
  ): Promise<AdaptiveCard> {
    const { presenter } = this.options;
    const stepId = this.stepId(context);
    return this.guarded(context, this.stepCard(context, stepId), async () => {
      const current = await this.incident(context);
      const step = stepOf(current, stepId);
      if (this.isStale(context, stepCardVersion(step))) {
        return presenter.stepCard(current, step, context.locale, context.strings.staleCard);
      }
      const outcome = await change(current.id, stepId, context.actor);
      this.options.background.run(async () => void (await presenter.refresh(current.id)));
      return presenter.stepCard(outcome.incident, outcome.step, context.locale);
    });
  }

  /**
   * A responder takes on a SIEM alert from the security channel: the incidents are opened with
   * THEM as requester (awaiting a second responder's approval under four-eyes). The webhook
   * itself never opens or changes anything.
   */
  private async investigateAlert(context: ActionContext): Promise<AdaptiveCard> {
    const alerts = this.options.alerts;
    const { actor, turn } = context;
    const record = alerts ? await alerts.inbox.get(context.data.i) : undefined;
    if (!alerts || !record)
      throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
    if (channelOf(turn.activity.conversation?.id) !== channelOf(alerts.securityChannelId)) {
      await this.refusals.record({
        actor,
        event: 'card.alert.investigate',
        detail: 'alert card clicked outside the security channel',
      });
      throw new PolicyError('UnknownIncident', context.strings.otherConversation);
    }
    if (!(await this.options.engine.isResponder(actor))) {
      await this.refusals.record({ actor, event: 'card.alert.investigate', detail: 'NotResponder' });
      throw new PolicyError(
        'NotResponder',
        `${actor.displayName} is not a member of the responders group, so cannot remediate accounts.`,
      );
    }
    const claimed = await alerts.inbox.claim(record.reference, actor.displayName);
    if (!claimed) return buildAlertCard((await alerts.inbox.get(record.reference)) ?? record);
    const reference = TurnContext.getConversationReference(turn.activity);
    const tenantId = turn.activity.conversation?.tenantId;
    const opened: IncidentView[] = [];
    const results: OpenIncidentsResult[] = [];
    const refused: string[] = [];
    try {
      for (let start = 0; start < claimed.alert.users.length; start += TARGETS_PER_REQUEST) {
        const result = await this.options.engine.openIncidents({
          targets: claimed.alert.users.slice(start, start + TARGETS_PER_REQUEST),
          requester: actor,
          origin: {
            kind: 'webhook',
            ...(tenantId ? { tenantId } : {}),
            ...(reference.conversation?.id ? { conversationId: reference.conversation.id } : {}),
          },
        });
        opened.push(...result.incidents);
        results.push(result);
        refused.push(...result.refused.map((refusal) => `${refusal.target}: ${refusal.message}`));
      }
    } catch (error) {
      if (opened.length === 0) await alerts.inbox.release(record.reference);
      throw error;
    }
    const requesterChannelId = turn.activity.from.id;
    const { presenter, groupCards } = this.options;
    this.options.background.run(async () => {
      for (const result of results) {
        if (groupCards) {
          await presentOpened(
            { incidents: presenter, groups: groupCards },
            result,
            reference,
            context.locale,
            {
              channelId: requesterChannelId,
              name: actor.displayName,
            },
          );
          continue;
        }
        for (const incident of result.incidents) {
          await presenter.post(incident, reference, context.locale, requesterChannelId);
        }
      }
    });
    const notice = [`Opened ${opened.length} incident(s).`, ...refused].join(' ');
    return buildAlertCard(claimed, notice);
  }

  /**
   * Replaces the credential card with one that no longer holds it: only the credential's
   * recipient, only on the message that carried it (refused and audited otherwise).
   */
  private async hideSecret(context: ActionContext): Promise<AdaptiveCard> {
    const { engine, presenter, secretCards } = this.options;
    const { activity } = context.turn;
    if (!(await secretCards?.mayHide(activity.replyToId, activity.from?.id, activity.conversation?.id))) {
      await this.refusals.record({
        actor: context.actor,
        event: 'card.secret.hide',
        detail: 'not the credential message of this user in this chat',
      });
      throw new PolicyError('StepNotActionable', undoStringsFor(context.locale).hideRefused);
    }
    const incident = await engine.getIncident(context.data.i);
    const card = presenter.secretCard(
      { incidentId: context.data.i, stepId: context.data.s ?? '' },
      incident?.target.displayName ?? '',
      undefined,
      context.locale,
    );
    const replyToId = context.turn.activity.replyToId;
    if (replyToId) {
      // Also replace the message itself, so the credential is gone from the chat history.
      await context.turn.updateActivity({ ...cardActivity(card), id: replyToId });
    }
    return card;
  }

  private groupActions(context: ActionContext): GroupActions {
    if (!this.options.groups)
      throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
    return this.options.groups;
  }

  /** Never reset a password nobody will receive: the approver's 1:1 chat must open first. */
  private credentialReachable(context: ActionContext): Promise<boolean> {
    const reach = this.options.credentialReach;
    if (!reach) return Promise.resolve(true);
    const { reference, personal } = this.clickedIn(context);
    return reach.canReceive({
      reference,
      personal,
      channelUserId: context.turn.activity.from.id,
      approver: context.actor,
      on: { incidentId: context.data.i },
    });
  }

  private approver(context: ActionContext) {
    return { channelUserId: context.turn.activity.from.id, name: context.actor.displayName };
  }

  private clickedIn(context: ActionContext) {
    const reference = TurnContext.getConversationReference(context.turn.activity);
    return {
      reference,
      personal: context.turn.activity.conversation.conversationType === 'personal',
      locale: context.locale,
    };
  }

  /** Settles within fastAnswerMs, or 'pending'. */
  private within(work: Promise<unknown>): Promise<Settlement> {
    return settleWithin(work, this.options.fastAnswerMs);
  }
}
