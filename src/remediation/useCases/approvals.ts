import { message } from '../../i18n/message';
import type {
  Actor,
  ApproveStepOptions,
  IncidentView,
  SecretDelivery,
  StepId,
  StepOutcome,
} from '../contract';
import { PolicyError, refusal, STEP_IDS } from '../contract';
import type { AdminLockout } from '../adminLockout';
import { executionPrerequisites } from '../executionOrder';
import { approveOptionsSchema, idSchema, validActor, validStepId } from '../input';
import type { ActionRecord } from '../storage';
import { STEP_CATALOGUE } from '../steps';
import { planSelected } from '../steps/types';
import { defaultSelection } from '../views';
import type { UseCaseDeps } from './deps';
import { discoverStep } from './discovery';
import type { StepExecution } from './stepExecution';

interface StepApproval {
  incidentId: string;
  stepId: StepId;
  actor: Actor;
  /** False when the step was no longer pending (a duplicate click): nothing was recorded. */
  won: boolean;
}

/** Approving incidents and steps, approving everything left, retrying and skipping. */
export class Approvals {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly execution: StepExecution,
    private readonly lockout: AdminLockout,
  ) {}

  async approveIncident(incidentId: string, approver: Actor): Promise<IncidentView> {
    const { ledger, policy } = this.deps;
    const actor = validActor(approver);
    const incident = await ledger.requireOpenIncident(idSchema.parse(incidentId));
    await ledger.guard(incident, actor, 'incident.approve', () => policy.assertCanApprove(incident, actor));
    await ledger.recordApproval(incident.id, actor);
    return ledger.view(incident.id);
  }

  async approveStep(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<StepOutcome> {
    const approval = await this.recordStepApproval(incidentId, stepId, approver, options);
    if (!approval.won) return this.deps.ledger.outcome(approval.incidentId, approval.stepId);
    const secret = await this.execution.run(
      approval.incidentId,
      approval.stepId,
      ['approved'],
      approval.actor,
    );
    return this.deps.ledger.outcome(approval.incidentId, approval.stepId, secret);
  }

  /**
   * Checks and records a step's approval durably (pending → approved, with its plan), without
   * running it: a restart finds the step approved and runs it.
   */
  private async recordStepApproval(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<StepApproval> {
    const { ledger, policy } = this.deps;
    const actor = validActor(approver);
    const parsedOptions = approveOptionsSchema.parse(options) ?? {};
    const id = validStepId(stepId);
    const incident = await ledger.requireOpenIncident(idSchema.parse(incidentId));
    await ledger.guard(incident, actor, 'step.approve', () => policy.assertCanApprove(incident, actor), id);
    const step = await ledger.requireStep(incident.id, id);
    if (step.status === 'failed') {
      throw refusal('StepNotActionable', message('refusal.retryInstead'));
    }
    // A duplicate click (Teams retries, a second responder) sees the step as it is.
    if (step.status !== 'pending') return { incidentId: incident.id, stepId: id, actor, won: false };
    if (step.manualGuidance !== undefined && step.candidates.length === 0) {
      throw refusal(
        'StepNotActionable',
        message('refusal.byHand', { guidance: step.manualGuidanceMessage ?? step.manualGuidance }),
      );
    }

    const module = STEP_CATALOGUE[id];
    await this.lockout.refuseAtApproval(incident, module, actor);
    const selection = parsedOptions.selectedFindingIds ?? defaultSelection(step);
    const unknown = selection.filter(
      (findingId) => !step.findings.some((finding) => finding.id === findingId),
    );
    if (unknown.length > 0) {
      throw refusal('StepNotActionable', message('refusal.unknownFindings', { ids: unknown.join(', ') }));
    }
    let actions: ActionRecord[];
    try {
      actions = module.plan
        ? module.plan(step.candidates, step.findings, selection, parsedOptions)
        : planSelected(step.candidates, selection);
    } catch (error) {
      if (error instanceof PolicyError) {
        await ledger.refused(incident.id, actor, 'step.approve', error, id, error.message);
      }
      throw error;
    }
    if (incident.status === 'awaiting-approval') await ledger.recordApproval(incident.id, actor);

    const won = await ledger.transitionStep(incident.id, id, 'pending', 'approved', {
      approvedBy: actor,
      selection,
      options: parsedOptions.credentialKind ? { credentialKind: parsedOptions.credentialKind } : {},
      actions,
    });
    if (!won) return { incidentId: incident.id, stepId: id, actor, won: false };
    await ledger.audit({
      incidentId: incident.id,
      stepId: id,
      actor,
      event: 'step.approved',
      outcome: 'ok',
      after: { selection, actions: actions.map((action) => action.id) },
    });
    return { incidentId: incident.id, stepId: id, actor, won: true };
  }

  async retryStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    const { ledger, policy, logger } = this.deps;
    const who = validActor(actor);
    const id = validStepId(stepId);
    const incident = await ledger.requireOpenIncident(idSchema.parse(incidentId));
    await ledger.guard(incident, who, 'step.retry', () => policy.assertCanApprove(incident, who), id);
    const step = await ledger.requireStep(incident.id, id);
    if (step.status !== 'failed') return ledger.outcome(incident.id, id);
    await ledger.audit({
      incidentId: incident.id,
      stepId: id,
      actor: who,
      event: 'step.retry',
      outcome: 'info',
    });
    if (step.phase === 'discovery') {
      const fresh = await discoverStep(ledger, logger, incident.id, id, incident.target);
      await ledger.replaceStep({ ...fresh, version: step.version }, step.version);
      return ledger.outcome(incident.id, id);
    }
    const secret = await this.execution.run(incident.id, id, ['failed'], who);
    return ledger.outcome(incident.id, id, secret);
  }

  async skipStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    const { ledger, policy } = this.deps;
    const who = validActor(actor);
    const id = validStepId(stepId);
    const incident = await ledger.requireOpenIncident(idSchema.parse(incidentId));
    await ledger.guard(incident, who, 'step.skip', () => policy.assertCanAct(incident, who), id);
    const won = await ledger.transitionStep(incident.id, id, ['pending', 'failed'], 'skipped', {
      skippedBy: who,
      finishedAt: ledger.now(),
    });
    if (won) {
      await ledger.audit({
        incidentId: incident.id,
        stepId: id,
        actor: who,
        event: 'step.skipped',
        outcome: 'ok',
      });
      await ledger.completeIfFinished(incident.id);
    }
    return ledger.outcome(incident.id, id);
  }

  async approveAllRemaining(
    incidentId: string,
    approver: Actor,
  ): Promise<{ incident: IncidentView; secret?: SecretDelivery }> {
    const { ledger, policy, store } = this.deps;
    const actor = validActor(approver);
    const incident = await ledger.requireOpenIncident(idSchema.parse(incidentId));
    await ledger.guard(incident, actor, 'incident.approveAll', () =>
      policy.assertCanApprove(incident, actor),
    );
    const eligible = (await store.listSteps(incident.id))
      .filter((step) => step.status === 'pending')
      .filter((step) => !(step.manualGuidance !== undefined && step.candidates.length === 0))
      .map((step) => step.stepId);
    // Every approval is recorded before any step runs: a crash a moment after the click must not
    // lose the approval of a step that waits for another (reset-password waits for block-sign-in).
    const approved: StepId[] = [];
    let refusal: { reason: unknown } | undefined;
    for (const stepId of eligible) {
      try {
        if ((await this.recordStepApproval(incident.id, stepId, actor)).won) approved.push(stepId);
      } catch (error) {
        refusal ??= { reason: error };
      }
    }
    // Independent steps run at once so their requests share $batch round trips; a step waits
    // only for the steps it must follow (executionPrerequisites).
    const started = new Map<StepId, Promise<SecretDelivery | undefined>>();
    for (const stepId of STEP_IDS) {
      if (!approved.includes(stepId)) continue;
      const before = executionPrerequisites(stepId, approved)
        .map((prerequisite) => started.get(prerequisite))
        .filter((promise): promise is Promise<SecretDelivery | undefined> => promise !== undefined);
      started.set(
        stepId,
        Promise.allSettled(before).then(() => this.execution.run(incident.id, stepId, ['approved'], actor)),
      );
    }
    const settled = await Promise.allSettled(started.values());
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure?.status === 'rejected') refusal ??= { reason: failure.reason };
    if (refusal) throw refusal.reason;
    const secret = settled
      .map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined))
      .find((candidate): candidate is SecretDelivery => candidate !== undefined);
    return { incident: await ledger.view(incident.id), ...(secret ? { secret } : {}) };
  }
}
