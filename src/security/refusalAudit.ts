import type { AuditEvent } from '../store/types';

/** Where security refusals are recorded: the store's append-only audit log. */
export interface AuditSink {
  appendAudit(event: AuditEvent): Promise<void>;
}

export interface RefusalAuditOptions {
  /** Unauthenticated callers can cause refusals at will: only this many per minute are written. */
  maxPerMinute?: number;
  clock?: () => number;
}

/**
 * Records refusals (wrong tenant, bad signature, forged card action...) in the audit log, capped
 * per minute so a flood of junk cannot bury real events or fill the store. Refusals over the cap
 * still reach the log through the caller's logger.
 */
export class RefusalAudit {
  private minute = -1;
  private written = 0;
  private readonly maxPerMinute: number;
  private readonly clock: () => number;

  constructor(
    private readonly sink: AuditSink | undefined,
    options: RefusalAuditOptions = {},
  ) {
    this.maxPerMinute = options.maxPerMinute ?? 30;
    this.clock = options.clock ?? Date.now;
  }

  /** Returns whether the event was written (false when over the cap or without a sink). */
  async record(
    event: Omit<AuditEvent, 'at' | 'outcome'> & { outcome?: AuditEvent['outcome'] },
  ): Promise<boolean> {
    if (!this.sink) return false;
    const now = this.clock();
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.written = 0;
    }
    if (this.written >= this.maxPerMinute) return false;
    this.written += 1;
    await this.sink.appendAudit({ outcome: 'refused', ...event, at: new Date(now).toISOString() });
    return true;
  }
}
