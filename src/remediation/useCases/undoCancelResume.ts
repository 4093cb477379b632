import { message } from '../../i18n/message';
import type { Actor, IncidentView, ResumedSecret, SecretDelivery, StepId, StepOutcome } from '../contract';
import { refusal } from '../contract';
import { idSchema, validActor, validStepId } from '../input';
import { isClosed } from '../ledger';
import type { ActionResultRecord, IncidentRecord } from '../storage';
import type { StepRunner } from '../stepRunner';
import { STEP_CATALOGUE } from '../steps';
import { toStepView } from '../views';
import type { UseCaseDeps } from './deps';
import type { StepExecution } from './stepExecution';

/** Undo (requested, then approved under four-eyes), cancelling an incident, and finishing work after a restart. */
export class UndoCancelResume {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly runner: StepRunner,
    private readonly execution: StepExecution,
  ) {}

  async undoStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    const { ledger, policy } = this.deps;
    const who = validActor(actor);
    const id = validStepId(stepId);
    const incident = await ledger.requireIncident(idSchema.parse(incidentId));
    const step = await ledger.requireStep(incident.id, id);
    const request = step.undoStatus === 'requested' ? step.undoRequestedBy : undefined;
    if (request) {
      await ledger.guard(
        incident,
        who,
        'step.undo.approve',
        () => policy.assertCanApproveUndo(incident, request, who),
        id,
      );
    } else {
      await ledger.guard(incident, who, 'step.undo', () => policy.assertCanAct(incident, who), id);
    }
    if (!toStepView(step).undoable) {
      if (step.undoneBy) return ledger.outcome(incident.id, id);
      throw refusal(
        'StepNotActionable',
        message('refusal.cannotUndo', { step: message(`steps.${id}.title`) }),
      );
    }
    if (!request && policy.fourEyes) {
      // The first responder only asks: nothing changes in the tenant until a second one approves.
      const asked = await ledger.replaceStep(
        { ...step, undoRequestedBy: who, undoStatus: 'requested' },
        step.version,
      );
      if (asked) {
        await ledger.audit({
          incidentId: incident.id,
          stepId: id,
          actor: who,
          event: 'step.undo.requested',
          outcome: 'info',
        });
      }
      return ledger.outcome(incident.id, id);
    }
    const claimed = await ledger.replaceStep({ ...step, undoneBy: who, undoStatus: 'running' }, step.version);
    if (!claimed) return ledger.outcome(incident.id, id);
    await ledger.audit({
      incidentId: incident.id,
      stepId: id,
      actor: who,
      event: 'step.undo',
      outcome: 'info',
      ...(request ? { detail: `approved; requested by ${request.displayName} (${request.id})` } : {}),
    });
    await this.runUndo(incident, id, who);
    return ledger.outcome(incident.id, id);
  }

  private async runUndo(incident: IncidentRecord, stepId: StepId, actor: Actor): Promise<void> {
    const { ledger } = this.deps;
    const step = await ledger.requireStep(incident.id, stepId);
    const module = STEP_CATALOGUE[stepId];
    const ctx = ledger.context(incident.target);
    const done = step.results.filter((result) => result.outcome === 'done').map((result) => result.actionId);
    const undoResults: ActionResultRecord[] = [];
    for (const action of step.actions.filter((candidate) => done.includes(candidate.id))) {
      const run = await this.runner.runAction({
        incidentId: incident.id,
        stepId,
        module,
        ctx,
        action,
        kind: 'undo',
        actor,
      });
      undoResults.push(run.result);
    }
    const failed = undoResults.some((result) => result.outcome === 'failed');
    await ledger.saveStep(incident.id, stepId, (current) => ({
      ...current,
      undoStatus: failed ? 'failed' : 'done',
      undoResults,
    }));
    await ledger.audit({
      incidentId: incident.id,
      stepId,
      actor,
      event: failed ? 'step.undo.failed' : 'step.undone',
      outcome: failed ? 'failed' : 'ok',
      requestIds: undoResults.flatMap((result) => result.requestIds),
    });
  }

  async cancelIncident(incidentId: string, actor: Actor): Promise<IncidentView> {
    const { ledger, policy } = this.deps;
    const who = validActor(actor);
    const incident = await ledger.requireIncident(idSchema.parse(incidentId));
    if (isClosed(incident)) return ledger.view(incident.id);
    await ledger.guard(incident, who, 'incident.cancel', () => policy.assertCanAct(incident, who));
    const written = await ledger.updateIncident(incident.id, 'cancelIncident', (current) =>
      isClosed(current) ? undefined : { ...current, status: 'cancelled', updatedAt: ledger.now() },
    );
    if (written) {
      await ledger.audit({ incidentId: incident.id, actor: who, event: 'incident.cancelled', outcome: 'ok' });
    }
    return ledger.view(incident.id);
  }

  /**
   * After a restart: finishes steps that were approved or running when the process died,
   * verifying every in-flight write before repeating it. Call once at start-up, before serving
   * requests (one process per store; several instances need leases, not built yet).
   */
  async resumeInterrupted(onSecret?: (resumed: ResumedSecret) => Promise<void>): Promise<IncidentView[]> {
    const { ledger, store } = this.deps;
    const resumed: IncidentView[] = [];
    for (const incident of await store.listIncidents()) {
      let touched = false;
      for (const step of await store.listSteps(incident.id)) {
        if (step.status === 'running' || step.status === 'approved') {
          await ledger.audit({
            incidentId: incident.id,
            stepId: step.stepId,
            event: 'step.resumed',
            outcome: 'info',
          });
          const secret = await this.execution.run(incident.id, step.stepId, [step.status], step.approvedBy);
          if (secret && onSecret) {
            await onSecret({
              incidentId: incident.id,
              stepId: step.stepId,
              secret,
              ...(step.approvedBy ? { approver: step.approvedBy } : {}),
            });
          }
          touched = true;
        }
        if (step.undoStatus === 'running' && step.undoneBy) {
          await this.runUndo(incident, step.stepId, step.undoneBy);
          touched = true;
        }
      }
      if (touched) resumed.push(await ledger.view(incident.id));
    }
    return resumed;
  }

  /**
   * A credential that was set but, as the caller knows, reached nobody (the process died before
   * delivering it): set a new one with the same approval. Only for a done step that delivers a
   * secret; its action is re-armed to `intent` so the runner writes again, then it runs as on resume.
   */
  async reissueCredential(incidentId: string, stepId: StepId): Promise<SecretDelivery | undefined> {
    const { ledger, store } = this.deps;
    const step = await ledger.requireStep(idSchema.parse(incidentId), validStepId(stepId));
    if (!STEP_CATALOGUE[step.stepId].deliversSecret || step.status !== 'done') return undefined;
    const at = ledger.now();
    for (const action of step.actions) {
      await store.checkpointAction(
        {
          incidentId: step.incidentId,
          stepId: step.stepId,
          actionId: action.id,
          kind: 'execute',
          phase: 'intent',
          requestIds: [],
          at,
        },
        {
          at,
          incidentId: step.incidentId,
          stepId: step.stepId,
          actionId: action.id,
          event: 'action.reissued',
          outcome: 'info',
          detail: 'the credential set before a restart reached nobody',
        },
      );
    }
    const claimed = await store.transitionStep(step.incidentId, step.stepId, ['done'], 'running', {
      results: [],
    });
    if (!claimed) return undefined;
    return this.execution.run(step.incidentId, step.stepId, ['running'], step.approvedBy);
  }
}
