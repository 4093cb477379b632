import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { inertText } from '../remediation/inertText';
import type { IncidentView } from '../remediation/contract';
import type { CardRegistry, IncidentCards } from './cardRegistry';
import type { DeliveryLedger } from './delivery/ledger';
import type { SentCards } from './delivery/sentCards';
import type { ConversationGateway } from './gateway';
import { stringsFor } from './i18n';

/** A summary claim older than this was abandoned by a crashed instance and may be taken over. */
export const SUMMARY_LEASE_MS = 30_000;

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

export interface IncidentSummaryOptions {
  gateway: ConversationGateway;
  registry: CardRegistry;
  logger: Logger;
  sentCards: SentCards;
  /** The summary card of an incident, as an activity. */
  summaryActivity: (incident: IncidentView, locale: string) => Partial<Activity>;
  securityChannelId?: string;
  ledger?: DeliveryLedger;
  /** A claim older than this was abandoned (default SUMMARY_LEASE_MS; tests scale it). */
  leaseMs?: number;
}

/** Closes a finished incident: the summary in its conversation and the security channel, the requester told. */
export class IncidentSummary {
  constructor(private readonly options: IncidentSummaryOptions) {}

  /**
   * Each summary is recorded as delivered only once Teams accepted it; a claim (with a lease)
   * keeps two clicks or two instances from posting it twice, and a crashed claimer's lease runs out.
   */
  async completeIfDone(incident: IncidentView, cards: IncidentCards): Promise<void> {
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
      won = !delivered(current) && claimAge > (this.options.leaseMs ?? SUMMARY_LEASE_MS);
      return won
        ? { ...current, summaryPosted: true, summaryClaimedAt: new Date(now).toISOString() }
        : current;
    });
    if (!won || !claimed) return;
    try {
      const summary = this.options.summaryActivity(incident, cards.locale);
      if (!claimed.summaryDelivered?.chat) {
        const summaryActivityId = await gateway.send(cards.reference, summary);
        if (summaryActivityId) this.options.sentCards.remember(summaryActivityId, summary);
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
          text: stringsFor(cards.locale).securityChannelNotice(
            inertText(incident.target.displayName),
            inertText(incident.requester.displayName),
          ),
          attachments: summary.attachments ?? [],
        });
        await registry.update(incident.id, (current) => ({
          ...current,
          summaryDelivered: { ...current.summaryDelivered, channel: true },
        }));
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
