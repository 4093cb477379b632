import type { Message } from '../../i18n/message';
import type { M365Services } from '../../m365/types';
import type { ApproveStepOptions, Finding, SecretDelivery, StepError, StepId, TargetView } from '../contract';
import type { ActionRecord } from '../storage';

/** What a step sees: the services, the target and the tenant's own domains. */
export interface StepContext {
  services: M365Services;
  target: TargetView;
  /** Mail domains that belong to the tenant; forwarding elsewhere is "outside". */
  tenantDomains: string[];
  now: () => Date;
}

export interface Discovery {
  findings: Finding[];
  /** One possible action per finding (or one for the whole step), with its before-snapshot. */
  candidates: ActionRecord[];
  /** Set when the step cannot be automated for this target: what to do by hand. */
  manualGuidance?: string;
  /** The guidance as data, rendered per locale at the edge. */
  manualGuidanceMessage?: Message;
}

export interface ExecuteResult {
  requestIds: string[];
  /** Returned once to the approver; never stored, logged or audited. */
  secret?: SecretDelivery;
}

/** 'unverifiable': the API offers no read-back (a password), so the 2xx answer is the evidence. */
export type VerifyResult = 'applied' | 'missing' | 'unverifiable';

export interface VerifyContext {
  /** When the write was first attempted (its intent checkpoint), ISO. */
  since: string;
}

export interface StepModule {
  id: StepId;
  title: string;
  /** Why this step matters, one sentence. */
  summary: string;
  /** The summary as data, for rendering in the reader's language. */
  summaryMessage?: Message;
  /** What a responder does by hand when Remediator may not read or write this (403). */
  manualSteps: string;
  /** The manual steps as data, for rendering in the reader's language. */
  manualStepsMessage?: Message;
  undoable: boolean;
  /**
   * The action hands a secret to the approver. After a crash its secret is lost, so the
   * engine repeats the write rather than trusting verification (the old secret reached nobody).
   */
  deliversSecret?: boolean;
  /**
   * The actions are independent writes (one per rule, grant, delegate...) and may run at the
   * same time, so their requests share a $batch. Unset: one after another, in plan order.
   */
  concurrentActions?: boolean;
  /**
   * The step stops the target signing in (block, reset, sign out). For the last Global
   * Administrator who can sign in that would lock the tenant out, so the engine refuses it at
   * approval and checks again right before each write, under the tenant-wide administrator lock.
   */
  locksOutTarget?: boolean;
  /**
   * This action removes a Global Administrator role: it checks "is there another usable one?"
   * and then writes, so the engine runs it under the tenant-wide administrator lock.
   */
  needsAdminLock?(action: ActionRecord): boolean;
  /**
   * A failed action the engine tries once more after the step's other actions (an ordering
   * rule of the API, e.g. a default sign-in method goes last).
   */
  retryAfterOthers?(error: StepError): boolean;
  discover(ctx: StepContext): Promise<Discovery>;
  /** Chooses the actions for the selected findings; default: the candidates of the selected findings. */
  plan?(
    candidates: ActionRecord[],
    findings: Finding[],
    selection: string[],
    options: ApproveStepOptions,
  ): ActionRecord[];
  execute(ctx: StepContext, action: ActionRecord): Promise<ExecuteResult>;
  verify(ctx: StepContext, action: ActionRecord, verifyContext: VerifyContext): Promise<VerifyResult>;
  undo?(ctx: StepContext, action: ActionRecord): Promise<ExecuteResult>;
  verifyUndo?(ctx: StepContext, action: ActionRecord, verifyContext: VerifyContext): Promise<VerifyResult>;
}

/** The default planner: candidates tied to a selected finding, plus step-wide candidates. */
export function planSelected(candidates: ActionRecord[], selection: string[]): ActionRecord[] {
  const chosen = new Set(selection);
  return candidates.filter(
    (candidate) => candidate.findingId === undefined || chosen.has(candidate.findingId),
  );
}
