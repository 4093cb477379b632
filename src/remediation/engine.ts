import { randomUUID } from 'node:crypto';
import type { ContentionRetryOptions } from '../concurrency/retryOnContention';
import type { PolicyConfig } from '../config/config';
import type { M365Services } from '../m365/types';
import type { Logger } from '../observability/logger';
import { AdminLockout } from './adminLockout';
import type { RemediationEngine } from './contract';
import { IncidentFeed } from './events';
import { IncidentLedger } from './ledger';
import { Policy } from './policy';
import { RefusalAudit } from './refusalAudit';
import type { RemediationStore } from './storage';
import { StepRunner } from './stepRunner';
import type { CrashPoint } from './stepRunner';
import { Approvals } from './useCases/approvals';
import { ApproverInstall } from './useCases/approverInstall';
import { GroupApproval } from './useCases/groupApproval';
import { OpenIncidents } from './useCases/openIncidents';
import { Queries } from './useCases/queries';
import { StepExecution } from './useCases/stepExecution';
import { UndoCancelResume } from './useCases/undoCancelResume';
import { toIncidentView } from './views';

export interface RemediationEngineDeps {
  services: M365Services;
  store: RemediationStore;
  policy: PolicyConfig;
  logger: Logger;
  /** Defaults to the system clock. */
  clock?: () => Date;
  /** New incident and group ids; defaults to random UUIDs. */
  ids?: () => string;
  /** The tenant's mail domains; defaults to the target's UPN domain. */
  tenantDomains?: string[];
  /** Object ids of Remediator's own identities, which are never remediated. */
  ownIdentityIds?: string[];
  responderCacheTtlMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Budget of optimistic updates that keep losing to concurrent writers. */
  contentionRetry?: ContentionRetryOptions;
  /**
   * The bot's id in the tenant's Teams app catalog (TEAMS_APP_CATALOG_ID): lets the engine install
   * the app for an approver who must receive a credential. Unset: nothing is installed.
   */
  teamsAppCatalogId?: string;
  /** Test hook: called at each crash point of every write. */
  crashHook?: (point: CrashPoint) => void;
}

/**
 * The remediation engine: opens incidents, runs discovery, executes approved steps exactly once
 * (see StepRunner), verifies, audits and undoes. Each use case is its own module over one
 * incident ledger (src/remediation/useCases/, ledger.ts); this function wires them and the
 * returned object only delegates. Dependencies come in so tests pass recording fakes.
 */
export function createRemediationEngine(deps: RemediationEngineDeps): RemediationEngine {
  const clock = deps.clock ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { store, logger } = deps;
  // Refusals are audited per actor with a cap: a flood of refused clicks adds a bounded number of rows.
  const refusals = new RefusalAudit(store, { maxPerMinute: 120, clock: () => clock().getTime() });
  const policy = new Policy(deps.services.users, deps.policy, {
    clock,
    ...(deps.ownIdentityIds ? { ownIdentityIds: deps.ownIdentityIds } : {}),
    ...(deps.responderCacheTtlMs !== undefined ? { responderCacheTtlMs: deps.responderCacheTtlMs } : {}),
  });
  const runner = new StepRunner({
    store,
    logger,
    clock,
    sleep,
    ...(deps.crashHook ? { crashHook: deps.crashHook } : {}),
  });
  const feed = new IncidentFeed(async (incidentId) => {
    const incident = await store.getIncident(incidentId);
    return incident ? toIncidentView(incident, await store.listSteps(incidentId)) : undefined;
  }, logger);
  const ledger = new IncidentLedger({
    store,
    services: deps.services,
    clock,
    refusals,
    feed,
    ...(deps.contentionRetry ? { retry: deps.contentionRetry } : {}),
    ...(deps.tenantDomains ? { tenantDomains: deps.tenantDomains } : {}),
  });
  const useCaseDeps = { ledger, store, policy, logger, ids: deps.ids ?? (() => randomUUID()) };
  const lockout = new AdminLockout(store, ledger, clock);
  const execution = new StepExecution(useCaseDeps, runner, lockout);
  const approvals = new Approvals(useCaseDeps, execution, lockout);
  const opening = new OpenIncidents(useCaseDeps, deps.services);
  const undo = new UndoCancelResume(useCaseDeps, runner, execution);
  const groups = new GroupApproval(useCaseDeps, approvals);
  const queries = new Queries(useCaseDeps);
  const approverInstall = new ApproverInstall(useCaseDeps, deps.services, deps.teamsAppCatalogId);

  return {
    openIncidents: (request) => opening.open(request),
    approveIncident: (incidentId, approver) => approvals.approveIncident(incidentId, approver),
    approveStep: (incidentId, stepId, approver, options) =>
      approvals.approveStep(incidentId, stepId, approver, options),
    approveAllRemaining: (incidentId, approver) => approvals.approveAllRemaining(incidentId, approver),
    retryStep: (incidentId, stepId, actor) => approvals.retryStep(incidentId, stepId, actor),
    skipStep: (incidentId, stepId, actor) => approvals.skipStep(incidentId, stepId, actor),
    undoStep: (incidentId, stepId, actor) => undo.undoStep(incidentId, stepId, actor),
    cancelIncident: (incidentId, actor) => undo.cancelIncident(incidentId, actor),
    resumeInterrupted: (onSecret) => undo.resumeInterrupted(onSecret),
    reissueCredential: (incidentId, stepId) => undo.reissueCredential(incidentId, stepId),
    listGroupIncidents: (groupId) => groups.listGroupIncidents(groupId),
    getGroupProgress: (groupId) => groups.getGroupProgress(groupId),
    approveGroup: (groupId, approver, options) => groups.approveGroup(groupId, approver, options),
    getIncident: (incidentId) => queries.getIncident(incidentId),
    listOpenIncidents: () => queries.listOpenIncidents(),
    history: (userIdOrUpn) => queries.history(userIdOrUpn),
    report: (incidentId, locale) => queries.report(incidentId, locale),
    exportAudit: (incidentId) => queries.exportAudit(incidentId),
    isResponder: (actor) => queries.isResponder(actor),
    subscribe: (listener) => feed.subscribe(listener),
    installAppForApprover: (approver, on) => approverInstall.installFor(approver, on),
  };
}
