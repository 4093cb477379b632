/** Round-trip counters, so benchmarks can compare batched and sequential runs. */
export interface M365Stats {
  /** HTTP requests that left the process (Graph + Exchange), retries included. */
  httpRequests: number;
  /** Of those, JSON $batch requests. */
  batches: number;
  /** Requests that travelled inside a $batch. */
  batchedItems: number;
  /** Retries of any kind: whole requests (RetryHandler, Exchange) and $batch items. */
  retries: number;
}

export function createStats(): M365Stats {
  return { httpRequests: 0, batches: 0, batchedItems: 0, retries: 0 };
}

export function resetStats(stats: M365Stats): void {
  stats.httpRequests = 0;
  stats.batches = 0;
  stats.batchedItems = 0;
  stats.retries = 0;
}
