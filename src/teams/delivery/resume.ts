import type { Logger } from '../../observability/logger';
import type { RemediationEngine, ResumedSecret, SecretDelivery, StepId } from '../../remediation/contract';
import type { CardRegistry } from '../cardRegistry';
import type { IncidentPresenter } from '../incidentPresenter';
import type { ApproverRoutes } from './approverRoutes';
import type { DeliveryLedger } from './ledger';
import type { OwedCredential, OwedCredentials } from './owedCredentials';

/** The engine's resume, with the one extra a restart needs: a credential it had to set again. */
export interface ResumableEngine extends Pick<RemediationEngine, 'getIncident'> {
  resumeInterrupted(onSecret?: (resumed: ResumedSecret) => Promise<void>): Promise<unknown>;
  /** A credential set before the crash that reached nobody: a new one, with the same approval. */
  reissueCredential(incidentId: string, stepId: StepId): Promise<SecretDelivery | undefined>;
}

export interface ResumeDeliveryOptions {
  engine: ResumableEngine;
  presenter: IncidentPresenter;
  registry: CardRegistry;
  ledger: DeliveryLedger;
  owedCredentials?: OwedCredentials;
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
    const { engine, presenter, registry, routes, logger, owedCredentials } = this.options;
    const owed = (await owedCredentials?.list()) ?? [];
    const owedFor = (incidentId: string, stepId: string) =>
      owed.find((entry) => entry.incidentId === incidentId && entry.stepId === stepId);
    await engine.resumeInterrupted(async ({ incidentId, stepId, secret, approver }) => {
      const [cards, incident] = await Promise.all([registry.get(incidentId), engine.getIncident(incidentId)]);
      const recorded = owedFor(incidentId, stepId);
      const channelUserId =
        recorded?.approver.channelUserId ?? (approver ? await routes.channelIdOf(approver.id) : undefined);
      const clickedIn =
        recorded?.clickedIn ??
        (cards
          ? {
              reference: cards.reference,
              personal: cards.reference.conversation?.conversationType === 'personal',
              locale: cards.locale,
            }
          : undefined);
      if (!incident || !channelUserId || !clickedIn) {
        logger.error({ incidentId, stepId }, 'a credential set while resuming has nobody to go to');
        return;
      }
      const name = recorded?.approver.name ?? approver?.displayName ?? '';
      await presenter.deliverSecret(incident, stepId, secret, { channelUserId, name }, clickedIn);
    });
    // Credentials set before the crash and never delivered: a new one goes to the approver.
    for (const entry of (await owedCredentials?.list()) ?? []) {
      try {
        await this.reissue(entry);
      } catch (error) {
        logger.error(
          { err: error, incidentId: entry.incidentId },
          'a credential owed could not be re-issued',
        );
      }
    }
    await this.catchUp();
  }

  private async reissue(entry: OwedCredential): Promise<void> {
    const { engine, presenter, owedCredentials } = this.options;
    const incident = await engine.getIncident(entry.incidentId);
    const step = incident?.steps.find((candidate) => candidate.id === entry.stepId);
    // Still pending, skipped or failed: no credential exists, nothing is owed.
    if (!incident || !step || step.status !== 'done') {
      await owedCredentials?.settle(entry.incidentId, entry.stepId);
      return;
    }
    const secret = await engine.reissueCredential(entry.incidentId, step.id);
    const latest = (await engine.getIncident(entry.incidentId)) ?? incident;
    if (!secret) return;
    await presenter.deliverSecret(latest, step.id, secret, entry.approver, entry.clickedIn);
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
export const RECHECK_MS = 35_000;
const MAX_RECHECKS = 10;
