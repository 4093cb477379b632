import type { TokenCredential } from '@azure/identity';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import { createSilentLogger } from '../observability/logger';
import { GraphAuthMethodsClient } from './authMethodsClient';
import { GraphConsentsClient } from './consentsClient';
import { createCredential } from './credentials';
import { InvokeCommandExchangeClient } from './exchangeClient';
import { InvokeCommandTransport } from './exchange/invokeCommand';
import { BatchingGraphTransport } from './graph/batchingTransport';
import { createGraphClient } from './graph/createGraphClient';
import { GraphApi } from './graph/graphApi';
import type { GraphTransport } from './graph/transport';
import { DirectGraphTransport } from './graph/transport';
import { GraphIdentityProtectionClient } from './identityProtectionClient';
import { RequestLimits } from './limits';
import { GraphMailRulesClient } from './mailRulesClient';
import type { RetryOptions } from './retry';
import { DEFAULT_RETRY } from './retry';
import { GraphRolesClient } from './rolesClient';
import { GraphSignInsClient } from './signInsClient';
import type { RoundTripRecorder } from './roundTrips';
import type { M365Stats } from './stats';
import { createStats, resetStats } from './stats';
import type { M365Services } from './types';
import { GraphTeamsAppsClient } from './teamsAppsClient';
import { GraphUsersClient } from './usersClient';

export * from './types';
export { M365Error, isM365Error } from './errors';
export { OPERATIONS, describeOperation, renderPermissionsTable, requiredAccess } from './operations';
export type { OperationInfo, OperationName } from './operations';
export { createCredential, createSimulatorCredential, SIMULATOR_TOKEN } from './credentials';
export type { M365Stats } from './stats';
export { RoundTripRecorder, criticalPathLength } from './roundTrips';
export type { RoundTrip, RoundTripService } from './roundTrips';
export type { RetryOptions } from './retry';

export interface M365ServicesOptions {
  /** https://graph.microsoft.com, or the simulated tenant's URL. */
  graphBaseUrl: string;
  /** https://outlook.office365.com, or the simulated tenant's URL. */
  exchangeBaseUrl: string;
  tenantId: string;
  /** Domain for Exchange's X-AnchorMailbox header (e.g. contoso.onmicrosoft.com); the tenant id when unset. */
  tenantDomain?: string;
  credential: TokenCredential;
  logger?: Logger;
  retry?: Partial<RetryOptions>;
  /** JSON $batch for requests issued together (default true); false sends one HTTP request per call. */
  batching?: boolean;
  /** Extra time to collect a batch; 0 (default) collects what is issued in the same tick. */
  batchWindowInMs?: number;
  /** Most requests in flight at once (1 = the sequential baseline); unlimited when unset. */
  concurrency?: number;
  /** Default 4: Outlook's limit per app per mailbox. */
  maxConcurrentPerMailbox?: number;
  /** Cap on Graph Outlook requests across all mailboxes (see RequestLimitOptions); unset by default. */
  maxConcurrentOutlookRequests?: number;
  /** Default 1000: Identity Protection allows 1 request/s per tenant. */
  identityProtectionMinIntervalInMs?: number;
  /** $top for Graph messageRules pages; Graph's default when unset. */
  messageRulesPageSize?: number;
  /** Random source for back-off jitter (tests pass a fixed one). */
  random?: () => number;
  /** Client-side pacing to a tenant's request budget (see RequestLimitOptions.requestRate); unset by default. */
  requestRate?: { maxRequests: number; windowInMs: number };
  /** Records every HTTP request's start and end, to count critical-path round trips. */
  roundTrips?: RoundTripRecorder;
  /** Window of the tenant-wide sign-in read that serves many users at once (default 24 h). */
  signInsTenantWideWindowInMs?: number;
}

/** The clients plus round-trip counters (benchmarks compare batched and sequential runs). */
export interface M365ServiceLayer extends M365Services {
  readonly stats: Readonly<M365Stats>;
  resetStats(): void;
  /** Highest number of concurrent requests seen on any one mailbox. */
  readonly peakMailboxConcurrency: number;
}

export function createM365Services(options: M365ServicesOptions): M365ServiceLayer {
  const logger = options.logger ?? createSilentLogger();
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const stats = createStats();
  const limits = new RequestLimits({
    maxConcurrentPerMailbox: options.maxConcurrentPerMailbox,
    identityProtectionMinIntervalInMs: options.identityProtectionMinIntervalInMs,
    maxConcurrentRequests: options.concurrency,
    maxConcurrentOutlookRequests: options.maxConcurrentOutlookRequests,
    requestRate: options.requestRate,
  });

  const graphClient = createGraphClient({
    graphBaseUrl: options.graphBaseUrl,
    credential: options.credential,
    retry,
    stats,
    ...(options.roundTrips ? { roundTrips: options.roundTrips } : {}),
  });
  const direct = new DirectGraphTransport(graphClient);
  const transport: GraphTransport =
    options.batching === false
      ? direct
      : new BatchingGraphTransport(direct, stats, { batchWindowInMs: options.batchWindowInMs });
  const api = new GraphApi({
    transport,
    limits,
    stats,
    retry,
    graphBaseUrl: options.graphBaseUrl,
    logger,
    random: options.random,
  });
  const exchangeTransport = new InvokeCommandTransport({
    exchangeBaseUrl: options.exchangeBaseUrl,
    tenantId: options.tenantId,
    tenantDomain: options.tenantDomain ?? options.tenantId,
    credential: options.credential,
    retry,
    stats,
    limits,
    logger,
    random: options.random,
    ...(options.roundTrips ? { roundTrips: options.roundTrips } : {}),
  });

  return {
    users: new GraphUsersClient(api, options.graphBaseUrl),
    authMethods: new GraphAuthMethodsClient(api),
    mailRules: new GraphMailRulesClient(api, { pageSize: options.messageRulesPageSize }),
    roles: new GraphRolesClient(api),
    consents: new GraphConsentsClient(api),
    identityProtection: new GraphIdentityProtectionClient(api),
    signIns: new GraphSignInsClient(api, {
      ...(options.signInsTenantWideWindowInMs !== undefined
        ? { tenantWideWindowInMs: options.signInsTenantWideWindowInMs }
        : {}),
    }),
    exchange: new InvokeCommandExchangeClient(exchangeTransport),
    teamsApps: new GraphTeamsAppsClient(api, options.graphBaseUrl),
    stats,
    resetStats: () => resetStats(stats),
    get peakMailboxConcurrency() {
      return limits.mailboxes.peakConcurrency;
    },
  };
}

/**
 * Services for the configured tenant. In simulated mode pass the running simulator's URLs and
 * tenant id as overrides (its port is only known once it listens).
 */
export function createM365ServicesFromConfig(
  config: AppConfig,
  overrides: Partial<M365ServicesOptions> = {},
): M365ServiceLayer {
  const tenantId = overrides.tenantId ?? config.tenant.tenantId;
  if (!tenantId) throw new Error('A tenant id is required (M365_TENANT_ID, or the simulated tenant id).');
  return createM365Services({
    graphBaseUrl: config.tenant.graphBaseUrl,
    exchangeBaseUrl: config.tenant.exchangeBaseUrl,
    tenantDomain: config.tenant.tenantDomain,
    credential: overrides.credential ?? createCredential(config.tenant),
    ...overrides,
    tenantId,
  });
}
