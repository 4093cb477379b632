/**
 * The engine's public face: what the Teams bot, the CLI and the alert webhook drive.
 * Nothing here knows about Teams or botbuilder (DESIGN.md dependency rule).
 */
import type { Message } from '../i18n/message';
import { english } from '../i18n/findings';

/** In the order the engine proposes them: containment first, evidence last. */
export const STEP_IDS = [
  'block-sign-in',
  'revoke-sessions',
  'reset-password',
  'mailbox-forwarding',
  'inbox-rules',
  'unblock-sending',
  'admin-roles',
  'auth-methods',
  'app-consents',
  'mailbox-delegates',
  'confirm-compromised',
  'sign-in-evidence',
] as const;

export type StepId = (typeof STEP_IDS)[number];

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && (STEP_IDS as readonly string[]).includes(value);
}

/** pending → approved|skipped → running → done|failed (failed → running again on retry). */
export type StepStatus = 'pending' | 'approved' | 'skipped' | 'running' | 'done' | 'failed';

export type IncidentStatus = 'awaiting-approval' | 'open' | 'completed' | 'cancelled';

/** Who acted: always taken from the authenticated sender, never from card data. */
export interface Actor {
  /** Entra object id. */
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

export type Suspicion = 'high' | 'medium' | 'low' | 'none';

export interface Finding {
  /** Stable within the incident; responders choose items by this id. */
  id: string;
  title: string;
  /** Human-readable reasons, e.g. "forwards as attachment to x@gmail.com (outside contoso.com)". */
  reasons: string[];
  suspicion: Suspicion;
  /** Whether the engine proposes acting on it unless the responder deselects it. */
  selectedByDefault: boolean;
  /** The title as data, rendered per locale at the edge; `title` is its English rendering. */
  titleMessage?: Message;
  /** The reasons as data, rendered per locale at the edge; `reasons` are their English rendering. */
  reasonMessages?: Message[];
}

export interface PlannedAction {
  id: string;
  findingId?: string;
  /** What will change, in one sentence. */
  description: string;
  /** The description as data, rendered per locale at the edge. */
  descriptionMessage?: Message;
}

export interface StepError {
  code: string;
  /** In English (logs, audit); `detail` renders it in the reader's language. */
  message: string;
  /** What the responder can do about it, in English; `remedyDetail` renders it per locale. */
  remedy: string;
  detail?: Message;
  remedyDetail?: Message;
}

export interface ActionResult {
  actionId: string;
  outcome: 'done' | 'failed' | 'skipped';
  verified: boolean;
  requestIds: string[];
  error?: StepError;
}

export interface StepView {
  id: StepId;
  title: string;
  /** Why this step matters, one sentence. */
  summary: string;
  /** The summary as data, rendered per locale at the edge. */
  summaryMessage?: Message;
  status: StepStatus;
  findings: Finding[];
  actions: PlannedAction[];
  /** Set when the step cannot be automated here (synced user, withheld permission, licence): what to do by hand. */
  manualGuidance?: string;
  /** The guidance as data, rendered per locale at the edge. */
  manualGuidanceMessage?: Message;
  /** A step with nothing to do (no forwarding, no rules) is offered as informational. */
  nothingToDo: boolean;
  approvedBy?: Actor;
  skippedBy?: Actor;
  startedAt?: string;
  finishedAt?: string;
  verified: boolean;
  results: ActionResult[];
  error?: StepError;
  undoable: boolean;
  /** Who approved and ran the undo (under four-eyes, not the one who asked for it). */
  undoneBy?: Actor;
  /** Who asked for the undo; under four-eyes it waits for a second responder. */
  undoRequestedBy?: Actor;
  undoStatus?: 'requested' | 'running' | 'done' | 'failed';
}

export interface TargetView {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  onPremisesSyncEnabled: boolean;
}

export interface IncidentOrigin {
  kind: 'teams' | 'cli' | 'webhook';
  tenantId?: string;
  /** Teams conversation id the incident was opened from. */
  conversationId?: string;
}

export interface IncidentView {
  id: string;
  /** Incidents opened by one request share a group id. */
  groupId: string;
  target: TargetView;
  requester: Actor;
  origin: IncidentOrigin;
  approvals: { actor: Actor; at: string }[];
  status: IncidentStatus;
  steps: StepView[];
  createdAt: string;
  updatedAt: string;
}

/** A generated password or Temporary Access Pass, returned once to the approving responder only. */
export interface SecretDelivery {
  kind: 'password' | 'temporaryAccessPass';
  value: string;
  expiresAt?: string;
}

/** A credential a resumed step had to set again (the first one died with the crash), and whom it is for. */
export interface ResumedSecret {
  incidentId: string;
  stepId: StepId;
  secret: SecretDelivery;
  approver?: Actor;
}

export interface StepOutcome {
  incident: IncidentView;
  step: StepView;
  secret?: SecretDelivery;
}

export interface ApproveStepOptions {
  /** Finding ids to act on; defaults to the findings selected by default. */
  selectedFindingIds?: string[];
  /** For reset-password: a random password (default) or a Temporary Access Pass. */
  credentialKind?: 'password' | 'temporaryAccessPass';
}

export interface OpenIncidentsRequest {
  /** UPNs or Entra object ids. */
  targets: string[];
  requester: Actor;
  origin: IncidentOrigin;
}

export interface OpenIncidentsResult {
  groupId: string;
  incidents: IncidentView[];
  /** Ids of incidents that were already open for a target and were joined instead of created. */
  joinedIncidentIds: string[];
  /** Targets that could not be opened, with a reason a responder understands. */
  refused: { target: string; code: string; message: string; detail?: Message }[];
}

/**
 * Refusals by policy (not responder, self-approval under four-eyes, break-glass target,
 * last Global Administrator...). `message` is safe to show to the user.
 */
export class PolicyError extends Error {
  constructor(
    readonly code:
      | 'NotResponder'
      | 'SelfApproval'
      | 'TargetCannotApprove'
      | 'ProtectedAccount'
      | 'LastGlobalAdministrator'
      | 'IncidentClosed'
      | 'StepNotActionable'
      | 'NotApproved'
      | 'UnknownIncident'
      | 'UnknownTarget',
    message: string,
    /** The refusal as data, so each reader gets it in their language (src/i18n/findings.ts refusalText). */
    readonly detail?: Message,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** A refusal whose text is a message: English for logs and audit, each reader's language at the edge. */
export function refusal(code: PolicyError['code'], detail: Message): PolicyError {
  return new PolicyError(code, english(detail), detail);
}

/**
 * Emitted after the engine changed an incident or one of its steps, in this process. Subscribers
 * render the view they are given instead of polling. Several events for one incident in quick
 * succession may arrive as one (the latest view, with every changed step id); the last event
 * after a change always shows that change. Not durable and not shared across processes.
 */
export interface IncidentChanged {
  type: 'incident.changed';
  /** The incident as read right after the change. */
  incident: IncidentView;
  /** The steps that changed since the previous event for this incident; empty when only the incident did. */
  stepIds: StepId[];
}

export type EngineEvent = IncidentChanged;
export type EngineListener = (event: EngineEvent) => void;

/**
 * The remediation engine: what the Teams bot, the CLI, the alert webhook and the benchmarks drive.
 * Built by `createRemediationEngine` (src/remediation/engine.ts).
 */
export interface RemediationEngine {
  /** Resolves targets, checks policy, runs discovery, and opens (or joins) one incident per target. */
  openIncidents(request: OpenIncidentsRequest): Promise<OpenIncidentsResult>;
  /** The second responder's go-ahead; under four-eyes the requester and the target are refused. */
  approveIncident(incidentId: string, approver: Actor): Promise<IncidentView>;
  approveStep(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<StepOutcome>;
  skipStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome>;
  retryStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome>;
  approveAllRemaining(
    incidentId: string,
    approver: Actor,
  ): Promise<{ incident: IncidentView; secret?: SecretDelivery }>;
  /**
   * Undo is remediation too. Under four-eyes the first responder's call only records the request
   * (nothing is written; `step.undoStatus` is 'requested'); a second responder's call approves and
   * runs it. The one who asked and the target can never approve. Without four-eyes it runs at once.
   */
  undoStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome>;
  cancelIncident(incidentId: string, actor: Actor): Promise<IncidentView>;
  getIncident(incidentId: string): Promise<IncidentView | undefined>;
  listOpenIncidents(): Promise<IncidentView[]>;
  history(userIdOrUpn: string): Promise<IncidentView[]>;
  /** A readable incident report (plain text / Markdown); findings in the locale's language (BCP 47, default English). */
  report(incidentId: string, locale?: string): Promise<string>;
  /** The audit log as JSON lines, for one incident or all. */
  exportAudit(incidentId?: string): Promise<string>;
  /** Whether the actor is a responder (member of the configured group). */
  isResponder(actor: Actor): Promise<boolean>;
  /** Counts per step and the failures of the incidents opened together (OpenIncidentsResult.groupId). */
  getGroupProgress(groupId: string): Promise<GroupProgress>;
  /** Per-user detail on demand. */
  listGroupIncidents(groupId: string): Promise<IncidentView[]>;
  /**
   * One approval for the whole group: records the approver on every open incident and approves
   * every remaining actionable step (as approveAllRemaining does per incident). Secrets (new
   * passwords / TAPs) come back once, per incident, to this approver only.
   */
  approveGroup(
    groupId: string,
    approver: Actor,
    options?: ApproveGroupOptions,
  ): Promise<{ progress: GroupProgress; secrets: GroupSecret[] }>;
  /**
   * After a restart: finishes steps that were approved or running when the process died. `onSecret`
   * receives a credential a resumed step set (its first secret died with the crash): it is never
   * stored, so it must be delivered now or nobody will know the password.
   */
  resumeInterrupted(onSecret?: (resumed: ResumedSecret) => Promise<void>): Promise<IncidentView[]>;
  /**
   * A reset that finished but whose secret reached nobody (the caller recorded it as owed and the
   * process died before delivering it): sets a new credential with the same approval.
   */
  reissueCredential(incidentId: string, stepId: StepId): Promise<SecretDelivery | undefined>;
  /** Calls `listener` after every change to an incident or step; returns the unsubscribe function. */
  subscribe(listener: EngineListener): () => void;
  /**
   * Installs the bot as a personal Teams app for the approver (a tenant write: policy-checked as an
   * approval of the incident or group, audited), so a credential can reach their 1:1 chat. True
   * when it is installed now or already was; false when refused, not configured or failed.
   */
  installAppForApprover(approver: Actor, on: { incidentId: string } | { groupId: string }): Promise<boolean>;
}

// ---------------------------------------------------------------- groups (mass incidents)

/** How many of a group's incidents have one step in each state. */
export interface GroupStepProgress {
  stepId: StepId;
  title: string;
  counts: Record<StepStatus, number>;
}

export interface GroupFailure {
  incidentId: string;
  target: string;
  stepId: StepId;
  code: string;
  message: string;
  /** The failure as data, rendered in the reader's language. */
  detail?: Message;
}

/** One glance at a mass incident: counts per step, the failures with reasons, not every card. */
export interface GroupProgress {
  groupId: string;
  incidents: number;
  incidentsByStatus: Record<IncidentStatus, number>;
  steps: GroupStepProgress[];
  failures: GroupFailure[];
  /** Every incident completed or cancelled. */
  finished: boolean;
}

export interface GroupSecret {
  incidentId: string;
  target: string;
  secret: SecretDelivery;
}

export interface ApproveGroupOptions {
  /** Incidents worked on at once (default 100); the service layer enforces the API limits. */
  concurrency?: number;
}
