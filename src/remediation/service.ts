import { z } from 'zod';
import type { PolicyConfig } from '../config/config';
import type { DirectoryUser, M365Services, RoleAssignment } from '../m365/types';
import type { Logger } from '../observability/logger';
import type {
  ActionRecord,
  ActionResultRecord,
  AuditEvent,
  IncidentRecord,
  StepRecord,
  RemediationStore,
} from './storage';
import { PolicyError, STEP_IDS, isStepId } from './contract';
import type {
  Actor,
  ApproveGroupOptions,
  ApproveStepOptions,
  GroupProgress,
  GroupRemediationService,
  GroupSecret,
  IncidentView,
  OpenIncidentsRequest,
  OpenIncidentsResult,
  RemediationService,
  ResumedSecret,
  SecretDelivery,
  StepId,
  StepOutcome,
  TargetView,
} from './contract';
import { m365Code, toStepError } from './errors';
import { forEachLimited, summarizeGroup } from './groups';
import { RefusalAudit } from './refusalAudit';
import { Policy } from './policy';
import { renderIncidentReport, toJsonLines } from './reporting';
import { localeOf } from '../i18n/findings';
import { StepRunner } from './stepRunner';
import type { ActionRun, CrashPoint } from './stepRunner';
import { executionPrerequisites } from './executionOrder';
import {
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  LOCKOUT_STEPS,
  assertNotLastUsableGlobalAdministrator,
  holdsGlobalAdministrator,
  roleGroupsOf,
} from './steps/globalAdmins';
import type { StepModule } from './steps/types';
import { STEP_CATALOGUE } from './steps';
import type { StepContext } from './steps/types';
import { planSelected } from './steps/types';
import { defaultSelection, toIncidentView, toStepView } from './views';

export interface RemediationServiceDeps {
  services: M365Services;
  store: RemediationStore;
  policy: PolicyConfig;
  clock: () => Date;
  logger: Logger;
  /** New incident and group ids. */
  ids: () => string;
  /** The tenant's mail domains; defaults to the target's UPN domain. */
  tenantDomains?: string[];
  /** Object ids of Remediator's own identities, which are never remediated. */
  ownIdentityIds?: string[];
  responderCacheTtlMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Test hook: called at each crash point of every write. */
  crashHook?: (point: CrashPoint) => void;
}

/** A mass incident (a phishing wave) opens hundreds of targets as one group. */
export const MAX_TARGETS_PER_REQUEST = 1000;

const actorSchema = z.object({
  id: z.string().min(1).max(200),
  displayName: z.string().max(500),
  userPrincipalName: z.string().max(500).optional(),
});
const idSchema = z.string().min(1).max(200);

const openRequestSchema = z.object({
  targets: z.array(z.string().trim().min(1).max(500)).min(1).max(MAX_TARGETS_PER_REQUEST),
  requester: actorSchema,
  origin: z.object({
    kind: z.enum(['teams', 'cli', 'webhook']),
    tenantId: z.string().max(200).optional(),
    conversationId: z.string().max(1000).optional(),
  }),
});
const approveOptionsSchema = z
  .object({
    selectedFindingIds: z.array(z.string().min(1).max(200)).max(500).optional(),
    credentialKind: z.enum(['password', 'temporaryAccessPass']).optional(),
  })
  .optional();

function toTargetView(user: DirectoryUser): TargetView {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
  };
}

function isClosed(incident: IncidentRecord): boolean {
  return incident.status === 'completed' || incident.status === 'cancelled';
}

function validActor(actor: Actor): Actor {
  const parsed = actorSchema.parse(actor);
  return {
    id: parsed.id,
    displayName: parsed.displayName,
    ...(parsed.userPrincipalName !== undefined ? { userPrincipalName: parsed.userPrincipalName } : {}),
  };
}

/**
 * The remediation engine: opens incidents, runs discovery, executes approved steps exactly
 * once (see StepRunner), verifies, audits and undoes. Dependencies come through the
 * constructor so tests pass recording fakes.
 */
export class RemediationEngine implements RemediationService, GroupRemediationService {
  private readonly policy: Policy;
  private readonly runner: StepRunner;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Refusals are audited per actor with a cap: a flood of refused clicks adds a bounded number of rows. */
  private readonly refusals: RefusalAudit;
  private globalAdminTail: Promise<void> = Promise.resolve();
  /** The Global Administrator assignments, briefly shared: only to decide whether the exact check is needed. */
  private globalAdmins?: { at: number; list: Promise<RoleAssignment[]> };
  private readonly roleGroups = new Map<string, { at: number; list: Promise<string[]> }>();

  constructor(private readonly deps: RemediationServiceDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.refusals = new RefusalAudit(deps.store, {
      maxPerMinute: 120,
      clock: () => deps.clock().getTime(),
    });
    this.policy = new Policy(deps.services.users, deps.policy, {
      clock: deps.clock,
      ...(deps.ownIdentityIds ? { ownIdentityIds: deps.ownIdentityIds } : {}),
      ...(deps.responderCacheTtlMs !== undefined ? { responderCacheTtlMs: deps.responderCacheTtlMs } : {}),
    });
    this.runner = new StepRunner({
      store: deps.store,
      logger: deps.logger,
      clock: deps.clock,
      sleep: this.sleep,
      ...(deps.crashHook ? { crashHook: deps.crashHook } : {}),
    });
  }

  // ---------------------------------------------------------------- opening

  async openIncidents(request: OpenIncidentsRequest): Promise<OpenIncidentsResult> {
    const parsed = openRequestSchema.parse(request);
    const requester = validActor(parsed.requester);
    try {
      await this.policy.assertResponder(requester);
    } catch (error) {
      await this.audit({
        actor: requester,
        event: 'incident.refused',
        outcome: 'refused',
        detail: String(error),
      });
      throw error;
    }
    const groupId = this.deps.ids();
    const result: OpenIncidentsResult = { groupId, incidents: [], joinedIncidentIds: [], refused: [] };
    const targets = [...new Set(parsed.targets)];
    const opened = await Promise.all(
      targets.map((target) => this.openOne(target, requester, parsed.origin, groupId)),
    );
    for (const outcome of opened) {
      if ('refused' in outcome) {
        result.refused.push(outcome.refused);
        continue;
      }
      if (result.incidents.some((incident) => incident.id === outcome.incident.id)) continue;
      result.incidents.push(outcome.incident);
      if (outcome.joined) result.joinedIncidentIds.push(outcome.incident.id);
    }
    return result;
  }

  private async openOne(
    targetInput: string,
    requester: Actor,
    origin: OpenIncidentsRequest['origin'],
    groupId: string,
  ): Promise<
    | { incident: IncidentView; joined: boolean }
    | { refused: { target: string; code: string; message: string } }
  > {
    let user: DirectoryUser;
    try {
      user = await this.deps.services.users.getUser(targetInput);
    } catch (error) {
      const code = m365Code(error) === 'NotFound' ? 'UnknownTarget' : (m365Code(error) ?? 'Unknown');
      const message =
        code === 'UnknownTarget'
          ? `No user ${targetInput} exists in the tenant.`
          : `Could not look up ${targetInput}: ${toStepError(error).message}`;
      await this.audit({ actor: requester, event: 'incident.refused', outcome: 'refused', detail: message });
      return { refused: { target: targetInput, code, message } };
    }
    try {
      this.policy.assertTargetAllowed(user);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      await this.audit({
        actor: requester,
        event: 'incident.refused',
        outcome: 'refused',
        detail: error.message,
      });
      return { refused: { target: targetInput, code: error.code, message: error.message } };
    }

    const existing = await this.deps.store.findOpenIncidentForTarget(user.id);
    if (existing) return { incident: await this.join(existing, requester), joined: true };

    const now = this.now();
    const incidentId = this.deps.ids();
    const target = toTargetView(user);
    const steps = await this.discoverAll(incidentId, target);
    const incident: IncidentRecord = {
      id: incidentId,
      groupId,
      target,
      requester,
      origin,
      approvals: [],
      status: this.policy.fourEyes ? 'awaiting-approval' : 'open',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const created = await this.deps.store.createIncident(incident, steps);
    if (!created.created) {
      // Another request for the same target won the race: join it.
      const winner = await this.deps.store.getIncident(created.existingIncidentId);
      if (!winner)
        throw new PolicyError('UnknownIncident', 'The incident disappeared while it was being joined.');
      return { incident: await this.join(winner, requester), joined: true };
    }
    await this.audit({
      incidentId,
      actor: requester,
      event: 'incident.opened',
      outcome: 'ok',
      after: {
        target: target.userPrincipalName,
        steps: steps.map((step) => ({
          id: step.stepId,
          findings: step.findings.length,
          status: step.status,
        })),
      },
    });
    this.deps.logger.info({ incidentId, target: target.id }, 'incident opened');
    return { incident: toIncidentView(incident, steps), joined: false };
  }

  private async join(incident: IncidentRecord, requester: Actor): Promise<IncidentView> {
    await this.audit({
      incidentId: incident.id,
      actor: requester,
      event: 'incident.joined',
      outcome: 'info',
    });
    return this.view(incident.id);
  }

  private async discoverAll(incidentId: string, target: TargetView): Promise<StepRecord[]> {
    return Promise.all(STEP_IDS.map((stepId) => this.discoverStep(incidentId, stepId, target)));
  }

  private async discoverStep(incidentId: string, stepId: StepId, target: TargetView): Promise<StepRecord> {
    const module = STEP_CATALOGUE[stepId];
    const base: StepRecord = {
      incidentId,
      stepId,
      status: 'pending',
      phase: 'discovery',
      findings: [],
      candidates: [],
      actions: [],
      nothingToDo: false,
      verified: false,
      results: [],
      version: 1,
    };
    try {
      const discovery = await module.discover(this.context(target));
      return {
        ...base,
        findings: discovery.findings,
        candidates: discovery.candidates,
        ...(discovery.manualGuidance !== undefined ? { manualGuidance: discovery.manualGuidance } : {}),
        nothingToDo: discovery.candidates.length === 0 && discovery.manualGuidance === undefined,
      };
    } catch (error) {
      const code = m365Code(error);
      if (code === 'PermissionDenied') {
        // Withheld permission or missing licence: a responder can still do it by hand.
        return {
          ...base,
          manualGuidance: `${module.manualSteps} Remediator could not check this: ${toStepError(error).message}`,
        };
      }
      if (code === undefined) this.deps.logger.error({ err: error, incidentId, stepId }, 'discovery crashed');
      return { ...base, status: 'failed', error: toStepError(error) };
    }
  }

  // ---------------------------------------------------------------- approving and running

  async approveIncident(incidentId: string, approver: Actor): Promise<IncidentView> {
    const actor = validActor(approver);
    const incident = await this.openIncident(idSchema.parse(incidentId));
    await this.guard(incident, actor, 'incident.approve', () =>
      this.policy.assertCanApprove(incident, actor),
    );
    await this.recordApproval(incident.id, actor);
    return this.view(incident.id);
  }

  private async recordApproval(incidentId: string, actor: Actor): Promise<void> {
    for (;;) {
      const incident = await this.requireIncident(incidentId);
      if (incident.approvals.some((approval) => approval.actor.id === actor.id)) return;
      const now = this.now();
      const next: IncidentRecord = {
        ...incident,
        approvals: [...incident.approvals, { actor, at: now }],
        status: incident.status === 'awaiting-approval' ? 'open' : incident.status,
        updatedAt: now,
      };
      if (await this.deps.store.updateIncident(next, incident.version)) {
        await this.audit({ incidentId, actor, event: 'incident.approved', outcome: 'ok' });
        return;
      }
    }
  }

  async approveStep(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<StepOutcome> {
    const approval = await this.recordStepApproval(incidentId, stepId, approver, options);
    if (!approval.won) return this.outcome(approval.incidentId, approval.stepId);
    const secret = await this.runStep(approval.incidentId, approval.stepId, ['approved'], approval.actor);
    return this.outcome(approval.incidentId, approval.stepId, secret);
  }

  /**
   * Checks and records a step's approval durably (pending → approved, with its plan), without
   * running it: a restart finds the step approved and runs it. `won` is false when the step was
   * no longer pending (a duplicate click); then nothing was recorded.
   */
  private async recordStepApproval(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<{ incidentId: string; stepId: StepId; actor: Actor; won: boolean }> {
    const actor = validActor(approver);
    const parsedOptions = approveOptionsSchema.parse(options) ?? {};
    const id = this.validStepId(stepId);
    const incident = await this.openIncident(idSchema.parse(incidentId));
    await this.guard(
      incident,
      actor,
      'step.approve',
      () => this.policy.assertCanApprove(incident, actor),
      id,
    );
    const step = await this.requireStep(incident.id, id);
    if (step.status === 'failed') {
      throw new PolicyError('StepNotActionable', 'This step failed: retry it instead of approving it again.');
    }
    // A duplicate click (Teams retries, a second responder) sees the step as it is.
    if (step.status !== 'pending') return { incidentId: incident.id, stepId: id, actor, won: false };
    if (step.manualGuidance !== undefined && step.candidates.length === 0) {
      throw new PolicyError('StepNotActionable', `This step must be done by hand: ${step.manualGuidance}`);
    }

    await this.refuseLockout(incident, id, actor);
    const selection = parsedOptions.selectedFindingIds ?? defaultSelection(step);
    const unknown = selection.filter(
      (findingId) => !step.findings.some((finding) => finding.id === findingId),
    );
    if (unknown.length > 0) {
      throw new PolicyError('StepNotActionable', `Unknown finding ids: ${unknown.join(', ')}.`);
    }
    const module = STEP_CATALOGUE[id];
    let actions: ActionRecord[];
    try {
      actions = module.plan
        ? module.plan(step.candidates, step.findings, selection, parsedOptions)
        : planSelected(step.candidates, selection);
    } catch (error) {
      if (error instanceof PolicyError) {
        await this.audit({
          incidentId: incident.id,
          stepId: id,
          actor,
          event: 'step.approve',
          outcome: 'refused',
          detail: error.message,
        });
      }
      throw error;
    }
    if (incident.status === 'awaiting-approval') await this.recordApproval(incident.id, actor);

    const won = await this.deps.store.transitionStep(incident.id, id, 'pending', 'approved', {
      approvedBy: actor,
      selection,
      options: parsedOptions.credentialKind ? { credentialKind: parsedOptions.credentialKind } : {},
      actions,
    });
    if (!won) return { incidentId: incident.id, stepId: id, actor, won: false };
    await this.audit({
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
    const who = validActor(actor);
    const id = this.validStepId(stepId);
    const incident = await this.openIncident(idSchema.parse(incidentId));
    await this.guard(incident, who, 'step.retry', () => this.policy.assertCanApprove(incident, who), id);
    const step = await this.requireStep(incident.id, id);
    if (step.status !== 'failed') return this.outcome(incident.id, id);
    await this.audit({
      incidentId: incident.id,
      stepId: id,
      actor: who,
      event: 'step.retry',
      outcome: 'info',
    });
    if (step.phase === 'discovery') {
      const fresh = await this.discoverStep(incident.id, id, incident.target);
      await this.deps.store.updateStep({ ...fresh, version: step.version }, step.version);
      return this.outcome(incident.id, id);
    }
    const secret = await this.runStep(incident.id, id, ['failed'], who);
    return this.outcome(incident.id, id, secret);
  }

  async skipStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    const who = validActor(actor);
    const id = this.validStepId(stepId);
    const incident = await this.openIncident(idSchema.parse(incidentId));
    await this.guard(incident, who, 'step.skip', () => this.policy.assertCanAct(incident, who), id);
    const won = await this.deps.store.transitionStep(incident.id, id, ['pending', 'failed'], 'skipped', {
      skippedBy: who,
      finishedAt: this.now(),
    });
    if (won) {
      await this.audit({
        incidentId: incident.id,
        stepId: id,
        actor: who,
        event: 'step.skipped',
        outcome: 'ok',
      });
      await this.completeIfFinished(incident.id);
    }
    return this.outcome(incident.id, id);
  }

  async approveAllRemaining(
    incidentId: string,
    approver: Actor,
  ): Promise<{ incident: IncidentView; secret?: SecretDelivery }> {
    const actor = validActor(approver);
    const incident = await this.openIncident(idSchema.parse(incidentId));
    await this.guard(incident, actor, 'incident.approveAll', () =>
      this.policy.assertCanApprove(incident, actor),
    );
    const eligible = (await this.deps.store.listSteps(incident.id))
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
        Promise.allSettled(before).then(() => this.runStep(incident.id, stepId, ['approved'], actor)),
      );
    }
    const settled = await Promise.allSettled(started.values());
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure?.status === 'rejected') refusal ??= { reason: failure.reason };
    if (refusal) throw refusal.reason;
    const secret = settled
      .map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined))
      .find((candidate): candidate is SecretDelivery => candidate !== undefined);
    return { incident: await this.view(incident.id), ...(secret ? { secret } : {}) };
  }

  /**
   * Blocking, resetting or signing out the last Global Administrator who can sign in would lock
   * the tenant out: refused at approval (audited, the step stays pending). The same check runs
   * again just before the write, under the Global Administrator lock (see lockoutGuarded).
   */
  private async refuseLockout(incident: IncidentRecord, stepId: StepId, actor: Actor): Promise<void> {
    if (!LOCKOUT_STEPS.includes(stepId)) return;
    const ctx = this.context(incident.target);
    if (!(await this.mayHoldGlobalAdmin(ctx))) return;
    try {
      await assertNotLastUsableGlobalAdministrator(
        ctx,
        STEP_CATALOGUE[stepId].title,
        await this.containedUsers(incident.id),
      );
    } catch (error) {
      if (error instanceof PolicyError) {
        await this.audit({
          incidentId: incident.id,
          stepId,
          actor,
          event: 'step.approve',
          outcome: 'refused',
          detail: `${error.code}: ${error.message}`,
        });
      }
      throw error;
    }
  }

  /** Targets whose sign-in another open incident is blocking or has blocked (and not undone). */
  private async containedUsers(exceptIncidentId: string): Promise<ReadonlySet<string>> {
    const contained = new Set<string>();
    for (const other of await this.deps.store.listIncidents({ openOnly: true })) {
      if (other.id === exceptIncidentId) continue;
      const block = await this.deps.store.getStep(other.id, 'block-sign-in');
      if (block && ['approved', 'running', 'done'].includes(block.status) && block.undoStatus !== 'done') {
        contained.add(other.target.id.toLowerCase());
      }
    }
    return contained;
  }

  /** A lockout step's write, preceded by the last-usable-Global-Administrator check (under the lock). */
  private lockoutGuarded(incidentId: string, stepId: StepId, module: StepModule): StepModule {
    if (!LOCKOUT_STEPS.includes(stepId)) return module;
    return {
      ...module,
      execute: async (ctx, action) => {
        if (!(await this.mayHoldGlobalAdmin(ctx))) {
          return module.execute(ctx, action);
        }
        return this.serializeGlobalAdmin(async () => {
          await assertNotLastUsableGlobalAdministrator(
            ctx,
            module.title,
            await this.containedUsers(incidentId),
          );
          return module.execute(ctx, action);
        });
      },
    };
  }

  /**
   * A quick "is the target a Global Administrator at all?", from reads shared for a few seconds
   * (one round trip for approval and execution together). Only a yes leads to the exact check,
   * which reads afresh under the lock.
   */
  private async mayHoldGlobalAdmin(ctx: StepContext): Promise<boolean> {
    const now = this.deps.clock().getTime();
    const fresh = (entry: { at: number } | undefined) => entry !== undefined && now - entry.at <= 5_000;
    if (!fresh(this.globalAdmins)) {
      const list = this.deps.services.roles.listAssignmentsForRole(GLOBAL_ADMINISTRATOR_ROLE_ID);
      this.globalAdmins = { at: now, list };
      // A failed read is not remembered.
      void list.catch(() => (this.globalAdmins = undefined));
    }
    const key = ctx.target.id.toLowerCase();
    if (!fresh(this.roleGroups.get(key))) {
      const list = roleGroupsOf(ctx);
      // Mass incidents touch hundreds of targets: the memo never outgrows one wave.
      if (this.roleGroups.size >= 2_000) this.roleGroups.clear();
      this.roleGroups.set(key, { at: now, list });
      void list.catch(() => this.roleGroups.delete(key));
    }
    const [assignments, groups] = await Promise.all([
      this.globalAdmins?.list,
      this.roleGroups.get(key)?.list,
    ]);
    return holdsGlobalAdministrator(ctx.target.id, assignments ?? [], groups ?? []);
  }

  /**
   * Removing a Global Administrator assignment (or blocking, resetting or signing out a user)
   * checks "is there another usable one?" and then writes; two incidents doing that at once could
   * each see the other and lock both out. Those actions run one at a time across the engine
   * (one process; see docs/SECURITY.md); every other action runs freely.
   */
  private async withGlobalAdminLock<T>(
    stepId: StepId,
    action: ActionRecord,
    work: () => Promise<T>,
  ): Promise<T> {
    if (stepId !== 'admin-roles' || !JSON.stringify(action.payload).includes(GLOBAL_ADMINISTRATOR_ROLE_ID)) {
      return work();
    }
    return this.serializeGlobalAdmin(work);
  }

  private serializeGlobalAdmin<T>(work: () => Promise<T>): Promise<T> {
    const result = this.globalAdminTail.then(work);
    this.globalAdminTail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Executes a claimed step's actions (in plan order, or canary-then-concurrently for steps
   * with `concurrentActions`). Returns the secret of reset-password.
   * Only the caller that moved the step into 'running' gets here.
   */
  private async runStep(
    incidentId: string,
    stepId: StepId,
    from: ('approved' | 'failed' | 'running')[],
    actor?: Actor,
  ): Promise<SecretDelivery | undefined> {
    if (!from.includes('running')) {
      const claimed = await this.deps.store.transitionStep(incidentId, stepId, from, 'running', {
        phase: 'execution',
        startedAt: this.now(),
      });
      if (!claimed) return undefined;
    }
    const incident = await this.requireIncident(incidentId);
    const step = await this.requireStep(incidentId, stepId);
    const module = this.lockoutGuarded(incidentId, stepId, STEP_CATALOGUE[stepId]);
    const ctx = this.context(incident.target);
    const results = new Map<string, ActionResultRecord>(
      step.results.map((result) => [result.actionId, result]),
    );
    let secret: SecretDelivery | undefined;

    const queue = step.actions.filter((action) => results.get(action.id)?.outcome !== 'done');
    const runOne = (action: ActionRecord) =>
      this.withGlobalAdminLock(stepId, action, () =>
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
      // Entra refuses to delete the default method while others exist: try it again after the others.
      if (run.result.error?.code === 'DefaultMethodInUse' && othersLeft) {
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

    const all = step.actions
      .map((action) => results.get(action.id))
      .filter((r): r is ActionResultRecord => !!r);
    const failed = all.find((result) => result.outcome === 'failed');
    await this.saveStep(incidentId, stepId, (current) => ({
      ...current,
      status: failed ? 'failed' : 'done',
      results: all,
      verified: !failed && all.every((result) => result.verified),
      finishedAt: this.now(),
      ...(failed?.error ? { error: failed.error } : { error: undefined }),
    }));
    await this.audit({
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
    if (!failed) await this.completeIfFinished(incidentId);
    return secret;
  }

  // ---------------------------------------------------------------- groups (mass incidents)

  async listGroupIncidents(groupId: string): Promise<IncidentView[]> {
    const id = idSchema.parse(groupId);
    const incidents = await this.deps.store.listIncidents({ groupId: id });
    return Promise.all(incidents.map((incident) => this.view(incident.id)));
  }

  async getGroupProgress(groupId: string): Promise<GroupProgress> {
    return summarizeGroup(groupId, await this.listGroupIncidents(groupId));
  }

  async approveGroup(
    groupId: string,
    approver: Actor,
    options: ApproveGroupOptions = {},
  ): Promise<{ progress: GroupProgress; secrets: GroupSecret[] }> {
    const actor = validActor(approver);
    const id = idSchema.parse(groupId);
    const concurrency = z
      .number()
      .int()
      .min(1)
      .max(1000)
      .parse(options.concurrency ?? 100);
    const open = await this.deps.store.listIncidents({ groupId: id, openOnly: true });
    if (open.length === 0 && (await this.listGroupIncidents(id)).length === 0) {
      throw new PolicyError('UnknownIncident', `No incident group ${id}.`);
    }
    const secrets: GroupSecret[] = [];
    let refusal: unknown;
    // The first incident alone: a refusal that applies to all (not a responder, four-eyes)
    // surfaces once instead of 500 times.
    const [first, ...rest] = open;
    const approveOne = async (incident: IncidentRecord): Promise<void> => {
      try {
        const outcome = await this.approveAllRemaining(incident.id, actor);
        if (outcome.secret) {
          secrets.push({
            incidentId: incident.id,
            target: incident.target.userPrincipalName,
            secret: outcome.secret,
          });
        }
      } catch (error) {
        if (
          error instanceof PolicyError &&
          ['NotResponder', 'SelfApproval', 'TargetCannotApprove'].includes(error.code)
        ) {
          refusal ??= error;
          return;
        }
        // One incident's refusal (closed meanwhile, last Global Administrator) must not stop the rest.
        this.deps.logger.warn(
          { incidentId: incident.id, code: error instanceof PolicyError ? error.code : m365Code(error) },
          'group approval skipped an incident',
        );
      }
    };
    if (first) await approveOne(first);
    if (refusal) throw refusal;
    await forEachLimited(rest, concurrency, approveOne);
    return { progress: await this.getGroupProgress(id), secrets };
  }

  // ---------------------------------------------------------------- undo, cancel, resume

  async undoStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    const who = validActor(actor);
    const id = this.validStepId(stepId);
    const incident = await this.requireIncident(idSchema.parse(incidentId));
    const step = await this.requireStep(incident.id, id);
    const request = step.undoStatus === 'requested' ? step.undoRequestedBy : undefined;
    if (request) {
      await this.guard(
        incident,
        who,
        'step.undo.approve',
        () => this.policy.assertCanApproveUndo(incident, request, who),
        id,
      );
    } else {
      await this.guard(incident, who, 'step.undo', () => this.policy.assertCanAct(incident, who), id);
    }
    if (!toStepView(step).undoable) {
      if (step.undoneBy) return this.outcome(incident.id, id);
      throw new PolicyError('StepNotActionable', `${STEP_CATALOGUE[id].title} cannot be undone now.`);
    }
    if (!request && this.policy.fourEyes) {
      // The first responder only asks: nothing changes in the tenant until a second one approves.
      const asked = await this.deps.store.updateStep(
        { ...step, undoRequestedBy: who, undoStatus: 'requested' },
        step.version,
      );
      if (asked) {
        await this.audit({
          incidentId: incident.id,
          stepId: id,
          actor: who,
          event: 'step.undo.requested',
          outcome: 'info',
        });
      }
      return this.outcome(incident.id, id);
    }
    const claimed = await this.deps.store.updateStep(
      { ...step, undoneBy: who, undoStatus: 'running' },
      step.version,
    );
    if (!claimed) return this.outcome(incident.id, id);
    await this.audit({
      incidentId: incident.id,
      stepId: id,
      actor: who,
      event: 'step.undo',
      outcome: 'info',
      ...(request ? { detail: `approved; requested by ${request.displayName} (${request.id})` } : {}),
    });
    await this.runUndo(incident, id, who);
    return this.outcome(incident.id, id);
  }

  private async runUndo(incident: IncidentRecord, stepId: StepId, actor: Actor): Promise<void> {
    const step = await this.requireStep(incident.id, stepId);
    const module = STEP_CATALOGUE[stepId];
    const ctx = this.context(incident.target);
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
    await this.saveStep(incident.id, stepId, (current) => ({
      ...current,
      undoStatus: failed ? 'failed' : 'done',
      undoResults,
    }));
    await this.audit({
      incidentId: incident.id,
      stepId,
      actor,
      event: failed ? 'step.undo.failed' : 'step.undone',
      outcome: failed ? 'failed' : 'ok',
      requestIds: undoResults.flatMap((result) => result.requestIds),
    });
  }

  async cancelIncident(incidentId: string, actor: Actor): Promise<IncidentView> {
    const who = validActor(actor);
    for (;;) {
      const incident = await this.requireIncident(idSchema.parse(incidentId));
      if (isClosed(incident)) return this.view(incident.id);
      await this.guard(incident, who, 'incident.cancel', () => this.policy.assertCanAct(incident, who));
      const next: IncidentRecord = { ...incident, status: 'cancelled', updatedAt: this.now() };
      if (await this.deps.store.updateIncident(next, incident.version)) {
        await this.audit({ incidentId: incident.id, actor: who, event: 'incident.cancelled', outcome: 'ok' });
        return this.view(incident.id);
      }
    }
  }

  /**
   * After a restart: finishes steps that were approved or running when the process died,
   * verifying every in-flight write before repeating it. Call once at start-up, before
   * serving requests (one process per store; several instances need leases, not built yet).
   */
  /**
   * `onSecret` receives a credential a resumed step set (its first secret died with the crash):
   * it is never stored, so it must be delivered now or nobody will know the password.
   */
  async resumeInterrupted(onSecret?: (resumed: ResumedSecret) => Promise<void>): Promise<IncidentView[]> {
    const resumed: IncidentView[] = [];
    for (const incident of await this.deps.store.listIncidents()) {
      let touched = false;
      for (const step of await this.deps.store.listSteps(incident.id)) {
        if (step.status === 'running' || step.status === 'approved') {
          await this.audit({
            incidentId: incident.id,
            stepId: step.stepId,
            event: 'step.resumed',
            outcome: 'info',
          });
          const secret = await this.runStep(incident.id, step.stepId, [step.status], step.approvedBy);
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
      if (touched) resumed.push(await this.view(incident.id));
    }
    return resumed;
  }

  // ---------------------------------------------------------------- reading

  async getIncident(incidentId: string): Promise<IncidentView | undefined> {
    const incident = await this.deps.store.getIncident(idSchema.parse(incidentId));
    return incident ? toIncidentView(incident, await this.deps.store.listSteps(incident.id)) : undefined;
  }

  async listOpenIncidents(): Promise<IncidentView[]> {
    const incidents = await this.deps.store.listIncidents({ openOnly: true });
    return Promise.all(incidents.map((incident) => this.view(incident.id)));
  }

  async history(userIdOrUpn: string): Promise<IncidentView[]> {
    const key = idSchema.parse(userIdOrUpn).toLowerCase();
    const incidents = (await this.deps.store.listIncidents()).filter(
      (incident) =>
        incident.target.id.toLowerCase() === key || incident.target.userPrincipalName.toLowerCase() === key,
    );
    return Promise.all(incidents.map((incident) => this.view(incident.id)));
  }

  async report(incidentId: string, locale?: string): Promise<string> {
    const incident = await this.view(idSchema.parse(incidentId));
    return renderIncidentReport(incident, await this.deps.store.listAudit(incident.id), localeOf(locale));
  }

  async exportAudit(incidentId?: string): Promise<string> {
    return toJsonLines(
      await this.deps.store.listAudit(incidentId === undefined ? undefined : idSchema.parse(incidentId)),
    );
  }

  async isResponder(actor: Actor): Promise<boolean> {
    return this.policy.isResponder(validActor(actor));
  }

  // ---------------------------------------------------------------- helpers

  private context(target: TargetView): StepContext {
    const domain = target.userPrincipalName.split('@')[1];
    return {
      services: this.deps.services,
      target,
      tenantDomains: this.deps.tenantDomains ?? (domain ? [domain.toLowerCase()] : []),
      now: this.deps.clock,
    };
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  private validStepId(stepId: unknown): StepId {
    if (!isStepId(stepId)) throw new PolicyError('StepNotActionable', `Unknown step ${String(stepId)}.`);
    return stepId;
  }

  private async requireIncident(incidentId: string): Promise<IncidentRecord> {
    const incident = await this.deps.store.getIncident(incidentId);
    if (!incident) throw new PolicyError('UnknownIncident', `No incident ${incidentId}.`);
    return incident;
  }

  private async openIncident(incidentId: string): Promise<IncidentRecord> {
    const incident = await this.requireIncident(incidentId);
    if (isClosed(incident))
      throw new PolicyError('IncidentClosed', `Incident ${incidentId} is ${incident.status}.`);
    return incident;
  }

  private async requireStep(incidentId: string, stepId: StepId): Promise<StepRecord> {
    const step = await this.deps.store.getStep(incidentId, stepId);
    if (!step) throw new PolicyError('UnknownIncident', `Incident ${incidentId} has no step ${stepId}.`);
    return step;
  }

  /** Runs a policy check; a refusal is audited before it is thrown. */
  private async guard(
    incident: IncidentRecord,
    actor: Actor,
    event: string,
    check: () => Promise<void>,
    stepId?: StepId,
  ): Promise<void> {
    try {
      await check();
    } catch (error) {
      if (error instanceof PolicyError) {
        await this.audit({
          incidentId: incident.id,
          ...(stepId ? { stepId } : {}),
          actor,
          event,
          outcome: 'refused',
          detail: `${error.code}: ${error.message}`,
        });
      }
      throw error;
    }
  }

  private async saveStep(
    incidentId: string,
    stepId: StepId,
    change: (step: StepRecord) => StepRecord,
  ): Promise<void> {
    for (;;) {
      const current = await this.requireStep(incidentId, stepId);
      if (await this.deps.store.updateStep(change(current), current.version)) return;
    }
  }

  private async completeIfFinished(incidentId: string): Promise<void> {
    for (;;) {
      const incident = await this.requireIncident(incidentId);
      if (isClosed(incident)) return;
      const steps = await this.deps.store.listSteps(incidentId);
      if (!steps.every((step) => step.status === 'done' || step.status === 'skipped')) return;
      const next: IncidentRecord = { ...incident, status: 'completed', updatedAt: this.now() };
      if (await this.deps.store.updateIncident(next, incident.version)) {
        await this.audit({ incidentId, event: 'incident.completed', outcome: 'ok' });
        return;
      }
    }
  }

  private async view(incidentId: string): Promise<IncidentView> {
    const incident = await this.requireIncident(incidentId);
    return toIncidentView(incident, await this.deps.store.listSteps(incidentId));
  }

  private async outcome(incidentId: string, stepId: StepId, secret?: SecretDelivery): Promise<StepOutcome> {
    const incident = await this.view(incidentId);
    const step = incident.steps.find((candidate) => candidate.id === stepId);
    if (!step) throw new PolicyError('UnknownIncident', `Incident ${incidentId} has no step ${stepId}.`);
    return { incident, step, ...(secret ? { secret } : {}) };
  }

  private async audit(event: Omit<AuditEvent, 'at'>): Promise<void> {
    if (event.outcome === 'refused') {
      await this.refusals.record(event);
      return;
    }
    await this.deps.store.appendAudit({ at: this.now(), ...event });
  }
}
