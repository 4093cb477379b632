import type { RateWindow } from './teamsLimits';

/**
 * Rolling-window pacing: a write may go at time t only if, for every window, fewer than `max`
 * writes fall within (t - ms, t]. Teams counts over rolling windows, so a fixed-interval
 * reservoir (Bottleneck's) would let two bursts meet at a window edge; this keeps the history.
 */
export class SlidingWindowPacer {
  /** Reserved slots, ascending. */
  private readonly history: number[] = [];
  private readonly longest: number;
  private pausedUntil = 0;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longest = Math.max(0, ...windows.map((window) => window.ms));
  }

  /** Reserves the earliest slot at or after `now` and returns it; the write must wait until then. */
  reserve(now: number): number {
    const at = this.earliest(now);
    this.commit(at);
    return at;
  }

  /**
   * The earliest slot at or after `now`, not reserved. Slots are handed out in order (never
   * before one already reserved), so checking the windows that end at the new slot suffices.
   */
  earliest(now: number): number {
    this.forget(now);
    let at = Math.max(now, this.pausedUntil, this.history[this.history.length - 1] ?? 0);
    for (let changed = true; changed;) {
      changed = false;
      for (const window of this.windows) {
        const inWindow = this.history.filter((time) => time > at - window.ms);
        if (inWindow.length < window.max) continue;
        // The write that must leave the window before another fits.
        const blocking = inWindow[inWindow.length - window.max] ?? at;
        if (blocking + window.ms > at) {
          at = blocking + window.ms;
          changed = true;
        }
      }
    }
    return at;
  }

  /** Records a write at `at` (from `earliest`, possibly later after another pacer's say). */
  commit(at: number): void {
    this.history.push(at);
    this.history.sort((a, b) => a - b);
  }

  /** Teams said 429: nothing more goes before `until`. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private forget(now: number): void {
    while (this.history.length > 0 && (this.history[0] ?? now) <= now - this.longest) this.history.shift();
  }
}
