import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  errorFromResponse,
  errorFromTransportFailure,
  errorFromUnexpectedShape,
  isM365Error,
  readServiceError,
} from '../errors';
import type { RequestLimits } from '../limits';
import type { OperationName } from '../operations';
import type { RetryOptions } from '../retry';
import { isRetryableStatus, retryDelayInMs, sleep } from '../retry';
import type { M365Stats } from '../stats';
import { TOKEN_ACQUISITION_FAILED } from './middleware';
import type { GraphTransport, HttpMethod, WireResponse } from './transport';

export interface GraphCall {
  operation: OperationName;
  method: HttpMethod;
  /** Relative to the version root, path segments already encoded. */
  url: string;
  body?: unknown;
  /** Outlook resources: the mailbox this request touches (≤ 4 concurrent per mailbox). */
  mailbox?: string;
  /** Identity Protection: ≤ 1 request per second per tenant. */
  identityProtection?: boolean;
  /** Sign-in log: ≤ 5 requests per 10 s. */
  signInLog?: boolean;
}

export interface GraphResult<T = unknown> {
  status: number;
  body: T;
  requestId: string;
}

export interface GraphApiDependencies {
  transport: GraphTransport;
  limits: RequestLimits;
  stats: M365Stats;
  retry: RetryOptions;
  graphBaseUrl: string;
  logger: Logger;
  random?: () => number;
}

/**
 * What every client uses to talk to Graph: applies the client-side limits, retries $batch items
 * that came back 429/503/504, maps failures to M365Error and validates answers with zod.
 */
export class GraphApi {
  private readonly versionRoot: string;

  constructor(private readonly deps: GraphApiDependencies) {
    this.versionRoot = `${deps.graphBaseUrl.replace(/\/+$/, '')}/v1.0`;
  }

  async call(call: GraphCall): Promise<GraphResult> {
    const { limits, retry, stats, logger } = this.deps;
    for (let attempt = 0; ; attempt += 1) {
      const started = Date.now();
      let response: WireResponse;
      try {
        response = await limits.run({ ...call, outlook: call.mailbox !== undefined }, () =>
          this.deps.transport.send({
            method: call.method,
            url: call.url,
            body: call.body,
            retryByCaller: call.identityProtection === true,
          }),
        );
      } catch (error) {
        if (isM365Error(error)) throw error;
        if ((error as { code?: unknown } | null)?.code === TOKEN_ACQUISITION_FAILED) {
          // The identity platform's message (AADSTS code) says what is wrong; it never holds the secret.
          throw errorFromResponse(call.operation, {
            status: 401,
            serviceMessage: error instanceof Error ? error.message : undefined,
          });
        }
        throw errorFromTransportFailure(call.operation, error);
      }
      const requestId = response.headers['request-id'] ?? response.headers['x-ms-request-id'] ?? '';
      logger.debug(
        {
          operation: call.operation,
          method: call.method,
          status: response.status,
          requestId,
          attempt,
          ms: Date.now() - started,
        },
        'graph call',
      );
      if (isRetryableStatus(response.status) && !response.retriedByHttpLayer && attempt < retry.maxRetries) {
        stats.retries += 1;
        await sleep(
          retryDelayInMs(response.headers['retry-after'], attempt, retry.baseDelayInMs, this.deps.random),
        );
        continue;
      }
      if (response.status >= 400) {
        const serviceError = readServiceError(response.body);
        throw errorFromResponse(call.operation, {
          status: response.status,
          requestId: requestId || serviceError.requestId,
          serviceCode: serviceError.code,
          serviceMessage: serviceError.message,
        });
      }
      return { status: response.status, body: response.body, requestId };
    }
  }

  /** A call whose answer body must match the schema. */
  async read<S extends z.ZodType>(call: GraphCall, schema: S): Promise<GraphResult<z.output<S>>> {
    const result = await this.call(call);
    return { ...result, body: this.parse(call.operation, schema, result.body, result.requestId) };
  }

  /** GET a collection and follow @odata.nextLink to the end. */
  async listAll<S extends z.ZodType>(call: GraphCall, itemSchema: S): Promise<Array<z.output<S>>> {
    const items: Array<z.output<S>> = [];
    let url: string | undefined = call.url;
    while (url !== undefined) {
      const result = await this.call({ ...call, url });
      const page = this.parsePage(call.operation, result);
      for (const raw of page.value) items.push(this.parse(call.operation, itemSchema, raw, result.requestId));
      url = page.nextLink === undefined ? undefined : this.toRelativeUrl(call.operation, page.nextLink);
    }
    return items;
  }

  /**
   * nextLinks are absolute; $batch and the SDK's path parser want them relative. Only links back
   * to our own Graph origin are followed, so a token never goes to another host.
   */
  toRelativeUrl(operation: OperationName, nextLink: string): string {
    if (nextLink.startsWith(this.versionRoot + '/')) return nextLink.slice(this.versionRoot.length);
    let parsed: URL;
    try {
      parsed = new URL(nextLink);
    } catch {
      throw errorFromUnexpectedShape(operation, undefined, 'malformed @odata.nextLink');
    }
    const root = new URL(this.versionRoot);
    if (parsed.origin === root.origin && parsed.pathname.startsWith(root.pathname + '/')) {
      return parsed.pathname.slice(root.pathname.length) + parsed.search;
    }
    throw errorFromUnexpectedShape(operation, undefined, '@odata.nextLink points to another host');
  }

  private parsePage(operation: OperationName, result: GraphResult): { value: unknown[]; nextLink?: string } {
    const body = result.body;
    if (typeof body !== 'object' || body === null) {
      throw errorFromUnexpectedShape(operation, result.requestId, 'collection body missing');
    }
    const record = body as Record<string, unknown>;
    const value = record.value;
    const nextLink = record['@odata.nextLink'];
    if (!Array.isArray(value))
      throw errorFromUnexpectedShape(operation, result.requestId, '"value" is not an array');
    return { value, nextLink: typeof nextLink === 'string' ? nextLink : undefined };
  }

  private parse<S extends z.ZodType>(
    operation: OperationName,
    schema: S,
    body: unknown,
    requestId: string,
  ): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
    throw errorFromUnexpectedShape(operation, requestId, where);
  }
}
