import { z } from 'zod';
import type { AppConfig } from '../config/config';
import { createCredential, createM365Services, createSimulatorCredential } from '../m365';
import type { M365Services } from '../m365/types';
import type { Logger } from '../observability/logger';
import { createRemediationService } from '../remediation';
import type { Actor, CrashPoint, RemediationEngine } from '../remediation';
import { startSimulatedTenant } from '../simulator';
import { createSqliteStore } from '../store';
import type { Store } from '../store/types';

/** The fixed id of "SOC Responders" in the demo tenant, used when RESPONDERS_GROUP_ID is unset in simulated mode. */
export const DEMO_RESPONDERS_GROUP_ID = '3fec47b4-98e3-417a-bfd9-6dc67f18a61e';
/** Remediator's own app / service principal id in the demo tenant. */
const DEMO_APP_ID = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';

const simStateSchema = z.object({
  tenant: z.object({ id: z.string(), domain: z.string() }),
  app: z.object({ appId: z.string() }).optional(),
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), members: z.array(z.string()) })),
  users: z.array(z.object({ id: z.string(), userPrincipalName: z.string() })),
});
type SimState = z.infer<typeof simStateSchema>;

export interface CliEnvironmentOptions {
  config: AppConfig;
  logger: Logger;
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

async function fetchSimState(url: string): Promise<SimState> {
  const response = await fetch(new URL('/_sim/state', url));
  if (!response.ok)
    throw new Error(`The simulated tenant at ${url} answered ${response.status} to /_sim/state.`);
  return simStateSchema.parse(await response.json());
}

export async function createCliEnvironment(options: CliEnvironmentOptions): Promise<CliEnvironment> {
  const { config, logger } = options;
  const closers: (() => Promise<void>)[] = [];
  let services: M365Services;
  let simState: SimState | undefined;

  if (config.tenant.mode === 'simulated') {
    let url = options.tenantUrl;
    if (url === undefined) {
      const fixture = options.fixture ?? config.tenant.simulatorFixture;
      const tenant = await startSimulatedTenant({ port: 0, ...(fixture ? { fixture } : {}) });
      closers.push(() => tenant.close());
      url = tenant.url;
    }
    simState = await fetchSimState(url);
    services = createM365Services({
      graphBaseUrl: url,
      exchangeBaseUrl: url,
      tenantId: simState.tenant.id,
      tenantDomain: simState.tenant.domain,
      credential: createSimulatorCredential(),
      logger,
      // The simulated tenant's default budget (2,000 requests per 10 s; simulator's figure), with
      // a margin: a mass incident paces itself instead of collecting 429s.
      requestRate: { maxRequests: 1900, windowInMs: 10_000 },
      retry: { maxRetries: 6 },
    });
  } else {
    const tenantId = config.tenant.tenantId;
    if (!tenantId) throw new Error('M365_TENANT_ID is required when TENANT_MODE=live.');
    services = createM365Services({
      graphBaseUrl: config.tenant.graphBaseUrl,
      exchangeBaseUrl: config.tenant.exchangeBaseUrl,
      tenantId,
      credential: createCredential(config.tenant),
      logger,
    });
  }

  const respondersGroupId =
    config.policy.respondersGroupId ??
    (simState
      ? (simState.groups.find((group) => group.displayName === 'SOC Responders')?.id ??
        DEMO_RESPONDERS_GROUP_ID)
      : undefined);
  const fourEyes = config.policy.fourEyes && !options.solo;
  const store = createSqliteStore({ dataDir: options.dataDir ?? config.dataDir });
  closers.push(() => store.close());
  const engine = createRemediationService({
    services,
    store,
    logger,
    policy: { ...config.policy, fourEyes, ...(respondersGroupId ? { respondersGroupId } : {}) },
    ...(simState ? { tenantDomains: [simState.tenant.domain.toLowerCase()] } : {}),
    ownIdentityIds: [
      simState?.app?.appId ?? DEMO_APP_ID,
      ...(config.tenant.clientId ? [config.tenant.clientId] : []),
    ],
    ...(options.crashHook ? { crashHook: options.crashHook } : {}),
  });

  const resolveActor = async (upn: string | undefined): Promise<Actor> => {
    let who = upn;
    if (who === undefined) {
      const group = simState?.groups.find((candidate) => candidate.id === respondersGroupId);
      const firstMember = group?.members[0];
      who = simState?.users.find((user) => user.id === firstMember)?.userPrincipalName;
      if (who === undefined) throw new UsageError('--as <upn> is required: say which responder you are.');
    }
    const user = await services.users.getUser(who);
    return { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  };

  return {
    engine,
    services,
    store,
    mode: config.tenant.mode,
    fourEyes,
    resolveActor,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}

/** A mistake in how the CLI was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
