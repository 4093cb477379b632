import DataLoader from 'dataloader';
import { z } from 'zod';
import type { M365Stats } from '../stats';
import type { GraphTransport, WireRequest, WireResponse } from './transport';
import { lowerCaseHeaders } from './transport';

/** Graph accepts at most 20 requests in one JSON batch. */
export const MAX_BATCH_SIZE = 20;

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.unknown()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

export interface BatchingOptions {
  maxBatchSize?: number;
  /**
   * How long to collect requests before sending. 0 (default) collects everything issued in the
   * same tick, including promise chains that are already running, and adds no latency.
   */
  batchWindowInMs?: number;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Collects the requests issued in the same tick (DataLoader) and sends them as one JSON $batch
 * (≤ 20). A lone request goes out as itself: a one-item batch only adds overhead. Items answer
 * independently; their 429/503/504 come back as item responses for GraphApi to retry one by
 * one, since the SDK's RetryHandler only sees the outer 200.
 */
export class BatchingGraphTransport implements GraphTransport {
  private readonly loader: DataLoader<WireRequest, WireResponse>;

  constructor(
    private readonly direct: GraphTransport,
    private readonly stats: M365Stats,
    options: BatchingOptions = {},
  ) {
    const windowInMs = options.batchWindowInMs ?? 0;
    this.loader = new DataLoader((requests) => this.dispatch(requests), {
      cache: false,
      maxBatchSize: Math.min(options.maxBatchSize ?? MAX_BATCH_SIZE, MAX_BATCH_SIZE),
      batchScheduleFn:
        windowInMs > 0 ? (send) => void setTimeout(send, windowInMs) : (send) => void setImmediate(send),
    });
  }

  send(request: WireRequest): Promise<WireResponse> {
    return this.loader.load(request);
  }

  private async dispatch(requests: readonly WireRequest[]): Promise<Array<WireResponse | Error>> {
    const [only] = requests;
    if (requests.length === 1 && only !== undefined) {
      try {
        return [await this.direct.send(only)];
      } catch (error) {
        return [asError(error)];
      }
    }

    this.stats.batches += 1;
    this.stats.batchedItems += requests.length;
    const batchBody = {
      requests: requests.map((request, index) => ({
        id: String(index + 1),
        method: request.method,
        url: request.url,
        ...(request.body !== undefined
          ? { headers: { 'Content-Type': 'application/json' }, body: request.body }
          : {}),
      })),
    };

    let outer: WireResponse;
    try {
      outer = await this.direct.send({ method: 'POST', url: '/$batch', body: batchBody });
    } catch (error) {
      return requests.map(() => asError(error));
    }
    // The batch itself failed (throttled as a whole, auth, outage): every item shares that answer.
    if (outer.status !== 200) return requests.map(() => outer);

    const parsed = batchResponseSchema.safeParse(outer.body);
    if (!parsed.success) {
      return requests.map(() => new Error('Graph answered $batch with an unexpected shape'));
    }
    const byId = new Map(parsed.data.responses.map((item) => [item.id, item]));
    const batchRequestId = outer.headers['request-id'];
    return requests.map((_, index) => {
      const item = byId.get(String(index + 1));
      if (item === undefined) return new Error(`Graph's $batch answer lacks item ${index + 1}`);
      const headers = lowerCaseHeaders(item.headers);
      // Items often carry no request-id of their own; the batch's id is the one support can trace.
      if (headers['request-id'] === undefined && batchRequestId !== undefined) {
        headers['request-id'] = batchRequestId;
      }
      return { status: item.status, headers, body: item.body, retriedByHttpLayer: false };
    });
  }
}
