/**
 * Emulates the Microsoft Graph throttling a client must cope with:
 * - Outlook resources: at most N concurrent requests per mailbox per app (429, Retry-After: 1).
 * - Identity Protection: 1 request per second per tenant (429 with NO Retry-After).
 * - Everything else: a budget of N requests per sliding 10 s window (429, Retry-After = seconds
 *   until the window frees a slot).
 * The 10 s budget and the hold time below are the simulator's simplifications of Graph's
 * resource-unit accounting.
 */

export interface ThrottlingOptions {
  /** Concurrent Outlook (messageRules) requests allowed per mailbox. Default 4. */
  mailboxConcurrency: number;
  /**
   * How long an Outlook request holds its concurrency slot (ms). Handlers answer from
   * memory instantly; holding the slot makes concurrency observable like a real mailbox.
   */
  mailboxHoldMs: number;
  /** Minimum gap between Identity Protection requests (ms). Default 1000. */
  identityProtectionIntervalMs: number;
  /** Requests allowed per window for everything else. Default 2000. */
  budgetRequests: number;
  /** Budget window (ms). Default 10 000. */
  budgetWindowMs: number;
}

export const defaultThrottlingOptions: ThrottlingOptions = {
  mailboxConcurrency: 4,
  mailboxHoldMs: 40,
  identityProtectionIntervalMs: 1000,
  budgetRequests: 2000,
  budgetWindowMs: 10_000,
};

export type ThrottleDecision =
  | { allowed: true; release: () => void; holdMs: number }
  | { allowed: false; code: string; message: string; retryAfterSeconds?: number };

export type ThrottleRequest =
  | { kind: 'outlook'; mailbox: string }
  | { kind: 'identityProtection' }
  | { kind: 'budget' }
  | { kind: 'none' };

const noop = (): void => undefined;

export class Throttler {
  private readonly inFlightByMailbox = new Map<string, number>();
  private lastIdentityProtectionAt = Number.NEGATIVE_INFINITY;
  private budgetTimestamps: number[] = [];

  constructor(
    private readonly options: ThrottlingOptions | null,
    private readonly clock: () => number = Date.now,
  ) {}

  admit(request: ThrottleRequest): ThrottleDecision {
    const options = this.options;
    if (options === null || request.kind === 'none') return { allowed: true, release: noop, holdMs: 0 };
    switch (request.kind) {
      case 'outlook':
        return this.admitOutlook(request.mailbox, options);
      case 'identityProtection':
        return this.admitIdentityProtection(options);
      default:
        return this.admitBudget(options);
    }
  }

  reset(): void {
    this.inFlightByMailbox.clear();
    this.lastIdentityProtectionAt = Number.NEGATIVE_INFINITY;
    this.budgetTimestamps = [];
  }

  private admitOutlook(mailbox: string, options: ThrottlingOptions): ThrottleDecision {
    const key = mailbox.toLowerCase();
    const inFlight = this.inFlightByMailbox.get(key) ?? 0;
    if (inFlight >= options.mailboxConcurrency) {
      return {
        allowed: false,
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
        retryAfterSeconds: 1,
      };
    }
    this.inFlightByMailbox.set(key, inFlight + 1);
    let released = false;
    return {
      allowed: true,
      holdMs: options.mailboxHoldMs,
      release: () => {
        if (released) return;
        released = true;
        const remaining = (this.inFlightByMailbox.get(key) ?? 1) - 1;
        if (remaining <= 0) this.inFlightByMailbox.delete(key);
        else this.inFlightByMailbox.set(key, remaining);
      },
    };
  }

  private admitIdentityProtection(options: ThrottlingOptions): ThrottleDecision {
    const now = this.clock();
    if (now - this.lastIdentityProtectionAt < options.identityProtectionIntervalMs) {
      // Identity Protection really sends no Retry-After: clients must back off on their own.
      return { allowed: false, code: 'TooManyRequests', message: 'Too many requests.' };
    }
    this.lastIdentityProtectionAt = now;
    return { allowed: true, release: noop, holdMs: 0 };
  }

  private admitBudget(options: ThrottlingOptions): ThrottleDecision {
    const now = this.clock();
    const windowStart = now - options.budgetWindowMs;
    this.budgetTimestamps = this.budgetTimestamps.filter((time) => time > windowStart);
    if (this.budgetTimestamps.length >= options.budgetRequests) {
      const oldest = this.budgetTimestamps[0] ?? now;
      return {
        allowed: false,
        code: 'TooManyRequests',
        message: 'Too many requests.',
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + options.budgetWindowMs - now) / 1000)),
      };
    }
    this.budgetTimestamps.push(now);
    return { allowed: true, release: noop, holdMs: 0 };
  }
}
