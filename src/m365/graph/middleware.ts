import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { RoundTripRecorder } from '../roundTrips';
import type { M365Stats } from '../stats';

function requestUrl(context: Context): string {
  const { request } = context;
  return typeof request === 'string' ? request : request.url;
}

function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
  } else if (Array.isArray(headers)) {
    options.headers = [
      ...headers.filter(([key]) => key?.toLowerCase() !== name.toLowerCase()),
      [name, value],
    ];
  } else {
    options.headers = { ...(headers ?? {}), [name]: value };
  }
}

/** Error name the SDK keeps as GraphError.code, so callers can tell a token failure from a network one. */
export const TOKEN_ACQUISITION_FAILED = 'TokenAcquisitionFailed';

/**
 * Attaches the bearer token to requests for the configured Graph origin only. It replaces the
 * SDK's AuthenticationHandler, whose host check (isGraphURL/isCustomHost) only recognises
 * https:// URLs, so it never sends a token to a plain-http simulated tenant on loopback even
 * with customHosts set. Matching the exact origin keeps the SDK's safety property: a token is
 * never sent anywhere else (e.g. to a foreign @odata.nextLink host).
 */
export class BearerTokenHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly authProvider: AuthenticationProvider,
    private readonly allowedOrigin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    if (new URL(requestUrl(context)).origin === this.allowedOrigin) {
      let token: string;
      try {
        token = await this.authProvider.getAccessToken();
      } catch (error) {
        const failure = new Error(error instanceof Error ? error.message : 'could not get a token');
        failure.name = TOKEN_ACQUISITION_FAILED;
        throw failure;
      }
      setHeader(context, 'Authorization', `Bearer ${token}`);
    }
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Counts every HTTP request that actually leaves the process (sits below the RetryHandler). */
export class RequestCountingHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly stats: M365Stats,
    private readonly roundTrips?: RoundTripRecorder,
  ) {}

  async execute(context: Context): Promise<void> {
    this.stats.httpRequests += 1;
    const ended = this.roundTrips?.begin('graph');
    try {
      await this.next?.execute(context);
    } finally {
      ended?.();
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
