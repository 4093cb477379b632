import { describe, expect, it } from 'vitest';
import { BatchingGraphTransport } from '../../src/m365/graph/batchingTransport';
import { GraphApi } from '../../src/m365/graph/graphApi';
import type { GraphTransport, WireRequest, WireResponse } from '../../src/m365/graph/transport';
import { RequestLimits } from '../../src/m365/limits';
import { createStats } from '../../src/m365/stats';
import { createSilentLogger } from '../../src/observability/logger';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
}

/** A fake Graph that records every HTTP request and answers $batch items through `answer`. */
class RecordingGraph implements GraphTransport {
  readonly requests: WireRequest[] = [];

  constructor(
    private readonly answer: (
      item: BatchItem,
      attempt: number,
    ) => { status: number; headers?: Record<string, string>; body?: unknown },
  ) {}

  private readonly attempts = new Map<string, number>();

  async send(request: WireRequest): Promise<WireResponse> {
    this.requests.push(request);
    const items: BatchItem[] =
      request.url === '/$batch'
        ? (request.body as { requests: BatchItem[] }).requests
        : [{ id: 'direct', ...request }];
    const answers = items.map((item) => {
      const key = `${item.method} ${item.url}`;
      const attempt = this.attempts.get(key) ?? 0;
      this.attempts.set(key, attempt + 1);
      return { id: item.id, ...this.answer(item, attempt) };
    });
    if (request.url !== '/$batch') {
      const [only] = answers;
      return {
        status: only!.status,
        headers: only!.headers ?? {},
        body: only!.body,
        retriedByHttpLayer: true,
      };
    }
    // Graph may answer batch items in any order.
    return {
      status: 200,
      headers: { 'request-id': 'batch-request-id' },
      body: { responses: [...answers].reverse() },
      retriedByHttpLayer: true,
    };
  }

  get batches(): BatchItem[][] {
    return this.requests
      .filter((request) => request.url === '/$batch')
      .map((request) => (request.body as { requests: BatchItem[] }).requests);
  }
}

function setup(graph: RecordingGraph, maxRetries = 3) {
  const stats = createStats();
  const transport = new BatchingGraphTransport(graph, stats);
  const api = new GraphApi({
    transport,
    limits: new RequestLimits(),
    stats,
    retry: { maxRetries, baseDelayInMs: 1 },
    graphBaseUrl: 'https://graph.microsoft.com',
    logger: createSilentLogger(),
  });
  return { api, stats };
}

const ok = (item: BatchItem) => ({ status: 200, body: { url: item.url } });

describe('BatchingGraphTransport with GraphApi', () => {
  it('sends requests issued in the same tick as one $batch and gives each caller its own answer', async () => {
    const graph = new RecordingGraph(ok);
    const { api, stats } = setup(graph);
    const urls = ['/users/a', '/users/b', '/users/c'];
    const results = await Promise.all(
      urls.map((url) => api.call({ operation: 'users.getUser', method: 'GET', url })),
    );
    expect(graph.requests).toHaveLength(1);
    expect(graph.batches[0]?.map((item) => item.url)).toEqual(urls);
    expect(results.map((result) => (result.body as { url: string }).url)).toEqual(urls);
    expect(results[0]?.requestId).toBe('batch-request-id');
    expect(stats).toMatchObject({ batches: 1, batchedItems: 3 });
  });

  it('sends a lone request as itself, not as a one-item batch', async () => {
    const graph = new RecordingGraph(ok);
    const { api, stats } = setup(graph);
    await api.call({ operation: 'users.getUser', method: 'GET', url: '/users/a' });
    expect(graph.requests.map((request) => request.url)).toEqual(['/users/a']);
    expect(stats.batches).toBe(0);
  });

  it('splits more than 20 requests into batches of at most 20', async () => {
    const graph = new RecordingGraph(ok);
    const { api } = setup(graph);
    await Promise.all(
      Array.from({ length: 45 }, (_, index) =>
        api.call({ operation: 'users.getUser', method: 'GET', url: `/users/${index}` }),
      ),
    );
    expect(graph.batches.map((batch) => batch.length)).toEqual([20, 20, 5]);
  });

  it('sends JSON bodies with a Content-Type inside the batch', async () => {
    const graph = new RecordingGraph(() => ({ status: 204 }));
    const { api } = setup(graph);
    await Promise.all([
      api.call({
        operation: 'users.setAccountEnabled',
        method: 'PATCH',
        url: '/users/a',
        body: { accountEnabled: false },
      }),
      api.call({
        operation: 'users.revokeSignInSessions',
        method: 'POST',
        url: '/users/a/revokeSignInSessions',
      }),
    ]);
    const [patch, post] = graph.batches[0] ?? [];
    expect(patch).toMatchObject({
      body: { accountEnabled: false },
      headers: { 'Content-Type': 'application/json' },
    });
    expect(post).not.toHaveProperty('body');
  });

  it('retries only the items that came back 429, honouring Retry-After', async () => {
    const graph = new RecordingGraph((item, attempt) =>
      item.url === '/users/b' && attempt === 0
        ? {
            status: 429,
            headers: { 'Retry-After': '0' },
            body: { error: { code: 'TooManyRequests', message: 'slow down' } },
          }
        : ok(item),
    );
    const { api, stats } = setup(graph);
    const results = await Promise.all(
      ['/users/a', '/users/b', '/users/c'].map((url) =>
        api.call({ operation: 'users.getUser', method: 'GET', url }),
      ),
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(stats.retries).toBe(1);
    // The retry went out on its own, the other two were answered by the first batch.
    expect(graph.requests.map((request) => request.url)).toEqual(['/$batch', '/users/b']);
  });

  it('gives up after maxRetries with a Throttled error', async () => {
    const graph = new RecordingGraph((item) =>
      item.url === '/users/b'
        ? { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'down' } } }
        : ok(item),
    );
    const { api } = setup(graph, 2);
    const [first, second] = await Promise.allSettled(
      ['/users/a', '/users/b'].map((url) => api.call({ operation: 'users.getUser', method: 'GET', url })),
    );
    expect(first?.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'ServiceUnavailable', status: 503 } });
  });

  it('does not retry again what the HTTP layer already retried', async () => {
    const graph = new RecordingGraph(() => ({ status: 429, body: {} }));
    const { api, stats } = setup(graph);
    await expect(
      api.call({ operation: 'users.getUser', method: 'GET', url: '/users/a' }),
    ).rejects.toMatchObject({
      code: 'Throttled',
    });
    expect(graph.requests).toHaveLength(1);
    expect(stats.retries).toBe(0);
  });
});

describe('GraphApi paging', () => {
  it('follows @odata.nextLink back to its own origin only', () => {
    const { api } = setup(new RecordingGraph(ok));
    expect(
      api.toRelativeUrl(
        'mailRules.listInboxRules',
        'https://graph.microsoft.com/v1.0/users/a/x?$skiptoken=2',
      ),
    ).toBe('/users/a/x?$skiptoken=2');
    expect(() => api.toRelativeUrl('mailRules.listInboxRules', 'https://evil.example/v1.0/users/a')).toThrow(
      /another host/,
    );
  });

  it('collects every page', async () => {
    const graph = new RecordingGraph((item) => {
      const page = Number(new URL(item.url, 'https://x').searchParams.get('page') ?? '1');
      return {
        status: 200,
        body: {
          value: [{ n: page }],
          ...(page < 3
            ? { '@odata.nextLink': `https://graph.microsoft.com/v1.0/things?page=${page + 1}` }
            : {}),
        },
      };
    });
    const { api } = setup(graph);
    const { z } = await import('zod');
    const items = await api.listAll(
      { operation: 'mailRules.listInboxRules', method: 'GET', url: '/things' },
      z.object({ n: z.number() }),
    );
    expect(items.map((item) => item.n)).toEqual([1, 2, 3]);
  });
});
