import type { AppConfig } from '../config/config';
import { ConfigError } from '../config/config';
import { createCredential, createM365Services, createSimulatorCredential } from '../m365';
import type { M365ServiceLayer, M365ServicesOptions } from '../m365';
import type { M365Services } from '../m365/types';
import { SecretRegistry } from '../observability/logger';
import type { Logger } from '../observability/logger';
import { createRemediationEngine } from '../remediation';
import type { CrashPoint, RemediationEngine } from '../remediation';
import { withSecretRegistration } from '../m365/secretRegistration';
import { registerConfigSecrets } from './configSecrets';
import { startSimulatedTenant } from '../simulator';
import type { SimulatedTenant } from '../simulator';
import { createStore } from '../store/createStore';
import type { Store } from '../store/types';
import {
  DEMO_APP_ID,
  demoRespondersGroupId,
  readSimulatedDirectory,
  simulatedDirectoryOf,
} from './simulatedDirectory';
import type { SimulatedDirectory } from './simulatedDirectory';

/** Service-layer tuning a caller may set (the benchmarks measure with and without batching). */
export type ServiceTuning = Pick<
  M365ServicesOptions,
  'retry' | 'batching' | 'concurrency' | 'requestRate' | 'roundTrips'
>;

export interface RuntimeOptions {
  config: AppConfig;
  logger: Logger;
  /**
   * Secrets scrubbed by value from the logs: pass the registry the logger was created with.
   * Configuration secrets and every generated password or TAP are registered in it.
   */
  secrets?: SecretRegistry;
  /** A simulated tenant already running in this process (tests, benchmarks). */
  tenant?: SimulatedTenant;
  /** A simulated tenant another process runs (`npm run tenant-sim`); default `SIMULATOR_URL`. */
  tenantUrl?: string;
  /** Fixture for a simulated tenant started here; default `SIMULATOR_FIXTURE`, else Contoso. */
  fixture?: string;
  /** Port for a simulated tenant started here; default `SIMULATOR_PORT` (0: any free port). */
  simulatorPort?: number;
  /** A store to use instead of the configured one (tests, benchmarks); closed with the runtime. */
  store?: Store;
  /** Overrides `DATA_DIR` for the SQLite store (CLI `--data-dir`). */
  dataDir?: string;
  /** Four-eyes for this run; default `FOUR_EYES`. */
  fourEyes?: boolean;
  services?: ServiceTuning;
  crashHook?: (point: CrashPoint) => void;
}

/** Everything the bot, the CLI and the benchmarks share: tenant, services, store, engine. */
export interface Runtime {
  config: AppConfig;
  mode: 'simulated' | 'live';
  tenantId: string;
  /** Where Graph is; the bot's readiness probe asks it. */
  graphBaseUrl: string;
  /** The simulated tenant when this runtime started it or was given it. */
  tenant?: SimulatedTenant;
  /** The simulated tenant's directory (simulated mode only). */
  directory?: SimulatedDirectory;
  /** The services the engine uses (generated credentials registered for redaction). */
  services: M365Services;
  /** The same services unwrapped, with their request statistics (benchmarks). */
  serviceLayer: M365ServiceLayer;
  store: Store;
  engine: RemediationEngine;
  secrets: SecretRegistry;
  fourEyes: boolean;
  respondersGroupId?: string;
  close(): Promise<void>;
}

interface TenantConnection {
  tenantId: string;
  graphBaseUrl: string;
  services: M365ServiceLayer;
  tenant?: SimulatedTenant;
  directory?: SimulatedDirectory;
  close?: () => Promise<void>;
}

async function connectSimulated(options: RuntimeOptions, tuning: ServiceTuning): Promise<TenantConnection> {
  const { config, logger } = options;
  let tenant = options.tenant;
  let close: (() => Promise<void>) | undefined;
  const external = (options.tenantUrl ?? config.tenant.simulatorUrl)?.replace(/\/+$/, '');
  if (!tenant && !external) {
    const fixture = options.fixture ?? config.tenant.simulatorFixture;
    const started = await startSimulatedTenant({
      port: options.simulatorPort ?? config.tenant.simulatorPort ?? 0,
      ...(fixture ? { fixture } : {}),
    });
    tenant = started;
    close = () => started.close();
  }
  // Several bot instances may share one simulated tenant, as they would share one real tenant.
  const url = tenant?.url ?? external!;
  const directory = tenant ? simulatedDirectoryOf(tenant.state()) : await readSimulatedDirectory(url);
  const services = createM365Services({
    graphBaseUrl: url,
    exchangeBaseUrl: url,
    tenantId: directory.tenant.id,
    tenantDomain: directory.tenant.domain,
    credential: createSimulatorCredential(),
    logger,
    ...tuning,
  });
  return {
    tenantId: directory.tenant.id,
    graphBaseUrl: url,
    services,
    directory,
    ...(tenant ? { tenant } : {}),
    ...(close ? { close } : {}),
  };
}

function connectLive(options: RuntimeOptions, tuning: ServiceTuning): TenantConnection {
  const { config, logger } = options;
  const tenantId = config.tenant.tenantId;
  if (!tenantId) throw new ConfigError(['M365_TENANT_ID: required when TENANT_MODE=live']);
  return {
    tenantId,
    graphBaseUrl: config.tenant.graphBaseUrl,
    services: createM365Services({
      graphBaseUrl: config.tenant.graphBaseUrl,
      exchangeBaseUrl: config.tenant.exchangeBaseUrl,
      tenantId,
      credential: createCredential(config.tenant),
      logger,
      ...tuning,
    }),
  };
}

/**
 * The one composition of Remediator's runtime, shared by the bot (src/index.ts), the CLI and the
 * benchmarks: configuration secrets registered for redaction, the tenant (simulated in-process, a
 * simulated tenant elsewhere, or the live one), the service layer wrapped so generated credentials
 * are registered before they cross the wire, the configured store and the engine.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = options;
  const secrets = options.secrets ?? new SecretRegistry();
  registerConfigSecrets(config, secrets);
  const tuning = options.services ?? {};
  const connection =
    config.tenant.mode === 'simulated'
      ? await connectSimulated(options, tuning)
      : connectLive(options, tuning);
  const closers: Array<() => Promise<void>> = connection.close ? [connection.close] : [];
  try {
    const services = withSecretRegistration(connection.services, secrets);
    const store = options.store ?? createStore({ ...config, dataDir: options.dataDir ?? config.dataDir });
    // The runtime owns the store it is given too: closing the runtime closes it, after the engine's last write.
    closers.push(() => store.close());
    const directory = connection.directory;
    const respondersGroupId =
      config.policy.respondersGroupId ?? (directory ? demoRespondersGroupId(directory) : undefined);
    const fourEyes = options.fourEyes ?? config.policy.fourEyes;
    // The simulated tenant's catalog holds the bot under the fixture's id.
    const teamsAppCatalogId = config.bot.teamsAppCatalogId ?? directory?.app?.teamsAppCatalogId;
    const engine = createRemediationEngine({
      services,
      store,
      logger,
      policy: { ...config.policy, fourEyes, ...(respondersGroupId ? { respondersGroupId } : {}) },
      ...(directory ? { tenantDomains: [directory.tenant.domain.toLowerCase()] } : {}),
      ownIdentityIds: [
        ...(directory ? [directory.app?.appId ?? DEMO_APP_ID] : []),
        ...(config.tenant.clientId ? [config.tenant.clientId] : []),
      ],
      ...(options.crashHook ? { crashHook: options.crashHook } : {}),
      ...(teamsAppCatalogId ? { teamsAppCatalogId } : {}),
    });
    return {
      config,
      mode: config.tenant.mode,
      tenantId: connection.tenantId,
      graphBaseUrl: connection.graphBaseUrl,
      ...(connection.tenant ? { tenant: connection.tenant } : {}),
      ...(directory ? { directory } : {}),
      services,
      serviceLayer: connection.services,
      store,
      engine,
      secrets,
      fourEyes,
      ...(respondersGroupId ? { respondersGroupId } : {}),
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
}
