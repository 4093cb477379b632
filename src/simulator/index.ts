import type http from 'node:http';
import { Dispatcher } from './dispatcher';
import { FaultInjector } from './faults';
import { defaultFixturePath, loadFixtureFile, parseFixture } from './fixture';
import type { Fixture, FixtureInput, TenantState } from './fixture';
import { RequestLog } from './requestLog';
import type { RequestLogEntry } from './requestLog';
import { allRoutes } from './routes';
import { createHttpServer, listen } from './server';
import { defaultThrottlingOptions, Throttler } from './throttling';
import type { ThrottlingOptions } from './throttling';

export type { Fixture, FixtureInput, TenantState } from './fixture';
export type { RequestLogEntry } from './requestLog';
export type { ThrottlingOptions } from './throttling';
export {
  FixtureError,
  defaultFixturePath,
  fixtureJsonSchema,
  loadFixtureFile,
  parseFixture,
} from './fixture';

export interface SimulatedTenantOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * A fixture object (validated like a file: parsed JSON is fine) or a path to a fixture JSON
   * file; default src/simulator/fixtures/contoso.json.
   */
  fixture?: FixtureInput | Fixture | Record<string, unknown> | string;
  /** Added to every HTTP request (a $batch is one request). */
  latencyMs?: number;
  /** Share (0..1) of requests answered with 429/503/504. */
  faultRate?: number;
  /** Seed of the fault PRNG; same seed and request order → same faults. Default 1. */
  seed?: number;
  /** Throttling emulation: on by default; false turns it off; an object tunes it. */
  throttling?: boolean | Partial<ThrottlingOptions>;
}

export interface SimulatedTenant {
  url: string;
  graphBaseUrl: string;
  exchangeBaseUrl: string;
  tenantId: string;
  port: number;
  /** Deep copy of the current state (same shape as the fixture). */
  state(): TenantState;
  requestLog(): RequestLogEntry[];
  resetLog(): void;
  /** State back to the fixture as loaded; throttling counters and the fault PRNG restart too. */
  reset(): void;
  close(): Promise<void>;
}

function resolveFixture(fixture: SimulatedTenantOptions['fixture']): Fixture {
  if (fixture === undefined) return loadFixtureFile(defaultFixturePath);
  if (typeof fixture === 'string') return loadFixtureFile(fixture);
  return parseFixture(fixture);
}

function resolveThrottling(throttling: SimulatedTenantOptions['throttling']): ThrottlingOptions | null {
  if (throttling === false) return null;
  if (throttling === undefined || throttling === true) return { ...defaultThrottlingOptions };
  return { ...defaultThrottlingOptions, ...throttling };
}

export async function startSimulatedTenant(options: SimulatedTenantOptions = {}): Promise<SimulatedTenant> {
  const fixture = resolveFixture(options.fixture);
  // Tokens are secrets: they stay out of the state that /_sim/state and state() expose.
  const acceptedTokens = fixture.app.acceptedTokens;
  delete fixture.app.acceptedTokens;
  const store = { state: structuredClone(fixture) };
  const now = (): Date => new Date();
  const log = new RequestLog();
  const throttler = new Throttler(resolveThrottling(options.throttling));
  const faults = new FaultInjector(options.faultRate ?? 0, options.seed ?? 1);
  const dispatcher = new Dispatcher({
    routes: allRoutes,
    store,
    throttler,
    faults,
    log,
    now,
    acceptedTokens,
  });

  const reset = (): void => {
    store.state = structuredClone(fixture);
    throttler.reset();
    faults.reset();
  };
  const server: http.Server = createHttpServer({
    dispatcher,
    log,
    now,
    latencyMs: options.latencyMs ?? 0,
    inspection: {
      state: () => store.state,
      requests: () => log.list(),
      clearRequests: () => log.clear(),
      reset,
    },
  });
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url,
    graphBaseUrl: url,
    exchangeBaseUrl: url,
    tenantId: fixture.tenant.id,
    port: address.port,
    state: () => structuredClone(store.state),
    requestLog: () => log.list(),
    resetLog: () => log.clear(),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
