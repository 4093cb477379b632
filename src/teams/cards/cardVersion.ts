import type { GroupProgress, IncidentView, StepView } from '../../remediation/contract';

/**
 * A short fingerprint of what a card showed. A click carrying an older version is not acted
 * on: the responder saw a state that no longer holds (someone else acted meanwhile).
 */
export function incidentCardVersion(incident: IncidentView): string {
  const steps = incident.steps.map((step) => step.status[0] ?? '').join('');
  return `${incident.status}.${incident.approvals.length}.${steps}`;
}

export function stepCardVersion(step: StepView): string {
  const undo = step.undoStatus
    ? { requested: 'q', running: 'r', done: 'd', failed: 'f' }[step.undoStatus]
    : '';
  return `${step.status}.${step.results.length}.${step.undoneBy ? 'u' : ''}${undo}`;
}

/** A group card's fingerprint: how many incidents are in each state and how many steps wait. */
export function groupCardVersion(progress: GroupProgress): string {
  const byStatus = progress.incidentsByStatus;
  const pending = progress.steps.reduce((sum, step) => sum + step.counts.pending, 0);
  return `g.${byStatus['awaiting-approval']}.${byStatus.open}.${byStatus.completed}.${byStatus.cancelled}.${pending}`;
}
