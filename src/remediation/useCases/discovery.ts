import { english } from '../../i18n/findings';
import { message } from '../../i18n/message';
import type { Logger } from '../../observability/logger';
import type { StepId, TargetView } from '../contract';
import { STEP_IDS } from '../contract';
import { m365Code, toStepError } from '../errors';
import type { IncidentLedger } from '../ledger';
import type { StepRecord } from '../storage';
import { STEP_CATALOGUE } from '../steps';

/** Every step's discovery for a new incident, in parallel. */
export function discoverAll(
  ledger: IncidentLedger,
  logger: Logger,
  incidentId: string,
  target: TargetView,
): Promise<StepRecord[]> {
  return Promise.all(STEP_IDS.map((stepId) => discoverStep(ledger, logger, incidentId, stepId, target)));
}

/**
 * One step's findings and candidate actions. A 403 (withheld permission, missing licence) becomes
 * manual guidance; any other failure marks the step failed in its discovery phase (retry re-discovers).
 */
export async function discoverStep(
  ledger: IncidentLedger,
  logger: Logger,
  incidentId: string,
  stepId: StepId,
  target: TargetView,
): Promise<StepRecord> {
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
    const discovery = await module.discover(ledger.context(target));
    return {
      ...base,
      findings: discovery.findings,
      candidates: discovery.candidates,
      ...(discovery.manualGuidance !== undefined ? { manualGuidance: discovery.manualGuidance } : {}),
      ...(discovery.manualGuidanceMessage ? { manualGuidanceMessage: discovery.manualGuidanceMessage } : {}),
      nothingToDo: discovery.candidates.length === 0 && discovery.manualGuidance === undefined,
    };
  } catch (error) {
    const code = m365Code(error);
    if (code === 'PermissionDenied') {
      // Withheld permission or missing licence: a responder can still do it by hand.
      const why = toStepError(error);
      const guidance = message('steps.couldNotCheck', {
        manual: module.manualStepsMessage ?? module.manualSteps,
        error: why.detail ?? why.message,
      });
      return { ...base, manualGuidance: english(guidance), manualGuidanceMessage: guidance };
    }
    if (code === undefined) logger.error({ err: error, incidentId, stepId }, 'discovery crashed');
    return { ...base, status: 'failed', error: toStepError(error) };
  }
}
