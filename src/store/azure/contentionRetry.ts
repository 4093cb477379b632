import { setTimeout as sleep } from 'node:timers/promises';
import { StoreContentionError } from './tableErrors';

export const RETRY = Symbol('retry');
export type Attempt<T> = T | typeof RETRY;

export interface ContentionRetryOptions {
  timeoutInMs: number;
  /** Source of jitter in [0, 1); injected so tests can make it deterministic. */
  random: () => number;
}

/**
 * Runs `attempt` until it returns a value. Losers of an If-Match race back off with full
 * jitter so that many writers on one entity (the audit counter) spread out instead of
 * colliding again in lockstep.
 */
export async function retryOnContention<T>(
  operation: string,
  options: ContentionRetryOptions,
  attempt: () => Promise<Attempt<T>>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutInMs;
  for (let round = 0; ; round += 1) {
    const result = await attempt();
    if (result !== RETRY) return result;
    if (Date.now() >= deadline) throw new StoreContentionError(operation, options.timeoutInMs);
    const ceilingInMs = Math.min(100, 4 * 2 ** Math.min(round, 5));
    await sleep(Math.floor(options.random() * ceilingInMs));
  }
}
