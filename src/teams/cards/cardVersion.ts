import type { IncidentView, StepView } from '../../remediation/contract';

/**
 * A short fingerprint of what a card showed. A click carrying an older version is not acted
 * on: the responder saw a state that no longer holds (someone else acted meanwhile).
 */
export function incidentCardVersion(incident: IncidentView): string {
  const steps = incident.steps.map((step) => step.status[0] ?? '').join('');
  return `${incident.status}.${incident.approvals.length}.${steps}`;
}

export function stepCardVersion(step: StepView): string {
  return `${step.status}.${step.results.length}.${step.undoneBy ? 'u' : ''}`;
}
