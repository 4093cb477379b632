import { settleWithin } from './progress';
import type { Settlement } from './progress';

/**
 * Work that outlives the turn (Teams retries requests slower than 15 s). Failures are
 * reported, never thrown into nowhere; tests and shutdown wait for `idle()`.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  run(task: () => Promise<void>): void {
    const promise = task()
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** What a click answers with: the engine's result when it came in time, else 'pending'. */
export type Answer<T> = { settled: 'fulfilled'; value: T } | { settled: 'pending' };

/**
 * The one way a card action answers within the invoke deadline and finishes in the background:
 * `finish` starts at once (so progress can follow the work from its first moment) and learns
 * how the answer went; a rejection within the deadline is thrown to the caller, who shows it on
 * the clicked card. Teams retries an invoke that is not answered within 15 s.
 */
export async function answerWithin<T>(
  background: BackgroundTasks,
  work: Promise<T>,
  deadlineMs: number,
  finish: (answered: Promise<Settlement>) => Promise<void>,
): Promise<Answer<T>> {
  const answered = settleWithin(work, deadlineMs);
  background.run(() => finish(answered));
  const settlement = await answered;
  if (settlement === 'pending') return { settled: 'pending' };
  return { settled: 'fulfilled', value: await work };
}
