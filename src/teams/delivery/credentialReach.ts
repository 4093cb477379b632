import type { ConversationReference } from 'botbuilder';
import type { Logger } from '../../observability/logger';
import type { Actor } from '../../remediation/contract';
import type { ConversationGateway } from '../gateway';
import type { OwedCredential, OwedCredentials } from './owedCredentials';

/** Where a click happened and who made it: enough to know where a credential would go. */
export interface CredentialRecipient {
  reference: Partial<ConversationReference>;
  personal: boolean;
  channelUserId: string;
  /** The approver and the approval; with them the app can be installed for the approver. */
  approver?: Actor;
  on?: { incidentId: string } | { groupId: string };
}

/** Installs the app for the approver through the engine (policy-checked and audited). */
export type ApproverInstaller = (
  approver: Actor,
  on: { incidentId: string } | { groupId: string },
) => Promise<boolean>;

export interface CredentialReachOptions {
  install?: ApproverInstaller;
  /**
   * Waits before each new attempt to open the chat after an install. Microsoft documents no delay
   * between the install and the bot being able to open the 1:1 chat; default 0, 1 s and 3 s.
   */
  openRetryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
  /** Credentials owed to approvers (recorded when the answer is yes). */
  owed?: OwedCredentials;
}

/**
 * Before a password is reset or a Temporary Access Pass created, the approver's 1:1 chat must be
 * open-able: otherwise the credential would exist and reach nobody. In Teams the bot can open that
 * chat only when the app is installed for the user (else 403), so on a refusal the app is installed
 * for the approver and the chat opened again; only if that fails too is the step refused. Never
 * blocks a click in the 1:1 chat itself. A chat once opened stays open, so a success is remembered
 * for this instance.
 */
export class CredentialReach {
  private readonly opened = new Set<string>();
  private readonly delays: number[];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly gateway: ConversationGateway,
    private readonly logger: Logger,
    private readonly options: CredentialReachOptions = {},
  ) {
    this.delays = options.openRetryDelaysMs ?? [0, 1_000, 3_000];
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** `owed`: recorded when the answer is yes, before the caller lets the step run. */
  async canReceive(recipient: CredentialRecipient, owed: readonly OwedCredential[] = []): Promise<boolean> {
    const reachable = await this.reachable(recipient);
    if (reachable) for (const credential of owed) await this.options.owed?.owe(credential);
    return reachable;
  }

  private async reachable(recipient: CredentialRecipient): Promise<boolean> {
    if (recipient.personal) return true;
    const open = this.gateway.openPrivately?.bind(this.gateway);
    if (!open) return true;
    const key = `${recipient.reference.conversation?.tenantId ?? ''}|${recipient.channelUserId}`;
    if (this.opened.has(key)) return true;
    const tryOpen = async (): Promise<unknown> => {
      try {
        await open(recipient.reference, recipient.channelUserId);
        this.opened.add(key);
        return undefined;
      } catch (error) {
        return error ?? new Error('the chat could not be opened');
      }
    };
    let failure = await tryOpen();
    if (failure !== undefined && (await this.installFor(recipient))) {
      for (const delay of this.delays) {
        if (delay > 0) await this.sleep(delay);
        failure = await tryOpen();
        if (failure === undefined) break;
      }
    }
    if (failure === undefined) return true;
    this.logger.warn(
      { err: failure, conversationId: recipient.reference.conversation?.id },
      'the approver cannot receive a credential privately; the step is refused',
    );
    return false;
  }

  private async installFor(recipient: CredentialRecipient): Promise<boolean> {
    const { install } = this.options;
    if (!install || !recipient.approver || !recipient.on) return false;
    try {
      return await install(recipient.approver, recipient.on);
    } catch (error) {
      this.logger.warn({ err: error }, 'installing the app for the approver failed');
      return false;
    }
  }
}
