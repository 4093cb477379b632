import { CardFactory } from 'botbuilder';
import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from '../observability/logger';
import type { IncidentView, RemediationEngine, SecretDelivery, StepView } from '../remediation/contract';
import { refreshUsers, withResponder } from './cardRegistry';
import type { CardRegistry, IncidentCards } from './cardRegistry';
import { buildIncidentCard, buildSecretCard, buildStepCard, buildSummaryCard } from './cards/builders';
import type { CardContext } from './cards/builders';
import type { AdaptiveCard, CardTemplates } from './cards/templates';
import { CredentialDelivery } from './credentialDelivery';
import type { ClickedIn, CredentialHandover, CredentialRecipient } from './credentialDelivery';
import type { DeliveryLedger } from './delivery/ledger';
import type { OwedCredentials } from './delivery/owedCredentials';
import { SentCards } from './delivery/sentCards';
import type { ConversationGateway } from './gateway';
import { IncidentSummary } from './incidentSummary';
import type { SecretCards } from './secretCards';
import { localeTagFor, stringsFor } from './i18n';

export { SUMMARY_LEASE_MS, securityChannelReference } from './incidentSummary';

export interface PresenterOptions {
  engine: Pick<RemediationEngine, 'getIncident'>;
  gateway: ConversationGateway;
  registry: CardRegistry;
  templates: CardTemplates;
  logger: Logger;
  simulated: boolean;
  fourEyes: boolean;
  /** Teams channel (conversation id) told about every completed incident. */
  securityChannelId?: string;
  /** Where each credential went, so only its recipient can hide it. */
  secretCards?: SecretCards;
  /** Incidents that still owe Teams a card update or a summary, finished after a restart. */
  ledger?: DeliveryLedger;
  /** Credentials approved but not delivered yet (settled once sent). */
  owedCredentials?: OwedCredentials;
  /** A summary claim older than this was abandoned (default SUMMARY_LEASE_MS). */
  summaryLeaseMs?: number;
}

/** The key of the incident card among an incident's cards (the others are step ids). */
const INCIDENT_CARD = 'incident';

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

/**
 * What a card shows, without the list of users it refreshes for: a responder who joins changes
 * that list on every card of the incident, and rewriting them all for it would cost writes that
 * show nobody anything new (the list goes along with the card's next real change).
 */
const visible = (activity: Partial<Activity>): Partial<Activity> =>
  JSON.parse(
    JSON.stringify(activity, (key, value: unknown) => (key === 'userIds' ? undefined : value)),
  ) as Partial<Activity>;

/** Posts an incident's cards, keeps them current, and closes it with a summary. */
export class IncidentPresenter {
  private readonly sentCards = new SentCards();
  private readonly summary: IncidentSummary;
  private readonly credentials: CredentialDelivery;
  /** `incidentId/card` posts in flight in this instance, settled once recorded (or refused). */
  private readonly posting = new Map<string, Promise<void>>();

  constructor(private readonly options: PresenterOptions) {
    this.summary = new IncidentSummary({
      gateway: options.gateway,
      registry: options.registry,
      logger: options.logger,
      sentCards: this.sentCards,
      summaryActivity: (incident, locale) =>
        cardActivity(
          options.templates.render('summary', buildSummaryCard(incident, this.cardContext(locale))),
        ),
      ...(options.securityChannelId ? { securityChannelId: options.securityChannelId } : {}),
      ...(options.ledger ? { ledger: options.ledger } : {}),
      ...(options.summaryLeaseMs !== undefined ? { leaseMs: options.summaryLeaseMs } : {}),
    });
    this.credentials = new CredentialDelivery({
      gateway: options.gateway,
      registry: options.registry,
      logger: options.logger,
      ...(options.secretCards ? { secretCards: options.secretCards } : {}),
      ...(options.owedCredentials ? { owedCredentials: options.owedCredentials } : {}),
      secretActivity: (handover, locale) =>
        cardActivity(
          this.secretCard(
            { incidentId: handover.incidentId, stepId: handover.stepId },
            handover.targetName,
            handover.secret,
            locale,
          ),
        ),
    });
  }

  cardContext(locale: string | undefined): CardContext {
    return {
      strings: stringsFor(locale),
      simulated: this.options.simulated,
      fourEyes: this.options.fourEyes,
      localeTag: localeTagFor(locale),
    };
  }

  /** `refreshFor`: Teams ids of the responders the card refreshes for (`refresh.userIds`). */
  incidentCard(
    incident: IncidentView,
    locale: string | undefined,
    notice = '',
    refreshFor: string[] = [],
  ): AdaptiveCard {
    return this.options.templates.render('incident', {
      ...buildIncidentCard(incident, this.cardContext(locale), notice),
      refreshUserIds: refreshFor,
    });
  }

  stepCard(
    incident: IncidentView,
    step: StepView,
    locale: string | undefined,
    notice = '',
    refreshFor: string[] = [],
  ): AdaptiveCard {
    return this.options.templates.render('step', {
      ...buildStepCard(incident, step, this.cardContext(locale), notice),
      refreshUserIds: refreshFor,
    });
  }

  secretCard(
    ref: { incidentId: string; stepId: string },
    targetName: string,
    secret: SecretDelivery | undefined,
    locale: string | undefined,
  ): AdaptiveCard {
    return this.options.templates.render(
      'secret',
      buildSecretCard(ref, targetName, secret, this.cardContext(locale)),
    );
  }

  /** Where an incident's cards are, if they were posted. */
  cardsOf(incidentId: string): Promise<IncidentCards | undefined> {
    return this.options.registry.get(incidentId);
  }

  /** The locale an incident's cards were posted in, if they were posted. */
  async localeOf(incidentId: string): Promise<string | undefined> {
    return (await this.cardsOf(incidentId))?.locale;
  }

  /** Remembers a responder who acted on the incident's cards, so its cards refresh for them too. */
  async addResponder(cards: IncidentCards, channelUserId: string): Promise<IncidentCards> {
    if (withResponder(cards.responders, channelUserId) === cards.responders) return cards;
    return (
      (await this.options.registry.update(cards.incidentId, (current) => ({
        ...current,
        responders: withResponder(current.responders, channelUserId),
      }))) ?? cards
    );
  }

  /** A plain message in a conversation, outside the turn. */
  async say(reference: Partial<ConversationReference>, text: string): Promise<void> {
    await this.options.gateway.send(reference, { type: 'message', text });
  }

  /** The incident card, then one card per step, in the conversation it came from. */
  async post(
    incident: IncidentView,
    reference: Partial<ConversationReference>,
    locale: string,
    requesterChannelId: string | undefined,
  ): Promise<void> {
    const keys = [INCIDENT_CARD, ...incident.steps.map((step) => step.id)];
    // Outstanding first, so a restart always looks at cards that were recorded.
    await this.options.ledger?.add(incident.id);
    // Recorded before anything is posted: a crash from here on leaves the cards "unposted", and
    // the restarted bot posts them (see postUnposted) instead of leaving an incident without cards.
    const cards: IncidentCards = {
      incidentId: incident.id,
      reference,
      locale,
      ...(requesterChannelId ? { requesterChannelId } : {}),
      stepActivityIds: {},
      summaryPosted: false,
      unposted: keys,
    };
    await this.options.registry.put(cards);
    await this.postCards(incident, cards, keys);
  }

  /**
   * Posts cards one by one and records each activity id right after Teams accepted it. Teams has
   * no idempotency key for a post: if the process dies between the post and that record, the
   * restarted bot posts the card again (the documented window, one card per crash).
   */
  private async postCards(incident: IncidentView, cards: IncidentCards, keys: string[]): Promise<void> {
    const { gateway, registry, logger } = this.options;
    const refreshFor = refreshUsers(cards.requesterChannelId, cards.responders);
    // Claimed all at once in this instance: a concurrent refresh leaves them to this call.
    const mine = keys.filter((key) => !this.posting.has(`${incident.id}/${key}`));
    const settle = new Map<string, () => void>();
    for (const key of mine) {
      this.posting.set(`${incident.id}/${key}`, new Promise((resolve) => settle.set(key, resolve)));
    }
    for (const key of mine) {
      try {
        const step = incident.steps.find((candidate) => candidate.id === key);
        const card = cardActivity(
          step
            ? this.stepCard(incident, step, cards.locale, '', refreshFor)
            : this.incidentCard(incident, cards.locale, '', refreshFor),
        );
        let id: string | undefined;
        try {
          id = await gateway.send(cards.reference, card);
        } catch (error) {
          // Refused after every retry: noted, not fatal; it stays unposted for the next refresh.
          logger.warn({ err: error, incidentId: incident.id, card: key }, 'card not posted yet');
        }
        if (!id) continue;
        this.sentCards.remember(id, visible(card));
        await registry.update(incident.id, (current) => ({
          ...current,
          ...(step
            ? { stepActivityIds: { ...current.stepActivityIds, [key]: id } }
            : { incidentActivityId: id }),
          unposted: (current.unposted ?? []).filter((candidate) => candidate !== key),
        }));
      } finally {
        this.posting.delete(`${incident.id}/${key}`);
        settle.get(key)?.();
      }
    }
  }

  /**
   * Posts the cards an earlier attempt (or a crashed instance) did not. Cards this instance is
   * posting right now are not posted twice: their post is awaited, so this refresh then updates
   * them with its newer state. Undefined when nothing had to be posted or awaited.
   */
  private async postUnposted(
    incident: IncidentView,
    cards: IncidentCards,
  ): Promise<IncidentCards | undefined> {
    const unposted = cards.unposted ?? [];
    if (unposted.length === 0) return undefined;
    const inFlight = unposted.flatMap((key) => this.posting.get(`${incident.id}/${key}`) ?? []);
    const pending = unposted.filter((key) => !this.posting.has(`${incident.id}/${key}`));
    if (pending.length > 0) await this.postCards(incident, cards, pending);
    await Promise.all(inFlight);
    return (await this.options.registry.get(incident.id)) ?? cards;
  }

  /**
   * Re-renders the incident card and the given steps' cards (all when omitted) in place, so
   * everyone in the conversation sees the same state, not only the one who clicked. Given the
   * view the engine just returned, it is shown as is rather than read again.
   */
  async refresh(
    incidentOrId: string | IncidentView,
    onlySteps?: string[],
    options: { incidentCard?: boolean } = {},
  ): Promise<IncidentView | undefined> {
    const { engine, registry, logger } = this.options;
    const incidentId = typeof incidentOrId === 'string' ? incidentOrId : incidentOrId.id;
    const [first, stored] = await Promise.all([
      typeof incidentOrId === 'string' ? engine.getIncident(incidentId) : incidentOrId,
      registry.get(incidentId),
    ]);
    if (!first || !stored) return first;
    const posted = await this.postUnposted(first, stored);
    // Posting takes a while under Teams' pace: the updates below show the state after it.
    const incident = posted ? ((await engine.getIncident(incidentId)) ?? first) : first;
    const cards = posted ?? stored;
    const refreshFor = refreshUsers(cards.requesterChannelId, cards.responders);
    const updates: Promise<void>[] = [];
    if (cards.incidentActivityId && options.incidentCard !== false) {
      const card = this.incidentCard(incident, cards.locale, '', refreshFor);
      updates.push(this.updateCard(cards.reference, cards.incidentActivityId, cardActivity(card)));
    }
    for (const step of incident.steps) {
      const activityId = cards.stepActivityIds[step.id];
      if (!activityId || (onlySteps && !onlySteps.includes(step.id))) continue;
      const notice = cards.stepNotices?.[step.id] ?? '';
      const card = this.stepCard(incident, step, cards.locale, notice, refreshFor);
      updates.push(this.updateCard(cards.reference, activityId, cardActivity(card)));
    }
    if (cards.summaryActivityId) {
      // A step undone after completion: the summary must stop saying "Done" for it.
      const summary = cardActivity(
        this.options.templates.render('summary', buildSummaryCard(incident, this.cardContext(cards.locale))),
      );
      updates.push(this.updateCard(cards.reference, cards.summaryActivityId, summary));
    }
    const results = await Promise.allSettled(updates);
    for (const result of results) {
      if (result.status === 'rejected') logger.warn({ err: result.reason, incidentId }, 'card update failed');
    }
    await this.summary.completeIfDone(incident, cards);
    return incident;
  }

  /**
   * Writes a card only when what it shows changed; the outbox queues it behind the
   * conversation's other writes and coalesces it with later content for the same card.
   */
  private async updateCard(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    const shown = visible(activity);
    if (this.sentCards.shows(activityId, shown)) return;
    this.sentCards.remember(activityId, shown);
    try {
      await this.options.gateway.update(reference, activityId, activity);
    } catch (error) {
      this.sentCards.forget(activityId);
      throw error;
    }
  }

  /** Shows a step as running in place (while the engine works). */
  async showRunning(incident: IncidentView, step: StepView): Promise<void> {
    const cards = await this.options.registry.get(incident.id);
    const activityId = cards?.stepActivityIds[step.id];
    if (!cards || !activityId) return;
    const refreshFor = refreshUsers(cards.requesterChannelId, cards.responders);
    const running = this.stepCard(incident, { ...step, status: 'running' }, cards.locale, '', refreshFor);
    await this.updateCard(cards.reference, activityId, cardActivity(running));
  }

  /** One credential to its approver privately; the note goes on the step's card where it can. */
  async deliverSecret(
    incident: IncidentView,
    stepId: string,
    secret: SecretDelivery,
    approver: CredentialRecipient,
    clickedIn: ClickedIn,
  ): Promise<void> {
    await this.credentials.deliver(
      [{ incidentId: incident.id, targetName: incident.target.displayName, stepId, secret }],
      approver,
      clickedIn,
      { incidentId: incident.id, stepId },
    );
  }

  /** Several credentials (a group approval): each on its own card, one note in the conversation. */
  async deliverSecrets(
    deliveries: CredentialHandover[],
    approver: CredentialRecipient,
    clickedIn: ClickedIn,
  ): Promise<void> {
    await this.credentials.deliver(deliveries, approver, clickedIn);
  }
}
