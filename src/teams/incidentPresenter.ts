import { CardFactory } from 'botbuilder';
import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { inertText } from '../remediation/inertText';
import type { IncidentView, RemediationEngine, SecretDelivery, StepView } from '../remediation/contract';
import type { CardRegistry, IncidentCards } from './cardRegistry';
import { buildIncidentCard, buildSecretCard, buildStepCard, buildSummaryCard } from './cards/builders';
import type { CardContext } from './cards/builders';
import type { AdaptiveCard, CardTemplates } from './cards/templates';
import type { DeliveryLedger } from './delivery/ledger';
import { SentCards } from './delivery/sentCards';
import type { ConversationGateway } from './gateway';
import type { SecretCards } from './secretCards';
import { localeTagFor, stringsFor } from './i18n';

export interface PresenterOptions {
  engine: RemediationEngine;
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
}

/** The key of the incident card among an incident's cards (the others are step ids). */
const INCIDENT_CARD = 'incident';

/** A summary claim older than this was abandoned by a crashed instance and may be taken over. */
const SUMMARY_LEASE_MS = 30_000;

/** The security channel is reached through the service URL and tenant of the conversation the incident started in. */
export function securityChannelReference(
  origin: Partial<ConversationReference>,
  securityChannelId: string,
): Partial<ConversationReference> {
  return {
    ...origin,
    conversation: {
      id: securityChannelId,
      isGroup: true,
      conversationType: 'channel',
      name: '',
      ...(origin.conversation?.tenantId ? { tenantId: origin.conversation.tenantId } : {}),
    },
    activityId: undefined,
  };
}

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

/** Posts an incident's cards, keeps them current, and closes it with a summary. */
export class IncidentPresenter {
  private readonly sentCards = new SentCards();

  constructor(private readonly options: PresenterOptions) {}

  cardContext(locale: string | undefined): CardContext {
    return {
      strings: stringsFor(locale),
      simulated: this.options.simulated,
      fourEyes: this.options.fourEyes,
      localeTag: localeTagFor(locale),
    };
  }

  incidentCard(incident: IncidentView, locale: string | undefined, notice = ''): AdaptiveCard {
    return this.options.templates.render(
      'incident',
      buildIncidentCard(incident, this.cardContext(locale), notice),
    );
  }

  stepCard(incident: IncidentView, step: StepView, locale: string | undefined, notice = ''): AdaptiveCard {
    return this.options.templates.render(
      'step',
      buildStepCard(incident, step, this.cardContext(locale), notice),
    );
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

  /** The locale an incident's cards were posted in, if they were posted. */
  async localeOf(incidentId: string): Promise<string | undefined> {
    return (await this.options.registry.get(incidentId))?.locale;
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
    const { gateway, registry } = this.options;
    const cards: IncidentCards = {
      incidentId: incident.id,
      reference,
      locale,
      ...(requesterChannelId ? { requesterChannelId } : {}),
      stepActivityIds: {},
      summaryPosted: false,
    };
    await this.options.ledger?.add(incident.id);
    const unposted: string[] = [];
    // A card Teams refused after every retry is noted, not fatal: the next refresh posts it.
    const postCard = async (key: string, card: Partial<Activity>): Promise<string | undefined> => {
      try {
        const id = await gateway.send(reference, card);
        if (id) this.sentCards.remember(id, card);
        return id;
      } catch (error) {
        unposted.push(key);
        this.options.logger.warn({ err: error, incidentId: incident.id, card: key }, 'card not posted yet');
        return undefined;
      }
    };
    const incidentActivityId = await postCard(
      INCIDENT_CARD,
      cardActivity(this.incidentCard(incident, locale)),
    );
    if (incidentActivityId) cards.incidentActivityId = incidentActivityId;
    for (const step of incident.steps) {
      const id = await postCard(step.id, cardActivity(this.stepCard(incident, step, locale)));
      if (id) cards.stepActivityIds[step.id] = id;
    }
    await registry.put({ ...cards, ...(unposted.length > 0 ? { unposted } : {}) });
  }

  /** Posts the cards an earlier attempt could not (claimed first, so two refreshes do not both post). */
  private async postUnposted(incident: IncidentView, cards: IncidentCards): Promise<IncidentCards> {
    const { gateway, registry, logger } = this.options;
    if (!cards.unposted?.length) return cards;
    let claimed: string[] = [];
    await registry.update(incident.id, (current) => {
      claimed = current.unposted ?? [];
      return { ...current, unposted: [] };
    });
    let latest = cards;
    for (const key of claimed) {
      const step = incident.steps.find((candidate) => candidate.id === key);
      const card = cardActivity(
        step ? this.stepCard(incident, step, cards.locale) : this.incidentCard(incident, cards.locale),
      );
      let id: string | undefined;
      try {
        id = await gateway.send(cards.reference, card);
      } catch (error) {
        logger.warn({ err: error, incidentId: incident.id, card: key }, 'card not posted yet');
      }
      if (id) this.sentCards.remember(id, card);
      latest =
        (await registry.update(incident.id, (current) =>
          !id
            ? { ...current, unposted: [...(current.unposted ?? []), key] }
            : step
              ? { ...current, stepActivityIds: { ...current.stepActivityIds, [key]: id } }
              : { ...current, incidentActivityId: id },
        )) ?? latest;
    }
    return latest;
  }

  /**
   * Re-renders the incident card and the given steps' cards (all when omitted) in place,
   * so everyone in the conversation sees the same state, not only the one who clicked.
   */
  async refresh(
    incidentId: string,
    onlySteps?: string[],
    options: { incidentCard?: boolean } = {},
  ): Promise<IncidentView | undefined> {
    const { engine, registry, logger } = this.options;
    const [incident, stored] = await Promise.all([engine.getIncident(incidentId), registry.get(incidentId)]);
    if (!incident || !stored) return incident;
    const cards = await this.postUnposted(incident, stored);
    const updates: Promise<void>[] = [];
    if (cards.incidentActivityId && options.incidentCard !== false) {
      updates.push(
        this.updateCard(
          cards.reference,
          cards.incidentActivityId,
          cardActivity(this.incidentCard(incident, cards.locale)),
        ),
      );
    }
    for (const step of incident.steps) {
      const activityId = cards.stepActivityIds[step.id];
      if (!activityId || (onlySteps && !onlySteps.includes(step.id))) continue;
      updates.push(
        this.updateCard(
          cards.reference,
          activityId,
          cardActivity(this.stepCard(incident, step, cards.locale, cards.stepNotices?.[step.id] ?? '')),
        ),
      );
    }
    if (cards.summaryActivityId) {
      // A step undone after completion: the summary must stop saying "Done" for it.
      updates.push(
        this.updateCard(
          cards.reference,
          cards.summaryActivityId,
          this.summaryActivity(incident, cards.locale),
        ),
      );
    }
    const results = await Promise.allSettled(updates);
    for (const result of results) {
      if (result.status === 'rejected') logger.warn({ err: result.reason, incidentId }, 'card update failed');
    }
    await this.completeIfDone(incident, cards);
    return incident;
  }

  /**
   * Writes a card only when its content changed; the outbox queues it behind the conversation's
   * other writes and coalesces it with later content for the same card.
   */
  private async updateCard(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    if (this.sentCards.shows(activityId, activity)) return;
    this.sentCards.remember(activityId, activity);
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
    await this.updateCard(
      cards.reference,
      activityId,
      cardActivity(this.stepCard(incident, { ...step, status: 'running' }, cards.locale)),
    );
  }

  /**
   * The password or TAP goes only to the approving responder, in their 1:1 chat with the bot:
   * never in a channel or group chat. The conversation where they clicked gets a note.
   */
  async deliverSecret(
    incident: IncidentView,
    stepId: string,
    secret: SecretDelivery,
    approver: { channelUserId: string; name: string },
    clickedIn: { reference: Partial<ConversationReference>; personal: boolean; locale: string },
  ): Promise<void> {
    await this.deliverSecrets(
      [{ incidentId: incident.id, targetName: incident.target.displayName, stepId, secret }],
      approver,
      clickedIn,
      { incidentId: incident.id, stepId },
    );
  }

  /** Several credentials (a group approval): each on its own card, one note in the conversation. */
  async deliverSecrets(
    deliveries: { incidentId: string; targetName: string; stepId: string; secret: SecretDelivery }[],
    approver: { channelUserId: string; name: string },
    clickedIn: { reference: Partial<ConversationReference>; personal: boolean; locale: string },
    /** Say where it went on this step's card (updated anyway) instead of in a message of its own. */
    noteOn?: { incidentId: string; stepId: string },
  ): Promise<void> {
    if (deliveries.length === 0) return;
    const cards = deliveries.map((delivery) =>
      cardActivity(
        this.secretCard(
          { incidentId: delivery.incidentId, stepId: delivery.stepId },
          delivery.targetName,
          delivery.secret,
          clickedIn.locale,
        ),
      ),
    );
    if (clickedIn.personal) {
      for (const card of cards) {
        const activityId = await this.options.gateway.send(clickedIn.reference, card);
        await this.options.secretCards?.remember(
          activityId,
          approver.channelUserId,
          clickedIn.reference.conversation?.id,
        );
      }
      return;
    }
    const strings = stringsFor(clickedIn.locale);
    const single = deliveries.length === 1;
    let failed = 0;
    for (const card of cards) {
      try {
        const delivery = await this.options.gateway.sendPrivately(
          clickedIn.reference,
          approver.channelUserId,
          card,
        );
        await this.options.secretCards?.remember(
          delivery.activityId,
          approver.channelUserId,
          delivery.conversationId,
        );
      } catch (error) {
        // Never fall back to the group: the credential is dropped and the responder told how to get a new one.
        failed += 1;
        this.options.logger.warn(
          { err: error, incidentId: deliveries[cards.indexOf(card)]?.incidentId },
          'private delivery of a credential failed',
        );
      }
    }
    const sent = deliveries.length - failed;
    const notes = [
      ...(sent > 0
        ? [
            single
              ? strings.secretSentPrivately(inertText(approver.name))
              : strings.groupSecretsSentPrivately(sent, inertText(approver.name)),
          ]
        : []),
      ...(failed > 0
        ? [
            single
              ? strings.secretNotDelivered(inertText(approver.name))
              : strings.groupSecretsNotDelivered(failed, inertText(approver.name)),
          ]
        : []),
    ];
    const note = notes.join('\n\n');
    if (noteOn && (await this.noteOnStepCard(noteOn, clickedIn.reference, note))) return;
    await this.options.gateway.send(clickedIn.reference, { type: 'message', text: note });
  }

  /** Records a note for a step card of the conversation clicked in; the caller's refresh shows it. */
  private async noteOnStepCard(
    at: { incidentId: string; stepId: string },
    clickedIn: Partial<ConversationReference>,
    note: string,
  ): Promise<boolean> {
    const cards = await this.options.registry.get(at.incidentId);
    if (!cards?.stepActivityIds[at.stepId]) return false;
    if (cards.reference.conversation?.id !== clickedIn.conversation?.id) return false;
    await this.options.registry.update(at.incidentId, (current) => ({
      ...current,
      stepNotices: { ...current.stepNotices, [at.stepId]: note },
    }));
    return true;
  }

  private summaryActivity(incident: IncidentView, locale: string): Partial<Activity> {
    return cardActivity(
      this.options.templates.render('summary', buildSummaryCard(incident, this.cardContext(locale))),
    );
  }

  /**
   * Summary in the conversation, the security channel told, the requester told privately. Each
   * summary is recorded as delivered only once Teams accepted it; a claim (with a lease) keeps two
   * clicks or two instances from posting it twice, and a crashed claimer's lease runs out.
   */
  private async completeIfDone(incident: IncidentView, cards: IncidentCards): Promise<void> {
    const { gateway, registry, securityChannelId, ledger } = this.options;
    if (incident.status === 'cancelled') await ledger?.remove(incident.id);
    if (incident.status !== 'completed') return;
    const delivered = (current: IncidentCards) =>
      !!current.summaryDelivered?.chat && (!securityChannelId || !!current.summaryDelivered.channel);
    if (delivered(cards)) {
      await ledger?.remove(incident.id);
      return;
    }
    const now = Date.now();
    let won = false;
    const claimed = await registry.update(incident.id, (current) => {
      const claimAge = current.summaryClaimedAt ? now - Date.parse(current.summaryClaimedAt) : Infinity;
      won = !delivered(current) && claimAge > SUMMARY_LEASE_MS;
      return won
        ? { ...current, summaryPosted: true, summaryClaimedAt: new Date(now).toISOString() }
        : current;
    });
    if (!won || !claimed) return;
    const mark = (where: 'chat' | 'channel') =>
      registry.update(incident.id, (current) => ({
        ...current,
        summaryDelivered: { ...current.summaryDelivered, [where]: true },
      }));
    try {
      const summary = this.summaryActivity(incident, cards.locale);
      const strings = stringsFor(cards.locale);
      if (!claimed.summaryDelivered?.chat) {
        const summaryActivityId = await gateway.send(cards.reference, summary);
        if (summaryActivityId) this.sentCards.remember(summaryActivityId, summary);
        await registry.update(incident.id, (current) => ({
          ...current,
          ...(summaryActivityId ? { summaryActivityId } : {}),
          summaryDelivered: { ...current.summaryDelivered, chat: true },
        }));
        await this.tellRequester(incident, cards);
      }
      if (securityChannelId && !claimed.summaryDelivered?.channel) {
        // A new post in the channel: nothing of the chat's reference (its reply-to id) goes along.
        await gateway.send(securityChannelReference(cards.reference, securityChannelId), {
          type: 'message',
          text: strings.securityChannelNotice(
            inertText(incident.target.displayName),
            inertText(incident.requester.displayName),
          ),
          attachments: summary.attachments ?? [],
        });
        await mark('channel');
      }
      await ledger?.remove(incident.id);
    } catch (error) {
      this.options.logger.warn({ err: error, incidentId: incident.id }, 'summary not delivered yet');
    } finally {
      await registry.update(incident.id, (current) => {
        const { summaryClaimedAt: _released, ...rest } = current;
        void _released;
        return rest;
      });
    }
  }

  /** Best effort, once: the requester hears privately that the incident they opened from a group is done. */
  private async tellRequester(incident: IncidentView, cards: IncidentCards): Promise<void> {
    const personal = cards.reference.conversation?.conversationType === 'personal';
    if (personal || !cards.requesterChannelId) return;
    try {
      await this.options.gateway.sendPrivately(cards.reference, cards.requesterChannelId, {
        type: 'message',
        text: stringsFor(cards.locale).completedPrivately(inertText(incident.target.displayName)),
      });
    } catch (error) {
      this.options.logger.warn({ err: error, incidentId: incident.id }, 'requester notification failed');
    }
  }
}
