import type { Activity, ConversationReference } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { inertText } from '../remediation/inertText';
import type { SecretDelivery } from '../remediation/contract';
import type { CardRegistry } from './cardRegistry';
import type { OwedCredentials } from './delivery/owedCredentials';
import type { ConversationGateway } from './gateway';
import { stringsFor } from './i18n';
import type { SecretCards } from './secretCards';

/** One credential to hand over: whose, from which step, and the secret itself (never stored). */
export interface CredentialHandover {
  incidentId: string;
  targetName: string;
  stepId: string;
  secret: SecretDelivery;
}

/** Who approved (their Teams id) and where they clicked. */
export interface CredentialRecipient {
  channelUserId: string;
  name: string;
}

export interface ClickedIn {
  reference: Partial<ConversationReference>;
  personal: boolean;
  locale: string;
}

export interface CredentialDeliveryOptions {
  gateway: ConversationGateway;
  registry: CardRegistry;
  logger: Logger;
  secretCards?: SecretCards;
  /** Credentials approved but not delivered yet (settled here once sent). */
  owedCredentials?: OwedCredentials;
  /** The credential card of one handover, as an activity. */
  secretActivity: (handover: CredentialHandover, locale: string) => Partial<Activity>;
}

/**
 * The password or TAP goes only to the approving responder, in their 1:1 chat with the bot:
 * never in a channel or group chat. The conversation where they clicked gets a note.
 */
export class CredentialDelivery {
  constructor(private readonly options: CredentialDeliveryOptions) {}

  /** Each credential on its own card; one note in the conversation (or on `noteOn`'s step card). */
  async deliver(
    deliveries: CredentialHandover[],
    approver: CredentialRecipient,
    clickedIn: ClickedIn,
    /** Say where it went on this step's card (updated anyway) instead of in a message of its own. */
    noteOn?: { incidentId: string; stepId: string },
  ): Promise<void> {
    if (deliveries.length === 0) return;
    const { gateway, secretCards, logger } = this.options;
    const cards = deliveries.map((delivery) => this.options.secretActivity(delivery, clickedIn.locale));
    if (clickedIn.personal) {
      for (const card of cards) {
        const activityId = await gateway.send(clickedIn.reference, card);
        await secretCards?.remember(activityId, approver.channelUserId, clickedIn.reference.conversation?.id);
      }
      await this.settleOwed(deliveries);
      return;
    }
    let failed = 0;
    for (const [index, card] of cards.entries()) {
      try {
        const delivery = await gateway.sendPrivately(clickedIn.reference, approver.channelUserId, card);
        await secretCards?.remember(delivery.activityId, approver.channelUserId, delivery.conversationId);
      } catch (error) {
        // Never fall back to the group: the credential is dropped and the responder told how to get a new one.
        failed += 1;
        logger.warn(
          { err: error, incidentId: deliveries[index]?.incidentId },
          'private delivery of a credential failed',
        );
      }
    }
    // Delivered, or dropped with the responder told how to get a new one: owed no longer.
    await this.settleOwed(deliveries);
    const note = this.note(deliveries.length, failed, approver, clickedIn.locale);
    if (noteOn && (await this.noteOnStepCard(noteOn, clickedIn.reference, note))) return;
    await gateway.send(clickedIn.reference, { type: 'message', text: note });
  }

  private async settleOwed(deliveries: { incidentId: string; stepId: string }[]): Promise<void> {
    for (const { incidentId, stepId } of deliveries)
      await this.options.owedCredentials?.settle(incidentId, stepId);
  }

  private note(total: number, failed: number, approver: CredentialRecipient, locale: string): string {
    const strings = stringsFor(locale);
    const single = total === 1;
    const sent = total - failed;
    const name = inertText(approver.name);
    return [
      ...(sent > 0
        ? [single ? strings.secretSentPrivately(name) : strings.groupSecretsSentPrivately(sent, name)]
        : []),
      ...(failed > 0
        ? [single ? strings.secretNotDelivered(name) : strings.groupSecretsNotDelivered(failed, name)]
        : []),
    ].join('\n\n');
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
}
