import { isM365Error } from '../m365/errors';
import type { M365ErrorCode } from '../m365/types';
import { PolicyError } from './contract';
import type { StepError } from './contract';

/** The M365ErrorCode of a service-layer failure, or undefined for anything else. */
export function m365Code(error: unknown): M365ErrorCode | undefined {
  return isM365Error(error) ? error.code : undefined;
}

export function requestIdOf(error: unknown): string | undefined {
  return isM365Error(error) ? error.requestId : undefined;
}

/** A failure as a responder sees it: stable code, safe message, a remedy. Never a stack trace. */
export function toStepError(error: unknown): StepError {
  if (isM365Error(error)) return { code: error.code, message: error.message, remedy: error.remedy };
  if (error instanceof PolicyError) {
    return { code: error.code, message: error.message, remedy: 'A responder must decide how to proceed.' };
  }
  return {
    code: 'Unknown',
    message: 'Remediator hit an unexpected error while running this step.',
    remedy: 'Retry the step; if it keeps failing, check the logs.',
  };
}
