import { ConfigError, loadConfig } from './config/config';
import type { AppConfig } from './config/config';
import { createLogger, SecretRegistry } from './observability/logger';
import type { Logger } from './observability/logger';
import type { BotAuthenticationEndpoints } from './server/botAuthentication';
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
import { createRuntime } from './runtime';
import type { SimulatedTenant } from './simulator';
import type { Store } from './store/types';
import { AlertWebhook, StoreReplayMemory } from './teams/alerts';
import {
  AlertInbox,
  CloudAdapterGateway,
  createTeamsBot,
  createTurnErrorHandler,
  ServiceRouteMemory,
  TeamsAlertSink,
} from './teams';
import type { ConversationGateway, TeamsBot } from './teams';
import { DeliveryOutbox } from './teams/delivery/outbox';

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

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
  /** Test seam: Teams' limits with every window shortened by this factor (the emulator's too). */
  deliveryTimeScale?: number;
}

export interface RunningRemediator {
  url: string;
  engine: RemediationEngine;
  teams: TeamsBot;
  /** Every proactive post and card update goes through it. */
  delivery: DeliveryOutbox;
  tenant?: SimulatedTenant;
  close(): Promise<void>;
}

/** Wires tenant, store, engine, Teams bot and HTTP server; nothing else lives here. */
export async function startRemediator(options: StartOptions): Promise<RunningRemediator> {
  const { config, logger } = options;
  assertBotMayStart(config.bot);
  const runtime = await createRuntime({
    config,
    logger,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  const { engine, store, tenantId, graphBaseUrl, tenant } = runtime;
  const simulated = runtime.mode === 'simulated';

  const adapter = createCloudAdapter(config.bot, tenantId, options.botAuthenticationEndpoints);
  adapter.onTurnError = createTurnErrorHandler(logger);
  const delivery = new DeliveryOutbox({
    writer: (options.wrapGateway ?? ((inner) => inner))(
      new CloudAdapterGateway(adapter, config.bot.appId ?? ''),
    ),
    logger,
    ...(options.deliveryTimeScale !== undefined ? { timeScale: options.deliveryTimeScale } : {}),
  });
  const gateway: ConversationGateway = delivery;
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
    resumable: engine,
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
    ...(options.deliveryTimeScale !== undefined ? { deliveryTimeScale: options.deliveryTimeScale } : {}),
  });

  let draining = false;
  const server = createBotServer({
    adapter,
    isDraining: () => draining,
    runTurn: async (context) => {
      context.onSendActivities(delivery.turnReplies());
      await teams.approverRoutes.remember(context.activity);
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
            sink: new TeamsAlertSink({ inbox: alertInbox, routes, gateway, cards: teams.alertCards, logger }),
            audit: store,
            logger,
            // Shared by every instance and kept across restarts: a captured request stays refused.
            replay: new StoreReplayMemory(store),
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
  // Steps a crash interrupted are finished in the background (the bot answers /healthz meanwhile);
  // their cards, summaries and any credential they issued are then delivered.
  teams.background.run(() => teams.resume.resumeInterrupted());

  return {
    url: running.url,
    engine,
    teams,
    delivery,
    ...(tenant ? { tenant } : {}),
    close: async () => {
      draining = true;
      teams.resume.stop();
      await running.close();
      await teams.background.idle();
      await delivery.idle();
      await runtime.close();
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
