import { z } from 'zod';
import { ConfigError, loadConfig } from './config/config';
import type { AppConfig } from './config/config';
import { createCredential, createM365Services, createSimulatorCredential } from './m365';
import type { M365Services } from './m365/types';
import { createLogger, SecretRegistry } from './observability/logger';
import type { Logger } from './observability/logger';
import { AlertWebhook } from './security/alertWebhook';
import type { BotAuthenticationEndpoints } from './security/botAuthentication';
import { registerConfigSecrets, withSecretRegistration } from './security/secretAwareServices';
import { createRemediationService } from './remediation';
import type { RemediationEngine } from './remediation';
import {
  assertBotMayStart,
  createBotServer,
  createBotStateStorage,
  createCloudAdapter,
  createSignalHandler,
  listen,
  StartupRefusedError,
} from './server';
import type { RunningServer } from './server';
import { startSimulatedTenant } from './simulator';
import type { SimulatedTenant } from './simulator';
import { createStore } from './store/createStore';
import type { Store } from './store/types';
import {
  AlertInbox,
  CloudAdapterGateway,
  createTeamsBot,
  createTurnErrorHandler,
  ServiceRouteMemory,
  TeamsAlertSink,
} from './teams';
import type { ConversationGateway, TeamsBot } from './teams';

/** Demo tenant ids (COMMON): the responders group and Remediator's own app. */
const DEMO_RESPONDERS_GROUP_ID = '3fec47b4-98e3-417a-bfd9-6dc67f18a61e';
const DEMO_APP_ID = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** The part of the simulator's GET /_sim/state a bot needs to talk to an external simulated tenant. */
const simulatedTenantIdentity = z.object({
  tenant: z.object({ id: z.string().min(1), domain: z.string().min(1) }),
});

/** Identity of a simulated tenant another process runs (SIMULATOR_URL), read from its state endpoint. */
async function describeExternalTenant(url: string): Promise<{ tenantId: string; domain: string }> {
  const response = await fetch(new URL('/_sim/state', url));
  if (!response.ok) throw new Error(`the simulated tenant at ${url} answered ${response.status}`);
  const { tenant } = simulatedTenantIdentity.parse(await response.json());
  return { tenantId: tenant.id, domain: tenant.domain };
}

export interface StartOptions {
  config: AppConfig;
  logger: Logger;
  /** An already running simulated tenant (tests); otherwise one is started in simulated mode. */
  tenant?: SimulatedTenant;
  /** In-memory store (tests); otherwise the configured one (SQLite in DATA_DIR, or Azure Tables). */
  store?: Store;
  fastAnswerMs?: number;
  /** Test seam: observe or wrap outbound proactive messages (e2e checks where secrets went). */
  wrapGateway?: (gateway: ConversationGateway) => ConversationGateway;
  /**
   * Secrets scrubbed by value from the logs: pass the registry the logger was created with.
   * Generated passwords and TAPs are registered in it as they are created.
   */
  secrets?: SecretRegistry;
  /** Test seam: validate Bot Framework tokens against a local OpenID configuration. */
  botAuthenticationEndpoints?: BotAuthenticationEndpoints;
}

export interface RunningRemediator {
  url: string;
  engine: RemediationEngine;
  teams: TeamsBot;
  tenant?: SimulatedTenant;
  close(): Promise<void>;
}

/** Wires tenant, store, engine, Teams bot and HTTP server; nothing else lives here. */
export async function startRemediator(options: StartOptions): Promise<RunningRemediator> {
  const { config, logger } = options;
  assertBotMayStart(config.bot);
  const closers: (() => Promise<void>)[] = [];
  const secrets = options.secrets ?? new SecretRegistry();
  registerConfigSecrets(config, secrets);

  let tenant = options.tenant;
  let services: M365Services;
  let tenantId = config.tenant.tenantId;
  let graphBaseUrl = config.tenant.graphBaseUrl;
  const externalTenantUrl = config.tenant.simulatorUrl?.replace(/\/+$/, '');
  if (config.tenant.mode === 'simulated' && !tenant && externalTenantUrl) {
    // Several bot instances share one simulated tenant, as they would share one real tenant.
    const external = await describeExternalTenant(externalTenantUrl);
    tenantId = external.tenantId;
    graphBaseUrl = externalTenantUrl;
    services = createM365Services({
      graphBaseUrl: externalTenantUrl,
      exchangeBaseUrl: externalTenantUrl,
      tenantId: external.tenantId,
      tenantDomain: external.domain,
      credential: createSimulatorCredential(),
      logger,
    });
  } else if (config.tenant.mode === 'simulated') {
    if (!tenant) {
      tenant = await startSimulatedTenant({
        port: config.tenant.simulatorPort,
        ...(config.tenant.simulatorFixture ? { fixture: config.tenant.simulatorFixture } : {}),
      });
      const started = tenant;
      closers.push(() => started.close());
    }
    tenantId = tenant.tenantId;
    graphBaseUrl = tenant.graphBaseUrl;
    services = createM365Services({
      graphBaseUrl: tenant.graphBaseUrl,
      exchangeBaseUrl: tenant.exchangeBaseUrl,
      tenantId: tenant.tenantId,
      tenantDomain: tenant.state().tenant.domain,
      credential: createSimulatorCredential(),
      logger,
    });
  } else {
    if (!tenantId) throw new ConfigError(['M365_TENANT_ID: required when TENANT_MODE=live']);
    services = createM365Services({
      graphBaseUrl: config.tenant.graphBaseUrl,
      exchangeBaseUrl: config.tenant.exchangeBaseUrl,
      tenantId,
      credential: createCredential(config.tenant),
      logger,
    });
  }

  services = withSecretRegistration(services, secrets);

  const store = options.store ?? createStore(config);
  closers.push(() => store.close());
  const simulated = config.tenant.mode === 'simulated';
  const respondersGroupId =
    config.policy.respondersGroupId ?? (simulated ? DEMO_RESPONDERS_GROUP_ID : undefined);
  const engine = createRemediationService({
    services,
    store,
    logger,
    policy: { ...config.policy, ...(respondersGroupId ? { respondersGroupId } : {}) },
    ownIdentityIds: [
      ...(simulated ? [DEMO_APP_ID] : []),
      ...(config.tenant.clientId ? [config.tenant.clientId] : []),
    ],
  });

  const adapter = createCloudAdapter(config.bot, tenantId, options.botAuthenticationEndpoints);
  adapter.onTurnError = createTurnErrorHandler(logger);
  const gateway = (options.wrapGateway ?? ((inner) => inner))(
    new CloudAdapterGateway(adapter, config.bot.appId ?? ''),
  );
  // The signed SIEM webhook exists only with a secret and a security channel to post into.
  const webhookSecret = config.alerts?.webhookSecret;
  const securityChannelId = config.bot.securityChannelId;
  const alertsEnabled = !!webhookSecret && !!securityChannelId;
  const routes = new ServiceRouteMemory(store, securityChannelId);
  const alertInbox = new AlertInbox(store);
  // Bot state lives with the store: SQLite by default, a Blob container beside Azure Tables.
  const botStateStorage = createBotStateStorage(config);
  const teams = createTeamsBot({
    engine,
    store,
    ...(botStateStorage ? { storage: botStateStorage } : {}),
    gateway,
    logger,
    simulated,
    fourEyes: config.policy.fourEyes,
    ...(tenantId ? { allowedTenantId: tenantId } : {}),
    ...(config.bot.securityChannelId ? { securityChannelId: config.bot.securityChannelId } : {}),
    ...(options.fastAnswerMs !== undefined ? { fastAnswerMs: options.fastAnswerMs } : {}),
    audit: store,
    ...(alertsEnabled ? { alerts: { inbox: alertInbox, securityChannelId } } : {}),
  });

  // Steps a crash interrupted are finished first; their cards are then brought up to date.
  const resumed = await engine.resumeInterrupted();
  for (const incident of resumed) {
    teams.background.run(async () => void (await teams.presenter.refresh(incident.id)));
  }

  let draining = false;
  const server = createBotServer({
    adapter,
    isDraining: () => draining,
    runTurn: async (context) => {
      if (alertsEnabled) await routes.remember(context.activity);
      await teams.bot.run(context);
    },
    logger,
    ...(tenantId ? { allowedTenantId: tenantId } : {}),
    audit: store,
    ...(alertsEnabled
      ? {
          alerts: new AlertWebhook({
            secret: webhookSecret,
            sink: new TeamsAlertSink({ inbox: alertInbox, routes, gateway, logger }),
            audit: store,
            logger,
          }),
        }
      : {}),
    probes: [
      { name: 'store', check: async () => void (await store.getItem('readyz')) },
      {
        name: 'tenant',
        // Any HTTP answer means the tenant's API is reachable; auth is checked on real calls.
        check: async () => void (await fetch(graphBaseUrl, { method: 'HEAD' })),
      },
    ],
  });
  const running: RunningServer = await listen(server, config.bot.port, config.bot.host);
  logger.info({ url: running.url, simulated, fourEyes: config.policy.fourEyes }, 'Remediator is listening');

  return {
    url: running.url,
    engine,
    teams,
    ...(tenant ? { tenant } : {}),
    close: async () => {
      draining = true;
      await running.close();
      await teams.background.idle();
      for (const close of closers.reverse()) await close();
    },
  };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: config.logLevel, secrets });
  try {
    const app = await startRemediator({ config, logger, secrets });
    const onSignal = createSignalHandler({
      close: () => app.close(),
      logger,
      timeoutMs: config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
      exit: (code) => process.exit(code),
    });
    // `on`, not `once`: the second signal must reach the handler (it exits at once).
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } catch (error) {
    if (error instanceof StartupRefusedError || error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

if (require.main === module) {
  void main();
}
