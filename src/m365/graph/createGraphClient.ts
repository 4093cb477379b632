import type { TokenCredential } from '@azure/identity';
import {
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { RetryOptions } from '../retry';
import type { RoundTripRecorder } from '../roundTrips';
import type { M365Stats } from '../stats';
import { BearerTokenHandler, RequestCountingHandler } from './middleware';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com or the simulated tenant's URL. */
  graphBaseUrl: string;
  credential: TokenCredential;
  retry: RetryOptions;
  stats: M365Stats;
  /** Records each HTTP request's start and end (critical-path counting). */
  roundTrips?: RoundTripRecorder;
}

/**
 * The Microsoft Graph SDK client with the chain: token → RetryHandler (429/503/504, honours
 * Retry-After) → request counter → fetch. Retry delays are configurable so tests run fast.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const baseUrl = options.graphBaseUrl.replace(/\/+$/, '');
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, {
    scopes: [GRAPH_SCOPE],
  });
  const retryOptions = new RetryHandlerOptions(
    options.retry.baseDelayInMs / 1000,
    options.retry.maxRetries,
    () => {
      // Called only when the handler is about to retry: count it.
      options.stats.retries += 1;
      return true;
    },
  );
  return Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(baseUrl).hostname]),
    middleware: [
      new BearerTokenHandler(authProvider, new URL(baseUrl).origin),
      new RetryHandler(retryOptions),
      new RequestCountingHandler(options.stats, options.roundTrips),
      new HTTPMessageHandler(),
    ],
  });
}
