import { STEP_IDS } from './contract';
import type { GroupProgress, IncidentStatus, IncidentView, StepStatus } from './contract';
import { STEP_CATALOGUE } from './steps';

const STEP_STATUSES: readonly StepStatus[] = ['pending', 'approved', 'skipped', 'running', 'done', 'failed'];
const INCIDENT_STATUSES: readonly IncidentStatus[] = ['awaiting-approval', 'open', 'completed', 'cancelled'];

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Folds a group's incidents into counts per step and a list of failures (pure). */
export function summarizeGroup(groupId: string, incidents: readonly IncidentView[]): GroupProgress {
  const incidentsByStatus = zeroes(INCIDENT_STATUSES);
  const steps = STEP_IDS.map((stepId) => ({
    stepId,
    title: STEP_CATALOGUE[stepId].title,
    counts: zeroes(STEP_STATUSES),
  }));
  const failures: GroupProgress['failures'] = [];
  for (const incident of incidents) {
    incidentsByStatus[incident.status] += 1;
    for (const step of incident.steps) {
      const entry = steps.find((candidate) => candidate.stepId === step.id);
      if (entry) entry.counts[step.status] += 1;
      if (step.status === 'failed') {
        failures.push({
          incidentId: incident.id,
          target: incident.target.userPrincipalName,
          stepId: step.id,
          code: step.error?.code ?? 'Unknown',
          message: step.error?.message ?? 'The step failed.',
          ...(step.error?.detail ? { detail: step.error.detail } : {}),
        });
      }
    }
  }
  return {
    groupId,
    incidents: incidents.length,
    incidentsByStatus,
    steps,
    failures,
    finished: incidents.every(
      (incident) => incident.status === 'completed' || incident.status === 'cancelled',
    ),
  };
}

/** Runs `work` over `items` with at most `limit` at once, in order of start. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(lanes);
}
