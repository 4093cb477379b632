import type { TenantState } from './fixture';

/** One request as the simulator routes it: an HTTP request, or one item of a JSON $batch. */
export interface SimRequest {
  method: string;
  /** Path without the query, e.g. /v1.0/users/x. */
  pathname: string;
  query: URLSearchParams;
  /** The query string as received, with its leading "?" (or ""), for the request log. */
  search: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** http://127.0.0.1:port, used for @odata.context and absolute @odata.nextLink URLs. */
  baseUrl: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; undefined for 204 and friends. */
  body?: unknown;
}

export type Service = 'graph' | 'exchange' | 'sim';

/**
 * Thrown by route handlers; the dispatcher renders it in the service's error shape
 * (OData error for Graph, Exchange's error shape for InvokeCommand).
 */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Exchange only: the .NET exception type the error detail names. */
    readonly exceptionType?: string,
  ) {
    super(message);
  }
}

export interface ErrorContext {
  requestId: string;
  clientRequestId: string;
  date: string;
}

export function graphErrorBody(code: string, message: string, context: ErrorContext): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: context.date,
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId,
      },
    },
  };
}

/**
 * The Exchange admin API reports cmdlet failures with an OData error whose detail
 * message carries "<id>|<exception type>|<text>" like PowerShell's error records.
 * The exact codes are the simulator's choice (the endpoint is undocumented).
 */
export function exchangeErrorBody(
  code: string,
  message: string,
  exceptionType: string | undefined,
  context: ErrorContext,
): unknown {
  return {
    error: {
      code,
      message,
      details: [
        {
          code: 'Context',
          target: '',
          message: `Ex${context.requestId.slice(0, 6).toUpperCase()}|${exceptionType ?? `Microsoft.Exchange.${code}`}|${message}`,
        },
      ],
      innerError: {
        date: context.date,
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId,
      },
    },
  };
}

export const notFoundError = (resource: string): SimHttpError =>
  new SimHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${resource}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string, code = 'Request_BadRequest'): SimHttpError =>
  new SimHttpError(400, code, message);

export const insufficientPrivileges = (): SimHttpError =>
  new SimHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** Everything a route handler sees. */
export interface RouteContext {
  request: SimRequest;
  /** The request-id this request is answered with. */
  requestId: string;
  params: Record<string, string>;
  state: TenantState;
  now: () => Date;
  /** Runs one $batch item through the full pipeline (auth already checked by the envelope). */
  dispatchBatchItem: (item: SimRequest, batchId: string) => Promise<SimResponse & { requestId: string }>;
}

export type ThrottleClass =
  | { kind: 'outlook'; mailbox: (context: RouteContext) => string }
  | { kind: 'identityProtection' }
  | { kind: 'budget' }
  | { kind: 'none' };

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** find-my-way path, e.g. /v1.0/users/:userId */
  path: string;
  service: Service;
  /** Application permissions the route needs (all of them); checked against app.withheldPermissions. */
  permissions: string[] | ((context: RouteContext) => string[]);
  throttle: ThrottleClass;
  /** Whether the request changes state (for the request log); defaults to method !== GET. */
  write?: (context: RouteContext) => boolean;
  /** Exchange cmdlet name, for the request log. */
  cmdlet?: (context: RouteContext) => string | undefined;
  handler: (context: RouteContext) => SimResponse | Promise<SimResponse>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  body,
  headers,
});

export const noContent = (): SimResponse => ({ status: 204 });

/** Reads a JSON object body or answers 400. */
export function objectBody(request: SimRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('Empty Payload. JSON content expected.', 'BadRequest');
  }
  return body as Record<string, unknown>;
}
