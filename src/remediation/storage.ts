/**
 * The storage port of the remediation engine: the records it keeps and the queries it needs.
 * The engine owns this contract; src/store/ implements it (SQLite, Azure Table Storage).
 *
 * Every mutation that can race is a compare-and-set on a version (eTag-style), so the
 * same interface can be implemented on Azure Table Storage (If-Match on ETag) as well
 * as on SQLite. Records are plain JSON: nothing here holds a password or TAP.
 */
import type { Message } from '../i18n/message';
import type {
  Actor,
  ApproveStepOptions,
  Finding,
  IncidentOrigin,
  IncidentStatus,
  StepError,
  StepId,
  StepStatus,
  TargetView,
} from './contract';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface IncidentRecord {
  id: string;
  groupId: string;
  target: TargetView;
  requester: Actor;
  origin: IncidentOrigin;
  approvals: { actor: Actor; at: string }[];
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version; bumped by every successful update. */
  version: number;
}

/** An action the step proposes; `payload` holds its before-snapshot and parameters. */
export interface ActionRecord {
  id: string;
  findingId?: string;
  description: string;
  /** The description as data, rendered per locale at the edge. */
  descriptionMessage?: Message;
  kind: string;
  payload: Json;
}

export interface ActionResultRecord {
  actionId: string;
  outcome: 'done' | 'failed' | 'skipped';
  verified: boolean;
  requestIds: string[];
  error?: StepError;
}

export interface StepRecord {
  incidentId: string;
  stepId: StepId;
  status: StepStatus;
  /** Whether a failure happened while discovering (retry re-discovers) or executing (retry resumes). */
  phase: 'discovery' | 'execution';
  findings: Finding[];
  /** Every action discovery found possible, one per finding (or one for the whole step). */
  candidates: ActionRecord[];
  /** The actions chosen on approval (empty until then). */
  actions: ActionRecord[];
  manualGuidance?: string;
  /** The guidance as data, rendered per locale at the edge. */
  manualGuidanceMessage?: Message;
  nothingToDo: boolean;
  selection?: string[];
  options?: ApproveStepOptions;
  approvedBy?: Actor;
  skippedBy?: Actor;
  startedAt?: string;
  finishedAt?: string;
  verified: boolean;
  results: ActionResultRecord[];
  error?: StepError;
  undoneBy?: Actor;
  /** Under four-eyes the first responder only asks for an undo; a second one approves and runs it. */
  undoRequestedBy?: Actor;
  /**
   * 'requested' until a second responder approves (nothing written yet); 'running' while the
   * reverse writes are under way (a crash resumes them).
   */
  undoStatus?: 'requested' | 'running' | 'done' | 'failed';
  undoResults?: ActionResultRecord[];
  version: number;
}

/**
 * The write-ahead record of one external write, keyed (incident, step, action, kind).
 * 'intent' is stored before the write and 'done'/'failed' after: a crash in between
 * leaves 'intent', which the engine resolves by verifying before ever writing again.
 */
export interface ActionStateRecord {
  incidentId: string;
  stepId: StepId;
  actionId: string;
  /** 'execute' for remediation, 'undo' for the reverse write. */
  kind: 'execute' | 'undo';
  phase: 'intent' | 'done' | 'failed';
  requestIds: string[];
  at: string;
}

/** One line of the append-only audit log. Never holds a secret. */
export interface AuditEvent {
  at: string;
  incidentId?: string;
  stepId?: StepId;
  actionId?: string;
  actor?: Actor;
  /** What happened, e.g. "incident.opened", "action.done". */
  event: string;
  before?: Json;
  after?: Json;
  outcome: 'ok' | 'refused' | 'failed' | 'info';
  requestIds?: string[];
  detail?: string;
}

export interface StoredAuditEvent extends AuditEvent {
  /** Monotonic position in the log. */
  seq: number;
}

export interface IncidentFilter {
  openOnly?: boolean;
  targetId?: string;
  groupId?: string;
}

export type CreateIncidentResult = { created: true } | { created: false; existingIncidentId: string };

export interface IncidentStore {
  /**
   * Creates the incident and its steps atomically, unless an open incident for the same
   * target exists (one open incident per target): then returns that incident's id.
   */
  createIncident(incident: IncidentRecord, steps: StepRecord[]): Promise<CreateIncidentResult>;
  getIncident(incidentId: string): Promise<IncidentRecord | undefined>;
  findOpenIncidentForTarget(targetId: string): Promise<IncidentRecord | undefined>;
  /** By creation time; `groupId`: the incidents one request opened together (the group card, the CLI). */
  listIncidents(filter?: IncidentFilter): Promise<IncidentRecord[]>;
  /** Compare-and-set on `expectedVersion`; false when someone else updated it first. */
  updateIncident(incident: IncidentRecord, expectedVersion: number): Promise<boolean>;

  getStep(incidentId: string, stepId: StepId): Promise<StepRecord | undefined>;
  listSteps(incidentId: string): Promise<StepRecord[]>;
  /** Compare-and-set on `expectedVersion`; false when someone else updated it first. */
  updateStep(step: StepRecord, expectedVersion: number): Promise<boolean>;
  /**
   * Moves a step from one of `from` to `to` (applying `patch`), only if its status is
   * still one of `from`. False when another caller won the race.
   */
  transitionStep(
    incidentId: string,
    stepId: StepId,
    from: StepStatus | StepStatus[],
    to: StepStatus,
    patch?: Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>>,
  ): Promise<boolean>;

  getActionState(
    incidentId: string,
    stepId: StepId,
    actionId: string,
    kind: ActionStateRecord['kind'],
  ): Promise<ActionStateRecord | undefined>;
  /** Writes the action checkpoint and its audit event in one transaction. */
  checkpointAction(state: ActionStateRecord, audit: AuditEvent): Promise<void>;
}

export interface AuditStore {
  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(incidentId?: string): Promise<StoredAuditEvent[]>;
}

/** What the engine needs of a store: incidents, steps, action checkpoints and the audit log. */
export type RemediationStore = IncidentStore & AuditStore;
