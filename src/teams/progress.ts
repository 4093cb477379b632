import type { IncidentView, RemediationEngine } from '../remediation/contract';

/** How a piece of engine work stood when we stopped waiting for it. */
export type Settlement = 'fulfilled' | 'rejected' | 'pending';

/** A source of changes: calls the listener with each new value; returns the unsubscribe function. */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

const settled = (work: Promise<unknown>): Promise<Settlement> =>
  work.then(
    () => 'fulfilled' as const,
    () => 'rejected' as const,
  );

/** Settles within `ms`, or 'pending'. Never throws: the caller awaits `work` itself for the value. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<Settlement> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([settled(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FollowOptions {
  /** At least this long between two updates (a card replaced too often is throttled by Teams). */
  minGapMs?: number;
}

/**
 * Calls `update` with the latest value `changes` reported, until `work` settles, so cards show
 * progress while a long approval runs: nothing is read on a timer. One update runs at a time;
 * values that arrive meanwhile fold into one more update with the newest. A failing update
 * (Teams briefly unavailable) is reported and following goes on: the caller's final update after
 * `work` puts the truth on the card anyway.
 */
export async function whileRunning<T>(
  work: Promise<unknown>,
  changes: Subscribe<T>,
  update: (latest: T) => Promise<void>,
  onUpdateError: (error: unknown) => void,
  options: FollowOptions = {},
): Promise<void> {
  let latest: { value: T } | undefined;
  let wake: () => void = () => undefined;
  const unsubscribe = changes((value) => {
    latest = { value };
    wake();
  });
  let finished = false;
  const done = settled(work).then(() => {
    finished = true;
  });
  try {
    while (!finished) {
      if (!latest) {
        await Promise.race([done, new Promise<void>((resolve) => (wake = resolve))]);
        continue;
      }
      const { value } = latest;
      latest = undefined;
      try {
        await update(value);
      } catch (error) {
        onUpdateError(error);
      }
      if (options.minGapMs) await Promise.race([done, pause(options.minGapMs)]);
    }
  } finally {
    unsubscribe();
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** One incident's views, as the engine hands them out after each change. */
export function incidentChanges(
  engine: Pick<RemediationEngine, 'subscribe'>,
  incidentId: string,
): Subscribe<IncidentView> {
  return (listener) =>
    engine.subscribe((event) => {
      if (event.incident.id === incidentId) listener(event.incident);
    });
}
