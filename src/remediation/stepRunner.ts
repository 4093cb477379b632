import type { Logger } from '../observability/logger';
import type { ActionRecord, ActionResultRecord, ActionStateRecord, RemediationStore } from './storage';
import type { Actor, SecretDelivery, StepId } from './contract';
import { m365Code, toStepError } from './errors';
import type { StepContext, StepModule, VerifyResult } from './steps/types';

/**
 * Named points between a write and its checkpoint. A test process sets one (through the
 * CLI's crash hook) and is killed there, to prove a restart neither repeats nor loses a write.
 */
export const CRASH_POINTS = ['before-intent', 'after-intent', 'after-write', 'after-checkpoint'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface StepRunnerDeps {
  store: RemediationStore;
  logger: Logger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  crashHook?: (point: CrashPoint) => void;
}

export interface ActionRun {
  result: ActionResultRecord;
  secret?: SecretDelivery;
}

interface RunTarget {
  incidentId: string;
  stepId: StepId;
  actor?: Actor;
  module: StepModule;
  ctx: StepContext;
  action: ActionRecord;
  kind: ActionStateRecord['kind'];
}

const VERIFY_ATTEMPTS = 3;

/**
 * Runs one external write exactly once, keyed (incident, step, action, kind):
 * intent checkpoint → write → done checkpoint → verify. A leftover 'intent' (crash after
 * the write) is verified first and the write repeated only if its effect is missing.
 */
export class StepRunner {
  constructor(private readonly deps: StepRunnerDeps) {}

  async runAction(run: RunTarget): Promise<ActionRun> {
    const { store } = this.deps;
    const { incidentId, stepId, action, kind } = run;
    const previous = await store.getActionState(incidentId, stepId, action.id, kind);

    if (previous?.phase === 'done') {
      // The write and its checkpoint happened; only the step record missed it.
      const verdict = await this.verify(run, previous.at);
      return { result: this.result(action.id, 'done', verdict, previous.requestIds) };
    }
    if (previous?.phase === 'intent' && !(kind === 'execute' && run.module.deliversSecret)) {
      const verdict = await this.verify(run, previous.at);
      if (verdict === 'applied') {
        await this.checkpoint(run, 'done', [], previous.at, {
          event: `${kind === 'undo' ? 'undo' : 'action'}.done`,
          outcome: 'ok',
          detail: 'found applied after a restart; not written again',
        });
        return { result: this.result(action.id, 'done', verdict, []) };
      }
    }

    this.crash('before-intent');
    const intentAt = this.deps.clock().toISOString();
    await this.checkpoint(run, 'intent', [], intentAt, {
      event: `${kind === 'undo' ? 'undo' : 'action'}.started`,
      outcome: 'info',
      before: action.payload,
      detail: action.description,
    });
    this.crash('after-intent');

    let requestIds: string[];
    let secret: SecretDelivery | undefined;
    try {
      const write = kind === 'undo' ? run.module.undo : run.module.execute;
      if (!write) throw new Error(`step ${stepId} has no ${kind}`);
      const executed = await write.call(run.module, run.ctx, action);
      requestIds = executed.requestIds;
      secret = executed.secret;
    } catch (error) {
      if (m365Code(error) === 'NotFound' && (await this.verify(run, intentAt)) === 'applied') {
        // Already gone (removed by hand or by an earlier attempt): the effect is there.
        await this.checkpoint(run, 'done', [], intentAt, {
          event: `${kind === 'undo' ? 'undo' : 'action'}.done`,
          outcome: 'ok',
          detail: 'the object was already gone',
        });
        return { result: this.result(action.id, 'done', 'applied', []) };
      }
      const stepError = toStepError(error);
      this.deps.logger.warn(
        { incidentId, stepId, actionId: action.id, code: stepError.code },
        'action failed',
      );
      await this.checkpoint(run, 'failed', [], intentAt, {
        event: `${kind === 'undo' ? 'undo' : 'action'}.failed`,
        outcome: 'failed',
        detail: `${stepError.code}: ${stepError.message}`,
      });
      return {
        result: { actionId: action.id, outcome: 'failed', verified: false, requestIds: [], error: stepError },
      };
    }
    this.crash('after-write');
    await this.checkpoint(run, 'done', requestIds, intentAt, {
      event: `${kind === 'undo' ? 'undo' : 'action'}.done`,
      outcome: 'ok',
      requestIds,
      after: kind === 'undo' ? action.payload : null,
    });
    this.crash('after-checkpoint');
    this.deps.logger.info({ incidentId, stepId, actionId: action.id, kind, requestIds }, 'action done');
    const verdict = await this.verify(run, intentAt);
    return { result: this.result(action.id, 'done', verdict, requestIds), ...(secret ? { secret } : {}) };
  }

  private result(
    actionId: string,
    outcome: 'done',
    verdict: VerifyResult | 'error',
    requestIds: string[],
  ): ActionResultRecord {
    // 'unverifiable' (a password has no read-back): the service's 2xx is the evidence we have.
    return { actionId, outcome, verified: verdict === 'applied' || verdict === 'unverifiable', requestIds };
  }

  /** Re-reads the effect; a read right after a write may lag (directory replication), so try a few times. */
  private async verify(run: RunTarget, since: string): Promise<VerifyResult | 'error'> {
    const check = run.kind === 'undo' ? run.module.verifyUndo : run.module.verify;
    if (!check) return 'unverifiable';
    for (let attempt = 1; attempt <= VERIFY_ATTEMPTS; attempt += 1) {
      try {
        const verdict = await check.call(run.module, run.ctx, run.action, { since });
        if (verdict !== 'missing' || attempt === VERIFY_ATTEMPTS) return verdict;
      } catch (error) {
        this.deps.logger.warn(
          { incidentId: run.incidentId, stepId: run.stepId, actionId: run.action.id, code: m365Code(error) },
          'verification read failed',
        );
        if (attempt === VERIFY_ATTEMPTS) return 'error';
      }
      await this.deps.sleep(attempt * 500);
    }
    return 'error';
  }

  private async checkpoint(
    run: RunTarget,
    phase: ActionStateRecord['phase'],
    requestIds: string[],
    at: string,
    audit: {
      event: string;
      outcome: 'ok' | 'failed' | 'info';
      detail?: string;
      before?: ActionRecord['payload'];
      after?: ActionRecord['payload'] | null;
      requestIds?: string[];
    },
  ): Promise<void> {
    const now = this.deps.clock().toISOString();
    await this.deps.store.checkpointAction(
      {
        incidentId: run.incidentId,
        stepId: run.stepId,
        actionId: run.action.id,
        kind: run.kind,
        phase,
        requestIds,
        at,
      },
      {
        at: now,
        incidentId: run.incidentId,
        stepId: run.stepId,
        actionId: run.action.id,
        ...(run.actor ? { actor: run.actor } : {}),
        event: audit.event,
        outcome: audit.outcome,
        ...(audit.before !== undefined ? { before: audit.before } : {}),
        ...(audit.after !== undefined && audit.after !== null ? { after: audit.after } : {}),
        ...(audit.requestIds ? { requestIds: audit.requestIds } : {}),
        ...(audit.detail ? { detail: audit.detail } : {}),
      },
    );
  }

  private crash(point: CrashPoint): void {
    this.deps.crashHook?.(point);
  }
}
