import type { AppConfig } from '../config/config';
import type { M365Services } from '../m365/types';
import type { Logger, SecretRegistry } from '../observability/logger';
import type { Actor, CrashPoint, RemediationEngine } from '../remediation';
import { createRuntime } from '../runtime';
import type { Store } from '../store/types';

export interface CliEnvironmentOptions {
  config: AppConfig;
  logger: Logger;
  /** The registry the logger scrubs by value; generated credentials are registered in it. */
  secrets: SecretRegistry;
  /** Fixture for the in-process simulated tenant. */
  fixture?: string;
  /** An already running simulated tenant (npm run tenant-sim) instead of an in-process one. */
  tenantUrl?: string;
  dataDir?: string;
  /** --solo: four-eyes relaxed for this run. */
  solo: boolean;
  crashHook?: (point: CrashPoint) => void;
}

export interface CliEnvironment {
  engine: RemediationEngine;
  services: M365Services;
  store: Store;
  mode: 'simulated' | 'live';
  fourEyes: boolean;
  /** The identity for --as (or the default responder in simulated mode). */
  resolveActor(upn: string | undefined): Promise<Actor>;
  close(): Promise<void>;
}

/** The CLI's view of the shared runtime (src/runtime): the same tenant, store and engine as the bot. */
export async function createCliEnvironment(options: CliEnvironmentOptions): Promise<CliEnvironment> {
  const { config } = options;
  const runtime = await createRuntime({
    config,
    logger: options.logger,
    secrets: options.secrets,
    // Its own in-process tenant on any free port, so a running `npm start` is never in the way.
    simulatorPort: 0,
    fourEyes: config.policy.fourEyes && !options.solo,
    ...(options.fixture ? { fixture: options.fixture } : {}),
    ...(options.tenantUrl ? { tenantUrl: options.tenantUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.crashHook ? { crashHook: options.crashHook } : {}),
    // In simulated mode: the simulated tenant's request budget (2,000 per 10 s, the simulator's
    // figure) with a margin, so a mass incident paces itself instead of collecting 429s.
    ...(config.tenant.mode === 'simulated'
      ? { services: { requestRate: { maxRequests: 1900, windowInMs: 10_000 }, retry: { maxRetries: 6 } } }
      : {}),
  });
  const { services, directory, respondersGroupId } = runtime;

  const resolveActor = async (upn: string | undefined): Promise<Actor> => {
    let who = upn;
    if (who === undefined) {
      const group = directory?.groups.find((candidate) => candidate.id === respondersGroupId);
      const firstMember = group?.members[0];
      who = directory?.users.find((user) => user.id === firstMember)?.userPrincipalName;
      if (who === undefined) throw new UsageError('--as <upn> is required: say which responder you are.');
    }
    const user = await services.users.getUser(who);
    return { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  };

  return {
    engine: runtime.engine,
    services,
    store: runtime.store,
    mode: runtime.mode,
    fourEyes: runtime.fourEyes,
    resolveActor,
    close: () => runtime.close(),
  };
}

/** A mistake in how the CLI was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
