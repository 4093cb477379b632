import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Graph call as it crossed the wire ($batch items are unpacked into their own calls). */
export interface RecordedCall {
  method: string;
  /** Path relative to the Graph version root, with the query string. */
  url: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

function parse(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
}
interface BatchResponse {
  id: string;
  status: number;
  body?: unknown;
}

function unpackBatch(requestBody: unknown, responseBody: unknown): RecordedCall[] {
  const requests = (requestBody as { requests?: BatchRequest[] }).requests ?? [];
  const responses = (responseBody as { responses?: BatchResponse[] } | undefined)?.responses ?? [];
  return requests.map((item) => {
    const answer = responses.find((response) => response.id === item.id);
    return {
      method: item.method,
      url: item.url.startsWith('/') ? item.url : `/${item.url}`,
      requestBody: item.body,
      status: answer?.status ?? 0,
      responseBody: answer?.body,
    };
  });
}

/**
 * A pass-through HTTP proxy in front of the simulated tenant that keeps every Graph v1.0 call with
 * its request and response bodies, so a test sees exactly what the service layer sent and what the
 * simulator answered. Exchange calls pass through unrecorded (Graph metadata does not describe them).
 */
export async function startRecordingProxy(
  target: string,
): Promise<{ url: string; calls: RecordedCall[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          // The Host header stays the proxy's, so the simulator's nextLinks lead back through it.
          headers: incoming.headers,
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            const url = incoming.url ?? '';
            if (url.startsWith('/v1.0/')) {
              const requestBody = parse(body.toString('utf8'));
              const responseBody = parse(answerBody.toString('utf8'));
              const relative = url.slice('/v1.0'.length);
              if (relative.split('?')[0] === '/$batch') calls.push(...unpackBatch(requestBody, responseBody));
              else
                calls.push({
                  method: incoming.method ?? 'GET',
                  url: relative,
                  requestBody,
                  status: answer.statusCode ?? 0,
                  responseBody,
                });
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(answerBody);
          });
        },
      );
      forward.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
