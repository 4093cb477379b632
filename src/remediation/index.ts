import { randomUUID } from 'node:crypto';
import { RemediationEngine } from './service';
import type { RemediationServiceDeps } from './service';

export * from './contract';
export { MAX_TARGETS_PER_REQUEST, RemediationEngine } from './service';
export { executionPrerequisites } from './executionOrder';
export { summarizeGroup } from './groups';
export type { RemediationServiceDeps } from './service';
export { Policy } from './policy';
export { CRASH_POINTS } from './stepRunner';
export type { CrashPoint } from './stepRunner';
export { STEP_CATALOGUE } from './steps';
export { scoreInboxRule } from './rules/scoreInboxRule';
export { generatePassword } from './password';

/**
 * The engine with defaults for the clock and ids. Returns the concrete class so the
 * composition root can call `resumeInterrupted()` once at start-up.
 */
export function createRemediationService(
  deps: Omit<RemediationServiceDeps, 'clock' | 'ids'> &
    Partial<Pick<RemediationServiceDeps, 'clock' | 'ids'>>,
): RemediationEngine {
  return new RemediationEngine({
    clock: () => new Date(),
    ids: () => randomUUID(),
    ...deps,
  });
}
export type * from './storage';
