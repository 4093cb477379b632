import type { AuditEvent } from './storage';

/** Where security refusals are recorded: the store's append-only audit log. */
export interface AuditSink {
  appendAudit(event: AuditEvent): Promise<void>;
}

export interface RefusalAuditOptions {
  /** Unauthenticated callers can cause refusals at will: only this many per minute are written. */
  maxPerMinute?: number;
  /** One actor's refusals written one by one per window; the rest are counted. */
  maxPerActor?: number;
  /** How long one actor's window lasts (default 10 minutes). */
  actorWindowMs?: number;
  clock?: () => number;
}

type Refusal = Omit<AuditEvent, 'at' | 'outcome'> & { outcome?: AuditEvent['outcome'] };

interface ActorWindow {
  startedAt: number;
  written: number;
  suppressed: number;
}

/** Distinct actors remembered at once; a flood of forged identities cannot grow memory without bound. */
const MAX_TRACKED_ACTORS = 10_000;

/**
 * Records refusals (wrong tenant, bad signature, forged card action, not a responder...) in the
 * audit log without letting a flood bury real events or fill the store:
 *
 * - per actor: the first `maxPerActor` refusals in a window are written as they are; later ones
 *   are only counted, and a `refusal.summary` row says how many (written when the count reaches
 *   10, 100, 1,000…, and when the actor's next window starts), so 1,000 refusals cost a handful of
 *   rows while the first ones keep their detail;
 * - overall (and for refusals without an actor): at most `maxPerMinute` individual rows a
 *   minute (summaries are not capped).
 *
 * Refusals that are not written still reach the log through the caller's logger.
 */
export class RefusalAudit {
  private minute = -1;
  private written = 0;
  private readonly actors = new Map<string, ActorWindow>();
  private readonly maxPerMinute: number;
  private readonly maxPerActor: number;
  private readonly actorWindowMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly sink: AuditSink | undefined,
    options: RefusalAuditOptions = {},
  ) {
    this.maxPerMinute = options.maxPerMinute ?? 30;
    this.maxPerActor = options.maxPerActor ?? 5;
    this.actorWindowMs = options.actorWindowMs ?? 10 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Returns whether the event was written one by one (false when counted, capped or without a sink). */
  async record(event: Refusal): Promise<boolean> {
    if (!this.sink) return false;
    const now = this.clock();
    // Refusals without an actor (unauthenticated, a webhook) share the per-minute cap only.
    const window = event.actor ? await this.windowOf(event, now) : undefined;
    if (window && window.written >= this.maxPerActor) {
      window.suppressed += 1;
      if (isPowerOfTen(window.suppressed)) await this.summarise(event, window, now);
      return false;
    }
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.written = 0;
    }
    if (this.written >= this.maxPerMinute) return false;
    this.written += 1;
    if (window) window.written += 1;
    await this.sink.appendAudit({ outcome: 'refused', ...event, at: new Date(now).toISOString() });
    return true;
  }

  private async windowOf(event: Refusal, now: number): Promise<ActorWindow> {
    const key = actorKey(event);
    const current = this.actors.get(key);
    if (current && now - current.startedAt < this.actorWindowMs) return current;
    // The last window's count is told before a new one starts.
    if (current && current.suppressed > 0 && !isPowerOfTen(current.suppressed)) {
      await this.summarise(event, current, now);
    }
    if (this.actors.size >= MAX_TRACKED_ACTORS) this.forgetOldest(now);
    const fresh: ActorWindow = { startedAt: now, written: 0, suppressed: 0 };
    this.actors.set(key, fresh);
    return fresh;
  }

  private async summarise(event: Refusal, window: ActorWindow, now: number): Promise<void> {
    await this.sink?.appendAudit({
      at: new Date(now).toISOString(),
      ...(event.actor ? { actor: event.actor } : {}),
      event: 'refusal.summary',
      outcome: 'refused',
      detail: `${window.suppressed} further refusal(s) since ${new Date(window.startedAt).toISOString()} counted, not written one by one (latest: ${event.event})`,
    });
  }

  private forgetOldest(now: number): void {
    for (const [key, window] of this.actors) {
      if (now - window.startedAt >= this.actorWindowMs || this.actors.size >= MAX_TRACKED_ACTORS) {
        this.actors.delete(key);
      }
      if (this.actors.size < MAX_TRACKED_ACTORS / 2) return;
    }
  }
}

function actorKey(event: Refusal): string {
  return (event.actor?.id ?? '').toLowerCase();
}

function isPowerOfTen(count: number): boolean {
  return count >= 10 && /^10*$/.test(String(count));
}
