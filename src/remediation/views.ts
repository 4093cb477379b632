import type { ActionRecord, IncidentRecord, StepRecord } from './storage';
import type { IncidentView, PlannedAction, StepView } from './contract';
import { english } from '../i18n/findings';
import { message } from '../i18n/message';
import type { Message } from '../i18n/message';
import { STEP_CATALOGUE } from './steps';
import { planSelected } from './steps/types';

export function defaultSelection(step: StepRecord): string[] {
  return step.findings.filter((finding) => finding.selectedByDefault).map((finding) => finding.id);
}

/** The actions a step will take: the approved ones, or what the default selection would do. */
export function proposedActions(step: StepRecord): ActionRecord[] {
  if (step.actions.length > 0 || step.status !== 'pending') return step.actions;
  const module = STEP_CATALOGUE[step.stepId];
  try {
    return module.plan
      ? module.plan(step.candidates, step.findings, defaultSelection(step), {})
      : planSelected(step.candidates, defaultSelection(step));
  } catch {
    return [];
  }
}

function toPlannedAction(action: ActionRecord): PlannedAction {
  return {
    id: action.id,
    ...(action.findingId !== undefined ? { findingId: action.findingId } : {}),
    description: action.description,
    ...(action.descriptionMessage !== undefined ? { descriptionMessage: action.descriptionMessage } : {}),
  };
}

/** Guidance a step gives for a target, by code (src/i18n/catalogue/steps.ts). */
const TARGET_GUIDANCE = ['resetPassword.manualSynced', 'resetPassword.manualGuest'];

/**
 * The guidance as data. Records whose guidance was stored as text only are matched against the
 * guidance a step gives for this target: the message is used only when its English rendering is
 * exactly the stored text, so nothing is ever relabelled.
 */
function guidanceMessage(step: StepRecord, targetName: string | undefined): Message | undefined {
  if (step.manualGuidanceMessage !== undefined) return step.manualGuidanceMessage;
  if (step.manualGuidance === undefined || targetName === undefined) return undefined;
  return TARGET_GUIDANCE.map((code) => message(code, { name: targetName })).find(
    (candidate) => english(candidate) === step.manualGuidance,
  );
}

export function toStepView(step: StepRecord, targetName?: string): StepView {
  const manualGuidanceMessage = guidanceMessage(step, targetName);
  const module = STEP_CATALOGUE[step.stepId];
  const didSomething = step.results.some((result) => result.outcome === 'done');
  return {
    id: step.stepId,
    title: module.title,
    summary: module.summary,
    ...(module.summaryMessage !== undefined ? { summaryMessage: module.summaryMessage } : {}),
    status: step.status,
    findings: step.findings,
    actions: proposedActions(step).map(toPlannedAction),
    ...(step.manualGuidance !== undefined ? { manualGuidance: step.manualGuidance } : {}),
    ...(manualGuidanceMessage !== undefined ? { manualGuidanceMessage } : {}),
    nothingToDo: step.nothingToDo,
    ...(step.approvedBy ? { approvedBy: step.approvedBy } : {}),
    ...(step.skippedBy ? { skippedBy: step.skippedBy } : {}),
    ...(step.startedAt ? { startedAt: step.startedAt } : {}),
    ...(step.finishedAt ? { finishedAt: step.finishedAt } : {}),
    verified: step.verified,
    results: step.results,
    ...(step.error ? { error: step.error } : {}),
    // A failed undo may be tried again, an asked-for one approved; a running or finished one may not.
    undoable:
      module.undoable &&
      step.status === 'done' &&
      didSomething &&
      step.undoStatus !== 'running' &&
      step.undoStatus !== 'done' &&
      (step.undoneBy === undefined || step.undoStatus !== undefined),
    ...(step.undoneBy ? { undoneBy: step.undoneBy } : {}),
    ...(step.undoRequestedBy ? { undoRequestedBy: step.undoRequestedBy } : {}),
    ...(step.undoStatus ? { undoStatus: step.undoStatus } : {}),
  };
}

/**
 * The account as it stands now, not as discovery found it: once block-sign-in has blocked the
 * account (and no undo gave it back) the card must not keep saying "Sign-in allowed".
 */
function currentTarget(incident: IncidentRecord, steps: StepRecord[]): IncidentRecord['target'] {
  const block = steps.find((step) => step.stepId === 'block-sign-in');
  if (!block || block.status !== 'done') return incident.target;
  const blocked = block.results.some((result) => result.outcome === 'done');
  const undone = block.undoStatus === 'done';
  if (!blocked) return incident.target;
  return { ...incident.target, accountEnabled: undone };
}

export function toIncidentView(incident: IncidentRecord, steps: StepRecord[]): IncidentView {
  const times = [
    incident.updatedAt,
    ...steps.flatMap((step) => [step.startedAt, step.finishedAt].filter((t): t is string => t !== undefined)),
  ];
  return {
    id: incident.id,
    groupId: incident.groupId,
    target: currentTarget(incident, steps),
    requester: incident.requester,
    origin: incident.origin,
    approvals: incident.approvals,
    status: incident.status,
    steps: steps.map((step) => toStepView(step, incident.target.displayName)),
    createdAt: incident.createdAt,
    updatedAt: times.reduce((latest, time) => (time > latest ? time : latest)),
  };
}
