import type { Logger } from '../../observability/logger';
import type { RemediationEngine, ResumedSecret } from '../../remediation/contract';
import type { CardRegistry } from '../cardRegistry';
import type { IncidentPresenter } from '../incidentPresenter';
import type { ApproverRoutes } from './approverRoutes';
import type { DeliveryLedger } from './ledger';

/** The engine's resume, with the one extra a restart needs: a credential it had to set again. */
export interface ResumableEngine extends Pick<RemediationEngine, 'getIncident'> {
  resumeInterrupted(onSecret?: (resumed: ResumedSecret) => Promise<void>): Promise<unknown>;
}

export interface ResumeDeliveryOptions {
  engine: ResumableEngine;
  presenter: IncidentPresenter;
  registry: CardRegistry;
  ledger: DeliveryLedger;
  routes: ApproverRoutes;
  logger: Logger;
  /** How long after a catch-up that left work outstanding to try again. */
  recheckMs?: number;
}

/**
 * After a restart: finish the steps a crash interrupted, deliver any credential they set to the
 * approver, then bring every incident that still owes Teams something up to date (cards,
 * summaries in the chat and the security channel).
 */
export class ResumeDelivery {
  private recheck: NodeJS.Timeout | undefined;
  private rechecks = 0;

  constructor(private readonly options: ResumeDeliveryOptions) {}

  async resumeInterrupted(): Promise<void> {
    const { engine, presenter, registry, routes, logger } = this.options;
    await engine.resumeInterrupted(async ({ incidentId, stepId, secret, approver }) => {
      const [cards, incident] = await Promise.all([registry.get(incidentId), engine.getIncident(incidentId)]);
      const channelUserId = approver ? await routes.channelIdOf(approver.id) : undefined;
      if (!cards || !incident || !approver || !channelUserId) {
        logger.error({ incidentId, stepId }, 'a credential set while resuming has nobody to go to');
        return;
      }
      await presenter.deliverSecret(
        incident,
        stepId,
        secret,
        { channelUserId, name: approver.displayName },
        {
          reference: cards.reference,
          personal: cards.reference.conversation?.conversationType === 'personal',
          locale: cards.locale,
        },
      );
    });
    await this.catchUp();
  }

  /** Stops the re-check a restart may have scheduled (shutdown). */
  stop(): void {
    clearTimeout(this.recheck);
    this.recheck = undefined;
  }

  /**
   * Brings every outstanding incident up to date. What is still outstanding afterwards (a summary
   * claimed by an instance that died mid-post, or Teams still refusing) is tried again once the
   * claim's lease has run out.
   */
  private async catchUp(): Promise<void> {
    const { presenter, ledger, logger } = this.options;
    for (const incidentId of await ledger.list()) {
      try {
        await presenter.refresh(incidentId);
      } catch (error) {
        logger.warn({ err: error, incidentId }, 'bringing cards up to date after a restart failed');
      }
    }
    if ((await ledger.list()).length === 0 || this.rechecks >= MAX_RECHECKS) return;
    this.rechecks += 1;
    this.recheck = setTimeout(() => {
      this.catchUp().catch((error: unknown) => logger.warn({ err: error }, 'delivery re-check failed'));
    }, this.options.recheckMs ?? RECHECK_MS);
    this.recheck.unref();
  }
}

/** Longer than a summary claim's lease (30 s). */
const RECHECK_MS = 35_000;
const MAX_RECHECKS = 10;
