interface Waiter<V> {
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/**
 * One request in flight per API; keys asked for meanwhile wait and go out together in the next
 * request. Made for rate-limited APIs (Identity Protection: 1 request/s; sign-in log: 5 per
 * 10 s) where 500 users must not become 500 requests: while the first request waits for its
 * slot, the other 499 keys pile up and travel in one (or a few) requests.
 */
export class Coalescer<V> {
  private readonly waiting = new Map<string, Array<Waiter<V>>>();
  private running = false;

  /**
   * @param fetchMany answers for the keys given (a key missing from the map is an error for that
   *   key). Called with at most `maxKeysPerRequest` keys, never concurrently with itself.
   */
  constructor(
    private readonly fetchMany: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxKeysPerRequest: number = Number.POSITIVE_INFINITY,
  ) {}

  load(key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiters = this.waiting.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.waiting.set(key, waiters);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Let callers that issue in the same tick join the first request too.
      await Promise.resolve();
      while (this.waiting.size > 0) {
        const keys = [...this.waiting.keys()].slice(0, this.maxKeysPerRequest);
        const batch = keys.map((key) => [key, this.waiting.get(key) ?? []] as const);
        for (const key of keys) this.waiting.delete(key);
        try {
          const answers = await this.fetchMany(keys);
          for (const [key, waiters] of batch) {
            if (answers.has(key)) for (const waiter of waiters) waiter.resolve(answers.get(key) as V);
            else for (const waiter of waiters) waiter.reject(new Error(`no answer for ${key}`));
          }
        } catch (error) {
          for (const [, waiters] of batch) for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
