import { message } from '../i18n/message';
import { english } from '../i18n/findings';
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

/**
 * A failure as a responder sees it: stable code, safe message, a remedy. Never a stack trace.
 * English text for logs and audit, the same as data for each reader's language.
 */
export function toStepError(error: unknown): StepError {
  if (isM365Error(error)) {
    return {
      code: error.code,
      message: error.message,
      remedy: error.remedy,
      ...(error.detail ? { detail: error.detail } : {}),
      ...(error.remedyDetail ? { remedyDetail: error.remedyDetail } : {}),
    };
  }
  const decide = message('remedy.decide');
  if (error instanceof PolicyError) {
    return {
      code: error.code,
      message: error.message,
      remedy: english(decide),
      ...(error.detail ? { detail: error.detail } : {}),
      remedyDetail: decide,
    };
  }
  const unexpected = message('error.unexpected');
  const retry = message('remedy.unexpected');
  return {
    code: 'Unknown',
    message: english(unexpected),
    remedy: english(retry),
    detail: unexpected,
    remedyDetail: retry,
  };
}
