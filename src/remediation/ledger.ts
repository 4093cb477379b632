import { message } from '../i18n/message';
import { retryOnContention, RETRY } from '../concurrency/retryOnContention';
import type { Attempt, ContentionRetryOptions } from '../concurrency/retryOnContention';
import type {
  Actor,
  IncidentView,
  SecretDelivery,
  StepId,
  StepOutcome,
  StepStatus,
  TargetView,
} from './contract';
import { PolicyError, refusal } from './contract';
import type { IncidentFeed } from './events';
import type { RefusalAudit } from './refusalAudit';
import type { AuditEvent, IncidentRecord, RemediationStore, StepRecord } from './storage';
import type { StepContext } from './steps/types';
import type { M365Services } from '../m365/types';
import { toIncidentView } from './views';

export interface LedgerDeps {
  store: RemediationStore;
  services: M365Services;
  clock: () => Date;
  refusals: RefusalAudit;
  feed: IncidentFeed;
  retry?: ContentionRetryOptions;
  tenantDomains?: string[];
}

type StepPatch = Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>>;

export function isClosed(incident: IncidentRecord): boolean {
  return incident.status === 'completed' || incident.status === 'cancelled';
}

/**
 * The one place incidents and steps are read and written: every use case goes through it, so
 * "not found", "closed", optimistic updates (bounded retry with jitter), the audit log and the
 * change events behave the same everywhere.
 */
export class IncidentLedger {
  constructor(private readonly deps: LedgerDeps) {}

  now(): string {
    return this.deps.clock().toISOString();
  }

  /** What a step module sees for this target. */
  context(target: TargetView): StepContext {
    const domain = target.userPrincipalName.split('@')[1];
    return {
      services: this.deps.services,
      target,
      tenantDomains: this.deps.tenantDomains ?? (domain ? [domain.toLowerCase()] : []),
      now: this.deps.clock,
    };
  }

  async requireIncident(incidentId: string): Promise<IncidentRecord> {
    const incident = await this.deps.store.getIncident(incidentId);
    if (!incident) throw refusal('UnknownIncident', message('refusal.noIncident', { id: incidentId }));
    return incident;
  }

  /** The incident, refused when it is completed or cancelled. */
  async requireOpenIncident(incidentId: string): Promise<IncidentRecord> {
    const incident = await this.requireIncident(incidentId);
    if (isClosed(incident))
      throw refusal(
        'IncidentClosed',
        message('refusal.incidentClosed', {
          id: incidentId,
          status: message('report.status', { status: incident.status }),
        }),
      );
    return incident;
  }

  async requireStep(incidentId: string, stepId: StepId): Promise<StepRecord> {
    const step = await this.deps.store.getStep(incidentId, stepId);
    if (!step) throw refusal('UnknownIncident', message('refusal.noStep', { id: incidentId, step: stepId }));
    return step;
  }

  async view(incidentId: string): Promise<IncidentView> {
    const incident = await this.requireIncident(incidentId);
    return toIncidentView(incident, await this.deps.store.listSteps(incidentId));
  }

  async outcome(incidentId: string, stepId: StepId, secret?: SecretDelivery): Promise<StepOutcome> {
    const incident = await this.view(incidentId);
    const step = incident.steps.find((candidate) => candidate.id === stepId);
    if (!step) throw refusal('UnknownIncident', message('refusal.noStep', { id: incidentId, step: stepId }));
    return { incident, step, ...(secret ? { secret } : {}) };
  }

  /**
   * Optimistic update of an incident: `change` gets the current record and returns the next one,
   * or undefined when nothing is to be written (then nothing is). Returns what was written.
   */
  async updateIncident(
    incidentId: string,
    operation: string,
    change: (incident: IncidentRecord) => IncidentRecord | undefined,
  ): Promise<IncidentRecord | undefined> {
    const written = await retryOnContention(
      operation,
      this.deps.retry ?? {},
      async (): Promise<Attempt<IncidentRecord | undefined>> => {
        const current = await this.requireIncident(incidentId);
        const next = change(current);
        if (!next) return undefined;
        return (await this.deps.store.updateIncident(next, current.version)) ? next : RETRY;
      },
    );
    if (written) this.deps.feed.changed(incidentId);
    return written;
  }

  /** Optimistic update of a step, retried until it wins (bounded). */
  async saveStep(
    incidentId: string,
    stepId: StepId,
    change: (step: StepRecord) => StepRecord,
  ): Promise<void> {
    await retryOnContention(`saveStep ${stepId}`, this.deps.retry ?? {}, async (): Promise<Attempt<true>> => {
      const current = await this.requireStep(incidentId, stepId);
      return (await this.deps.store.updateStep(change(current), current.version)) ? true : RETRY;
    });
    this.deps.feed.changed(incidentId, [stepId]);
  }

  /** One compare-and-set of a step on the version it was read at; false when someone else won. */
  async replaceStep(step: StepRecord, expectedVersion: number): Promise<boolean> {
    const won = await this.deps.store.updateStep(step, expectedVersion);
    if (won) this.deps.feed.changed(step.incidentId, [step.stepId]);
    return won;
  }

  /** Moves a step from one of `from` to `to` if it still is in one of them (see IncidentStore.transitionStep). */
  async transitionStep(
    incidentId: string,
    stepId: StepId,
    from: StepStatus | StepStatus[],
    to: StepStatus,
    patch?: StepPatch,
  ): Promise<boolean> {
    const won = await this.deps.store.transitionStep(incidentId, stepId, from, to, patch);
    if (won) this.deps.feed.changed(incidentId, [stepId]);
    return won;
  }

  /** Records the approver once (an awaiting-approval incident opens). */
  async recordApproval(incidentId: string, actor: Actor): Promise<void> {
    const written = await this.updateIncident(incidentId, 'recordApproval', (incident) => {
      if (incident.approvals.some((approval) => approval.actor.id === actor.id)) return undefined;
      const now = this.now();
      return {
        ...incident,
        approvals: [...incident.approvals, { actor, at: now }],
        status: incident.status === 'awaiting-approval' ? 'open' : incident.status,
        updatedAt: now,
      };
    });
    if (written) await this.audit({ incidentId, actor, event: 'incident.approved', outcome: 'ok' });
  }

  /** Completes an open incident once every step is done or skipped. */
  async completeIfFinished(incidentId: string): Promise<void> {
    const steps = await this.deps.store.listSteps(incidentId);
    if (!steps.every((step) => step.status === 'done' || step.status === 'skipped')) return;
    const written = await this.updateIncident(incidentId, 'completeIncident', (incident) =>
      isClosed(incident) ? undefined : { ...incident, status: 'completed', updatedAt: this.now() },
    );
    if (written) await this.audit({ incidentId, event: 'incident.completed', outcome: 'ok' });
  }

  /** Appends to the audit log; refusals go through the capped refusal audit. */
  async audit(event: Omit<AuditEvent, 'at'>): Promise<void> {
    if (event.outcome === 'refused') {
      await this.deps.refusals.record(event);
      return;
    }
    await this.deps.store.appendAudit({ at: this.now(), ...event });
  }

  /** Runs a policy check; a refusal is audited (as `event`) before it is thrown. */
  async guard(
    incident: IncidentRecord,
    actor: Actor,
    event: string,
    check: () => Promise<void>,
    stepId?: StepId,
  ): Promise<void> {
    try {
      await check();
    } catch (error) {
      if (error instanceof PolicyError) await this.refused(incident.id, actor, event, error, stepId);
      throw error;
    }
  }

  async refused(
    incidentId: string,
    actor: Actor,
    event: string,
    error: PolicyError,
    stepId?: StepId,
    detail = `${error.code}: ${error.message}`,
  ): Promise<void> {
    await this.audit({
      incidentId,
      ...(stepId ? { stepId } : {}),
      actor,
      event,
      outcome: 'refused',
      detail,
    });
  }
}
