import type { Client } from '@microsoft/microsoft-graph-client';
import { ResponseType, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One Graph request, URL relative to the version root ("/users/{id}?$select=…"), as $batch wants it. */
export interface WireRequest {
  method: HttpMethod;
  url: string;
  body?: unknown;
  /**
   * Leave 429/503/504 to the caller instead of the SDK's RetryHandler: for rate-limited APIs
   * whose retries must go back through the client-side limiter (Identity Protection).
   */
  retryByCaller?: boolean;
}

export interface WireResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
  /** True when the HTTP layer (the SDK's RetryHandler) already retried this answer. */
  retriedByHttpLayer: boolean;
}

/** Sends Graph requests; the batching and the one-request-per-call transports both implement it. */
export interface GraphTransport {
  send(request: WireRequest): Promise<WireResponse>;
}

export function lowerCaseHeaders(
  headers: Headers | Record<string, unknown> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers === undefined) return result;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      result[name.toLowerCase()] = value;
    });
    return result;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') result[name.toLowerCase()] = value;
    else if (typeof value === 'number') result[name.toLowerCase()] = String(value);
  }
  return result;
}

export async function readResponse(response: Response, retriedByHttpLayer: boolean): Promise<WireResponse> {
  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: lowerCaseHeaders(response.headers), body, retriedByHttpLayer };
}

/** One HTTP request per call through the graph client (its RetryHandler handles 429/503/504). */
export class DirectGraphTransport implements GraphTransport {
  constructor(private readonly client: Client) {}

  async send(request: WireRequest): Promise<WireResponse> {
    let graphRequest = this.client.api(request.url).responseType(ResponseType.RAW);
    if (request.body !== undefined) graphRequest = graphRequest.header('Content-Type', 'application/json');
    if (request.retryByCaller) graphRequest = graphRequest.middlewareOptions([new RetryHandlerOptions(0, 0)]);
    let raw: unknown;
    switch (request.method) {
      case 'GET':
        raw = await graphRequest.get();
        break;
      case 'POST':
        raw = await graphRequest.post(request.body);
        break;
      case 'PATCH':
        raw = await graphRequest.patch(request.body);
        break;
      case 'PUT':
        raw = await graphRequest.put(request.body);
        break;
      case 'DELETE':
        raw = await graphRequest.delete();
        break;
    }
    if (!(raw instanceof Response)) throw new Error('graph client returned no raw response');
    return readResponse(raw, request.retryByCaller !== true);
  }
}
