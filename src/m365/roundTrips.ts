/** Which service an HTTP request went to. */
export type RoundTripService = 'graph' | 'exchange';

export interface RoundTrip {
  service: RoundTripService;
  startedAt: number;
  endedAt: number;
}

/**
 * Records when every HTTP request left and when its answer came back, so a run's critical path
 * can be counted in round trips instead of milliseconds (timings are noisy on a shared machine;
 * the number of sequential round trips is what batching and concurrency change).
 */
export class RoundTripRecorder {
  private readonly trips: RoundTrip[] = [];
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** Call when the request leaves; call the returned function when its answer (or failure) arrives. */
  begin(service: RoundTripService): () => void {
    const startedAt = this.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.trips.push({ service, startedAt, endedAt: this.now() });
    };
  }

  get count(): number {
    return this.trips.length;
  }

  list(): RoundTrip[] {
    return this.trips.map((trip) => ({ ...trip }));
  }

  reset(): void {
    this.trips.length = 0;
  }

  /**
   * The longest chain of requests where each started only after the previous one had answered:
   * the number of sequential round trips on the critical path. Requests that overlap in time
   * (one $batch, parallel Exchange calls) count once. With a service filter only those
   * requests are chained (e.g. "Graph round trips, Exchange running beside them").
   */
  criticalPath(service?: RoundTripService): number {
    return criticalPathLength(this.trips.filter((trip) => service === undefined || trip.service === service));
  }
}

/** Longest chain of non-overlapping intervals, each starting at or after the previous one ended. */
export function criticalPathLength(trips: readonly Pick<RoundTrip, 'startedAt' | 'endedAt'>[]): number {
  const byEnd = [...trips].sort((a, b) => a.endedAt - b.endedAt);
  const byStart = [...trips].sort((a, b) => a.startedAt - b.startedAt);
  // depth(r) = 1 + max depth of trips that ended before r started; sweep starts in order.
  const depthOf = new Map<Pick<RoundTrip, 'startedAt' | 'endedAt'>, number>();
  let best = 0;
  let bestEnded = 0;
  let endIndex = 0;
  const pending: Array<Pick<RoundTrip, 'startedAt' | 'endedAt'>> = [];
  for (const trip of byStart) {
    while (endIndex < byEnd.length && byEnd[endIndex]!.endedAt <= trip.startedAt) {
      const ended = byEnd[endIndex]!;
      endIndex += 1;
      pending.push(ended);
    }
    for (const ended of pending.splice(0)) {
      const depth = depthOf.get(ended);
      // Every trip that ended before this start has already started, so its depth is known.
      if (depth !== undefined) bestEnded = Math.max(bestEnded, depth);
    }
    const depth = bestEnded + 1;
    depthOf.set(trip, depth);
    best = Math.max(best, depth);
  }
  return best;
}
