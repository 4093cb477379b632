import { backOff } from 'exponential-backoff';

/** What an attempt returns when it lost a compare-and-set (an ETag or version race) and should run again. */
export const RETRY = Symbol('retry');
export type Attempt<T> = T | typeof RETRY;

export interface ContentionRetryOptions {
  /** Give up once this much time has passed since the first attempt (default 30 s). */
  timeoutInMs?: number;
  /** Give up after this many attempts (default 1,000). */
  maxAttempts?: number;
}

export const DEFAULT_CONTENTION_RETRY: Required<ContentionRetryOptions> = {
  timeoutInMs: 30_000,
  maxAttempts: 1_000,
};

/** Raised when optimistic writes keep losing to concurrent writers for longer than the budget. */
export class ContentionError extends Error {
  constructor(operation: string, attempts: number, elapsedInMs: number) {
    super(`${operation}: still losing to concurrent writers after ${attempts} attempts in ${elapsedInMs} ms`);
    this.name = 'ContentionError';
  }
}

const LOST_RACE = new Error('lost a compare-and-set');

/**
 * Runs `attempt` until it returns a value, for optimistic updates: read, change, write if the
 * version is still the one read. A loser backs off with full jitter (exponential, 4 ms doubling
 * to at most 100 ms) so many writers on one record spread out instead of colliding again in
 * lockstep, and gives up with ContentionError when the budget (time and attempts) is spent.
 * Errors other than a lost race are not retried: they propagate at once.
 */
export async function retryOnContention<T>(
  operation: string,
  options: ContentionRetryOptions,
  attempt: () => Promise<Attempt<T>>,
): Promise<T> {
  const { timeoutInMs, maxAttempts } = { ...DEFAULT_CONTENTION_RETRY, ...options };
  const started = Date.now();
  let attempts = 0;
  try {
    return await backOff(
      async () => {
        attempts += 1;
        const result = await attempt();
        if (result === RETRY) throw LOST_RACE;
        return result;
      },
      {
        numOfAttempts: Math.max(1, maxAttempts),
        startingDelay: 4,
        timeMultiple: 2,
        maxDelay: 100,
        jitter: 'full',
        retry: (error: unknown) => error === LOST_RACE && Date.now() - started < timeoutInMs,
      },
    );
  } catch (error) {
    if (error === LOST_RACE) throw new ContentionError(operation, attempts, Date.now() - started);
    throw error;
  }
}
