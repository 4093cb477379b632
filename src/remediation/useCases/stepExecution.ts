import type { Actor, SecretDelivery, StepId } from '../contract';
import type { AdminLockout } from '../adminLockout';
import type { ActionRecord, ActionResultRecord } from '../storage';
import type { ActionRun, StepRunner } from '../stepRunner';
import { STEP_CATALOGUE } from '../steps';
import type { UseCaseDeps } from './deps';

/**
 * Executes a claimed step's actions (in plan order, or canary-then-concurrently for steps with
 * `concurrentActions`), records the results and completes the incident when it was the last step.
 * Only the caller that moved the step into 'running' executes it.
 */
export class StepExecution {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly runner: StepRunner,
    private readonly lockout: AdminLockout,
  ) {}

  /** Returns the secret of a step that delivers one (reset-password). */
  async run(
    incidentId: string,
    stepId: StepId,
    from: ('approved' | 'failed' | 'running')[],
    actor?: Actor,
  ): Promise<SecretDelivery | undefined> {
    const { ledger } = this.deps;
    if (!from.includes('running')) {
      const claimed = await ledger.transitionStep(incidentId, stepId, from, 'running', {
        phase: 'execution',
        startedAt: ledger.now(),
      });
      if (!claimed) return undefined;
    }
    const incident = await ledger.requireIncident(incidentId);
    const step = await ledger.requireStep(incidentId, stepId);
    const declared = STEP_CATALOGUE[stepId];
    const module = this.lockout.guarded(incidentId, declared);
    const ctx = ledger.context(incident.target);
    const results = new Map<string, ActionResultRecord>(
      step.results.map((result) => [result.actionId, result]),
    );
    let secret: SecretDelivery | undefined;

    const queue = step.actions.filter((action) => results.get(action.id)?.outcome !== 'done');
    const runOne = (action: ActionRecord) =>
      this.lockout.run(declared, action, () =>
        this.runner.runAction({
          incidentId,
          stepId,
          module,
          ctx,
          action,
          kind: 'execute',
          ...(actor ? { actor } : {}),
        }),
      );
    const retryLater: ActionRecord[] = [];
    const record = (action: ActionRecord, run: ActionRun, othersLeft: boolean): void => {
      const error = run.result.error;
      if (error && othersLeft && declared.retryAfterOthers?.(error)) {
        retryLater.push(action);
        return;
      }
      results.set(action.id, run.result);
      secret = run.secret ?? secret;
    };
    if (module.concurrentActions && queue.length > 1) {
      // The first action goes alone, as a canary: a refusal that would hit every action
      // (permission withheld, mailbox gone) costs one failed write, not N; and a crash leaves
      // at most one write in doubt before the fan-out starts.
      const [canary, ...others] = queue as [ActionRecord, ...ActionRecord[]];
      record(canary, await runOne(canary), true);
      const runs = await Promise.all(others.map(runOne));
      others.forEach((action, index) => {
        const run = runs[index];
        if (run) record(action, run, true);
      });
    } else {
      for (const [index, action] of queue.entries()) {
        record(action, await runOne(action), index < queue.length - 1);
      }
    }
    for (const action of retryLater) {
      const run = await runOne(action);
      results.set(action.id, run.result);
      secret = run.secret ?? secret;
    }
    await this.finish(incidentId, stepId, step.actions, results, actor);
    return secret;
  }

  private async finish(
    incidentId: string,
    stepId: StepId,
    actions: ActionRecord[],
    results: Map<string, ActionResultRecord>,
    actor: Actor | undefined,
  ): Promise<void> {
    const { ledger } = this.deps;
    const all = actions.map((action) => results.get(action.id)).filter((r): r is ActionResultRecord => !!r);
    const failed = all.find((result) => result.outcome === 'failed');
    await ledger.saveStep(incidentId, stepId, (current) => ({
      ...current,
      status: failed ? 'failed' : 'done',
      results: all,
      verified: !failed && all.every((result) => result.verified),
      finishedAt: ledger.now(),
      ...(failed?.error ? { error: failed.error } : { error: undefined }),
    }));
    await ledger.audit({
      incidentId,
      stepId,
      ...(actor ? { actor } : {}),
      event: failed ? 'step.failed' : 'step.done',
      outcome: failed ? 'failed' : 'ok',
      after: {
        results: all.map((result) => ({
          action: result.actionId,
          outcome: result.outcome,
          verified: result.verified,
        })),
      },
      requestIds: all.flatMap((result) => result.requestIds),
    });
    if (!failed) await ledger.completeIfFinished(incidentId);
  }
}
