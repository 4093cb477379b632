/** Retry policy shared by the $batch item retries and the Exchange client. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First back-off step when the service sends no Retry-After. */
  baseDelayInMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayInMs: 1000 };

/** Longest wait we accept from a Retry-After header, so one answer cannot stall a step for hours. */
const MAX_DELAY_IN_MS = 120_000;

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Retry-After (seconds or an HTTP date) when the service sends one; otherwise exponential
 * back-off with "equal jitter" so that many parallel items do not retry in lockstep
 * (Identity Protection sends no Retry-After at all).
 */
export function retryDelayInMs(
  retryAfter: string | undefined,
  attempt: number,
  baseDelayInMs: number,
  random: () => number = Math.random,
): number {
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_DELAY_IN_MS);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(date - Date.now(), 0), MAX_DELAY_IN_MS);
  }
  const exponential = Math.min(baseDelayInMs * 2 ** attempt, MAX_DELAY_IN_MS);
  return exponential / 2 + random() * (exponential / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
