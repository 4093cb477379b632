import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from './dispatcher';
import { graphErrorBody } from './http';
import type { SimRequest, SimResponse } from './http';
import type { RequestLog } from './requestLog';

/** The inspection API under /_sim (not part of Graph or Exchange). */
export interface InspectionApi {
  state: () => unknown;
  requests: () => unknown;
  clearRequests: () => void;
  reset: () => void;
}

export interface HttpServerOptions {
  dispatcher: Dispatcher;
  inspection: InspectionApi;
  log: RequestLog;
  latencyMs: number;
  now: () => Date;
}

const maxBodyBytes = 4 * 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class BodyError extends Error {}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyError('Request payload too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(response: ServerResponse, result: SimResponse): void {
  const headers = { ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(result.body);
  headers['content-type'] ??= 'application/json;charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(result.status, headers);
  response.end(payload);
}

function baseUrlOf(request: IncomingMessage): string {
  const address = request.socket.localAddress ?? '127.0.0.1';
  const host =
    request.headers.host ?? `${address.includes(':') ? `[${address}]` : address}:${request.socket.localPort}`;
  return `http://${host}`;
}

/** node:http front end: parses the request, applies latency, and hands Graph/Exchange calls to the dispatcher. */
export function createHttpServer(options: HttpServerOptions): http.Server {
  const { dispatcher, inspection, log, latencyMs, now } = options;

  async function handleInspection(request: IncomingMessage, pathname: string): Promise<SimResponse> {
    const method = request.method ?? 'GET';
    const route = `${method} ${pathname.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_sim/state':
        return { status: 200, body: inspection.state() };
      case 'GET /_sim/requests':
        return { status: 200, body: { value: inspection.requests() } };
      case 'DELETE /_sim/requests':
        inspection.clearRequests();
        return { status: 204 };
      case 'POST /_sim/reset':
        inspection.reset();
        return { status: 204 };
      default:
        return { status: 404, body: { error: { code: 'NotFound', message: `No simulator route ${route}` } } };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_sim/') || url.pathname === '/_sim') {
      const requestId = randomUUID();
      const result = await handleInspection(request, url.pathname);
      // Clearing the log is itself not logged, so "DELETE then list" reads empty.
      if (!(method === 'DELETE' && url.pathname.startsWith('/_sim/requests'))) {
        log.append({
          time: now().toISOString(),
          service: 'sim',
          method,
          path: `${url.pathname}${url.search}`,
          status: result.status,
          requestId,
          write: method !== 'GET',
        });
      }
      send(response, { ...result, headers: { ...result.headers, 'request-id': requestId } });
      return;
    }

    if (latencyMs > 0) await sleep(latencyMs);
    const headers = lowerCaseHeaders(request);
    let body: unknown;
    try {
      body = await readBody(request);
    } catch (error) {
      const requestId = randomUUID();
      const context = {
        requestId,
        clientRequestId: headers['client-request-id'] ?? requestId,
        date: now().toISOString(),
      };
      send(response, {
        status: 400,
        headers: { 'request-id': requestId, 'client-request-id': context.clientRequestId },
        body: graphErrorBody('BadRequest', (error as Error).message, context),
      });
      return;
    }
    const simRequest: SimRequest = {
      method,
      pathname: url.pathname,
      query: url.searchParams,
      search: url.search,
      headers,
      body,
      baseUrl: baseUrlOf(request),
    };
    const result = await dispatcher.dispatch(simRequest);
    send(response, result);
  }

  return http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
      }
      response.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
    });
  });
}

export async function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
