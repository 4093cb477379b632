import type { ConversationReference } from 'botbuilder';
import type { Logger } from '../../observability/logger';
import type { ConversationGateway } from '../gateway';

/** Where a click happened and who made it: enough to know where a credential would go. */
export interface CredentialRecipient {
  reference: Partial<ConversationReference>;
  personal: boolean;
  channelUserId: string;
}

/**
 * Before a password is reset or a Temporary Access Pass created, the approver's 1:1 chat must be
 * open-able: otherwise the credential would exist and reach nobody. In Teams the bot can open that
 * chat only when the app is installed for the user (else 403). Never blocks a click in the 1:1
 * chat itself. A chat once opened stays open, so a success is remembered for this instance.
 */
export class CredentialReach {
  private readonly reachable = new Set<string>();

  constructor(
    private readonly gateway: ConversationGateway,
    private readonly logger: Logger,
  ) {}

  async canReceive(recipient: CredentialRecipient): Promise<boolean> {
    if (recipient.personal) return true;
    const open = this.gateway.openPrivately?.bind(this.gateway);
    if (!open) return true;
    const key = `${recipient.reference.conversation?.tenantId ?? ''}|${recipient.channelUserId}`;
    if (this.reachable.has(key)) return true;
    try {
      await open(recipient.reference, recipient.channelUserId);
      this.reachable.add(key);
      return true;
    } catch (error) {
      this.logger.warn(
        { err: error, conversationId: recipient.reference.conversation?.id },
        'the approver cannot receive a credential privately; the step is refused',
      );
      return false;
    }
  }
}
