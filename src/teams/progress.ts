/** How a piece of engine work stood when we stopped waiting for it. */
export type Settlement = 'fulfilled' | 'rejected' | 'pending';

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

/**
 * Calls `tick` every `intervalMs` until `work` settles, so cards can show progress while a long
 * approval runs. A failing tick (Teams briefly unavailable) is reported and the polling goes on:
 * the final update after `work` puts the truth on the card anyway.
 */
export async function whileRunning(
  work: Promise<unknown>,
  intervalMs: number,
  tick: () => Promise<void>,
  onTickError: (error: unknown) => void,
): Promise<void> {
  while ((await settleWithin(work, intervalMs)) === 'pending') {
    try {
      await tick();
    } catch (error) {
      onTickError(error);
    }
  }
}
