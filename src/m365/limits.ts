/**
 * A counting semaphore per key (one per mailbox). Acquisition is synchronous when a slot is
 * free, which matters: requests issued in the same tick must reach the $batch collector in that
 * same tick, and Bottleneck's scheduler hops across several timers before it starts a job
 * (measured: up to ~10 ms), which would split them into separate batches.
 */
export class KeyedSemaphore {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private peak = 0;

  constructor(private readonly maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError('maxConcurrent must be a positive integer');
    }
  }

  /** Highest number of holders seen on any one key (tests use it). */
  get peakConcurrency(): number {
    return this.peak;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await work();
    } finally {
      this.release(key);
    }
  }

  private acquire(key: string): Promise<void> | void {
    const count = this.active.get(key) ?? 0;
    if (count < this.maxConcurrent) {
      this.take(key, count);
      return;
    }
    return new Promise<void>((resolve) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push(() => {
        this.take(key, this.active.get(key) ?? 0);
        resolve();
      });
      this.waiting.set(key, queue);
    });
  }

  private take(key: string, count: number): void {
    this.active.set(key, count + 1);
    this.peak = Math.max(this.peak, count + 1);
  }

  private release(key: string): void {
    const count = (this.active.get(key) ?? 1) - 1;
    if (count === 0) this.active.delete(key);
    else this.active.set(key, count);
    const next = this.waiting.get(key)?.shift();
    if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
    next?.();
  }
}

export interface RequestLimitOptions {
  /** Outlook resources allow 4 concurrent requests per mailbox per app. */
  maxConcurrentPerMailbox?: number;
  /** Identity Protection allows 1 request per second per tenant and sends no Retry-After. */
  identityProtectionMinIntervalInMs?: number;
  /**
   * Cap on Graph Outlook requests (messageRules, mailFolders) across ALL mailboxes. Current
   * Graph docs say Outlook's 4 concurrent requests apply per app ID whichever mailbox they
   * target (older docs: per mailbox); unset keeps only the per-mailbox limit.
   */
  maxConcurrentOutlookRequests?: number;
  /** Sign-in log requests allowed per window (default 5 per 10 s). */
  signInLog?: { maxRequests: number; windowInMs: number };
  /** Cap on all requests in flight (used by the sequential baseline); unlimited when unset. */
  maxConcurrentRequests?: number;
  /**
   * Most requests started per sliding window, for everything that is neither Identity Protection
   * nor an Outlook resource (those have limits of their own). Sized to the tenant's budget, the
   * client waits its turn instead of collecting 429s whose Retry-After all expire together;
   * unlimited when unset. $batch items count one by one, like the service counts them.
   */
  requestRate?: { maxRequests: number; windowInMs: number };
}

/** What a request declares about itself so the limits can apply. */
export interface LimitedRequest {
  mailbox?: string;
  /** A Graph Outlook resource (counts against the app-wide Outlook cap when one is set). */
  outlook?: boolean;
  identityProtection?: boolean;
  signInLog?: boolean;
}

/**
 * Runs jobs one at a time with at least `intervalInMs` between the END of one and the START of
 * the next. The service measures arrivals, and a request's way there varies (the first one opens
 * a connection), so spacing starts (Bottleneck's minTime) still lets two arrive < 1 s apart;
 * spacing from completion cannot.
 */
export class IntervalGate {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly intervalInMs: number) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, this.intervalInMs));
    this.tail = result.then(settle, settle);
    return result;
  }
}

/**
 * At most `maxRequests` starts in any `windowInMs` (the sign-in log allows 5 requests per 10 s
 * per app and tenant). Starts synchronously while under the limit, so batching is unaffected.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly maxRequests: number,
    private readonly windowInMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.tryStart()) return work();
    // Over the limit: queue behind earlier waiters so order is kept.
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn;
    await turn;
    return work();
  }

  private tryStart(): boolean {
    const now = this.now();
    while (this.starts.length > 0 && now - this.starts[0]! >= this.windowInMs) this.starts.shift();
    if (this.starts.length >= this.maxRequests) return false;
    this.starts.push(now);
    return true;
  }

  private async waitForSlot(): Promise<void> {
    while (!this.tryStart()) {
      const oldest = this.starts[0] ?? this.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(oldest + this.windowInMs - this.now(), 1)));
    }
  }
}

/**
 * At most `maxRequests` per sliding window as the SERVICE counts them. The service stamps a
 * request when it handles it, somewhere between our send and its answer; a request therefore
 * occupies a slot from its start until `windowInMs` after its answer. That is conservative by
 * the request's duration, and never lets queueing delays bunch more arrivals into one window
 * than the budget allows (spacing starts alone did: measured 429s at 95 % of the budget).
 */
export class RequestBudget {
  private inFlight = 0;
  /** Answer times, oldest first. */
  private readonly answered: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly maxRequests: number,
    private readonly windowInMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxRequests) || maxRequests < 1)
      throw new RangeError('maxRequests must be a positive integer');
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.tryStart()) {
      // Over the budget: queue behind earlier waiters so order is kept.
      const turn = this.queue.then(() => this.waitForSlot());
      this.queue = turn;
      await turn;
    }
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.answered.push(this.now());
    }
  }

  private tryStart(): boolean {
    const windowStart = this.now() - this.windowInMs;
    while (this.answered.length > 0 && this.answered[0]! <= windowStart) this.answered.shift();
    if (this.inFlight + this.answered.length >= this.maxRequests) return false;
    this.inFlight += 1;
    return true;
  }

  private async waitForSlot(): Promise<void> {
    while (!this.tryStart()) {
      const oldest = this.answered[0];
      // Every slot is held by a request still in flight: look again shortly.
      const waitMs = oldest === undefined ? 10 : Math.max(oldest + this.windowInMs - this.now(), 1);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** All client-side limits in one place: per mailbox, Identity Protection rate, sign-in log rate, global cap. */
export class RequestLimits {
  readonly mailboxes: KeyedSemaphore;
  private readonly identityProtection: IntervalGate;
  private readonly signInLog: SlidingWindowLimiter;
  private readonly global?: KeyedSemaphore;
  private readonly outlook?: KeyedSemaphore;
  private readonly rate?: RequestBudget;

  constructor(options: RequestLimitOptions = {}) {
    if (options.requestRate !== undefined) {
      this.rate = new RequestBudget(options.requestRate.maxRequests, options.requestRate.windowInMs);
    }
    this.mailboxes = new KeyedSemaphore(options.maxConcurrentPerMailbox ?? 4);
    this.identityProtection = new IntervalGate(options.identityProtectionMinIntervalInMs ?? 1000);
    const signInLog = options.signInLog ?? { maxRequests: 5, windowInMs: 10_000 };
    this.signInLog = new SlidingWindowLimiter(signInLog.maxRequests, signInLog.windowInMs);
    if (options.maxConcurrentOutlookRequests !== undefined) {
      this.outlook = new KeyedSemaphore(options.maxConcurrentOutlookRequests);
    }
    if (options.maxConcurrentRequests !== undefined) {
      this.global = new KeyedSemaphore(options.maxConcurrentRequests);
    }
  }

  run<T>(request: LimitedRequest, work: () => Promise<T>): Promise<T> {
    let limited = work;
    if (this.rate && !request.identityProtection && !request.outlook) {
      // Innermost: counted when the request really leaves, not while it queues for a mailbox slot.
      const rate = this.rate;
      const inner = limited;
      limited = () => rate.run(inner);
    }
    if (this.global) {
      const global = this.global;
      const inner = limited;
      limited = () => global.run('all', inner);
    }
    if (request.outlook && this.outlook) {
      const outlook = this.outlook;
      const inner = limited;
      limited = () => outlook.run('app', inner);
    }
    if (request.mailbox !== undefined) {
      const mailbox = request.mailbox.toLowerCase();
      const inner = limited;
      limited = () => this.mailboxes.run(mailbox, inner);
    }
    if (request.signInLog) {
      const inner = limited;
      limited = () => this.signInLog.run(inner);
    }
    if (request.identityProtection) {
      const inner = limited;
      limited = () => this.identityProtection.run(inner);
    }
    return limited();
  }
}
