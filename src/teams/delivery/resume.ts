import type { Logger } from '../../observability/logger';
import type { Actor, RemediationService, SecretDelivery, StepId } from '../../remediation/contract';
import type { CardRegistry } from '../cardRegistry';
import type { IncidentPresenter } from '../incidentPresenter';
import type { ApproverRoutes } from './approverRoutes';
import type { DeliveryLedger } from './ledger';

/** The engine's resume, with the one extra a restart needs: a credential it had to set again. */
export interface ResumableEngine extends Pick<RemediationService, 'getIncident'> {
  resumeInterrupted(
    onSecret?: (resumed: {
      incidentId: string;
      stepId: StepId;
      secret: SecretDelivery;
      approver?: Actor;
    }) => Promise<void>,
  ): Promise<unknown>;
}

export interface ResumeDeliveryOptions {
  engine: ResumableEngine;
  presenter: IncidentPresenter;
  registry: CardRegistry;
  ledger: DeliveryLedger;
  routes: ApproverRoutes;
  logger: Logger;
}

/**
 * After a restart: finish the steps a crash interrupted, deliver any credential they set to the
 * approver, then bring every incident that still owes Teams something up to date (cards,
 * summaries in the chat and the security channel).
 */
export class ResumeDelivery {
  constructor(private readonly options: ResumeDeliveryOptions) {}

  async resumeInterrupted(): Promise<void> {
    const { engine, presenter, registry, ledger, routes, logger } = this.options;
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
    for (const incidentId of await ledger.list()) {
      try {
        await presenter.refresh(incidentId);
      } catch (error) {
        logger.warn({ err: error, incidentId }, 'bringing cards up to date after a restart failed');
      }
    }
  }
}
