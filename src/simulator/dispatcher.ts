import { randomUUID } from 'node:crypto';
import FindMyWay from 'find-my-way';
import type { HTTPMethod } from 'find-my-way';
import type { FaultInjector } from './faults';
import type { TenantState } from './fixture';
import { exchangeErrorBody, graphErrorBody, insufficientPrivileges, SimHttpError } from './http';
import type { ErrorContext, RouteContext, RouteDef, Service, SimRequest, SimResponse } from './http';
import type { RequestLog } from './requestLog';
import type { ThrottleRequest, Throttler } from './throttling';

export interface TenantStore {
  readonly state: TenantState;
}

export interface DispatcherDeps {
  routes: RouteDef[];
  store: TenantStore;
  throttler: Throttler;
  faults: FaultInjector;
  log: RequestLog;
  now: () => Date;
  /** Bearer tokens accepted (fixture app.acceptedTokens); undefined accepts any. Kept out of state. */
  acceptedTokens?: readonly string[];
}

export interface DispatchOptions {
  /** Set for $batch items: they inherit the envelope's authentication. */
  batchId?: string;
}

export type DispatchResult = SimResponse & { requestId: string };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function serviceOf(pathname: string): Service {
  if (pathname.toLowerCase().startsWith('/adminapi/')) return 'exchange';
  return 'graph';
}

/**
 * The request pipeline shared by HTTP requests and $batch items:
 * route → authentication → injected faults → throttling → permissions → handler → request log.
 */
export class Dispatcher {
  private readonly router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
  /** find-my-way hands back the `store` given at registration; each route's store is a unique key. */
  private readonly routeByStore = new Map<unknown, RouteDef>();

  constructor(private readonly deps: DispatcherDeps) {
    for (const route of deps.routes) {
      const store = { path: route.path };
      this.routeByStore.set(store, route);
      this.router.on(route.method, route.path, () => undefined, store);
    }
  }

  async dispatch(request: SimRequest, options: DispatchOptions = {}): Promise<DispatchResult> {
    const requestId = randomUUID();
    const errorContext: ErrorContext = {
      requestId,
      clientRequestId: request.headers['client-request-id'] ?? requestId,
      date: this.deps
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
    const match = this.router.find(request.method.toUpperCase() as HTTPMethod, request.pathname);
    const store: unknown = match?.store;
    const route = this.routeByStore.get(store);
    const service = route?.service ?? serviceOf(request.pathname);
    const context: RouteContext = {
      request,
      requestId,
      params: Object.fromEntries(
        Object.entries(match?.params ?? {}).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      ),
      state: this.deps.store.state,
      now: this.deps.now,
      dispatchBatchItem: (item, batchId) => this.dispatch(item, { batchId }),
    };

    let response: SimResponse;
    let cmdlet: string | undefined;
    let write = request.method.toUpperCase() !== 'GET';
    try {
      if (route !== undefined) {
        cmdlet = safely(() => route.cmdlet?.(context));
        write = route.write ? (safely(() => route.write?.(context)) ?? write) : write;
      }
      response = await this.run(route, context, options);
    } catch (error) {
      response = this.renderError(error, service, errorContext);
    }

    const headers: Record<string, string> = {
      ...(response.body === undefined
        ? {}
        : { 'content-type': 'application/json;odata.metadata=minimal;charset=utf-8' }),
      ...response.headers,
      'request-id': requestId,
      'client-request-id': errorContext.clientRequestId,
    };
    this.deps.log.append({
      time: this.deps.now().toISOString(),
      service,
      method: request.method.toUpperCase(),
      path: `${request.pathname}${readableQuery(request.search)}`,
      status: response.status,
      requestId,
      write,
      ...(cmdlet === undefined ? {} : { cmdlet }),
      ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
    });
    return { ...response, headers, requestId };
  }

  private async run(
    route: RouteDef | undefined,
    context: RouteContext,
    options: DispatchOptions,
  ): Promise<SimResponse> {
    const { request, state } = context;
    if (options.batchId === undefined) this.authenticate(request);
    if (route === undefined) {
      const segment =
        request.pathname
          .split('/')
          .filter((part) => part !== '')
          .pop() ?? '';
      throw new SimHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    }
    const fault = this.deps.faults.next();
    if (fault) {
      throw new SimHttpError(
        fault.status,
        fault.code,
        fault.message,
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    const decision = this.deps.throttler.admit(this.throttleRequest(route, context));
    if (!decision.allowed) {
      throw new SimHttpError(
        429,
        decision.code,
        decision.message,
        decision.retryAfterSeconds === undefined ? {} : { 'retry-after': String(decision.retryAfterSeconds) },
      );
    }
    try {
      if (decision.holdMs > 0) await sleep(decision.holdMs);
      const needed = typeof route.permissions === 'function' ? route.permissions(context) : route.permissions;
      const withheld = new Set(state.app.withheldPermissions.map((name) => name.toLowerCase()));
      if (needed.some((permission) => withheld.has(permission.toLowerCase()))) throw insufficientPrivileges();
      return await route.handler(context);
    } finally {
      decision.release();
    }
  }

  private throttleRequest(route: RouteDef, context: RouteContext): ThrottleRequest {
    switch (route.throttle.kind) {
      case 'outlook':
        return { kind: 'outlook', mailbox: route.throttle.mailbox(context) };
      case 'identityProtection':
        return { kind: 'identityProtection' };
      case 'budget':
        return { kind: 'budget' };
      default:
        return { kind: 'none' };
    }
  }

  private authenticate(request: SimRequest): void {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1];
    const accepted = this.deps.acceptedTokens;
    if (token === undefined) {
      throw new SimHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    if (accepted !== undefined && !accepted.includes(token)) {
      throw new SimHttpError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
      );
    }
  }

  private renderError(error: unknown, service: Service, context: ErrorContext): SimResponse {
    if (error instanceof SimHttpError) {
      return {
        status: error.status,
        headers: error.headers,
        body:
          service === 'exchange' && error.status !== 401 && error.status !== 429 && error.status < 500
            ? exchangeErrorBody(error.code, error.message, error.exceptionType, context)
            : graphErrorBody(error.code, error.message, context),
      };
    }
    // An unexpected failure is the simulator's own bug: say so plainly instead of hiding it.
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 500,
      body: graphErrorBody('InternalServerError', `Simulator error: ${message}`, context),
    };
  }
}

function safely<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

/** The log shows queries decoded ("$filter=principalId eq '…'") so they read like the docs. */
function readableQuery(search: string): string {
  try {
    return decodeURIComponent(search.replace(/\+/g, ' '));
  } catch {
    return search;
  }
}
