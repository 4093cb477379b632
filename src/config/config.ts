import path from 'node:path';
import { z } from 'zod';

/**
 * One typed, validated configuration object, read once from the environment at
 * start-up and passed down through constructors. Nothing else reads process.env.
 * Secrets (SECRET_*) come from the environment or a secret store, never from files in the repo.
 */

const booleanFromEnv = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((value) => (value === undefined ? defaultValue : ['true', '1', 'yes'].includes(value)));

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

/** Env templates list every variable, many of them empty: empty means "not set". */
const emptyAsUnset = <T extends z.ZodType<string>>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const envSchema = z.object({
  /** `simulated` runs against an in-process simulated tenant; `live` against Microsoft 365. */
  TENANT_MODE: z.enum(['simulated', 'live']).default('simulated'),
  M365_TENANT_ID: guid.optional(),
  /** Tenant domain (e.g. contoso.onmicrosoft.com) for Exchange's X-AnchorMailbox header. */
  M365_TENANT_DOMAIN: z.string().optional(),
  M365_CLIENT_ID: guid.optional(),
  /** How the app authenticates to Graph and Exchange in live mode. */
  M365_AUTH: z.enum(['client-secret', 'certificate', 'managed-identity']).default('client-secret'),
  SECRET_M365_CLIENT_SECRET: z.string().optional(),
  M365_CERTIFICATE_PATH: z.string().optional(),
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com'),
  EXCHANGE_BASE_URL: z.url().default('https://outlook.office365.com'),
  /** Path to a simulated-tenant fixture (JSON); the default Contoso fixture when unset. */
  SIMULATOR_FIXTURE: z.string().optional(),
  /** Port of the simulated tenant started by `npm start`; 0 picks a free one. */
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** URL of a simulated tenant already running (several bot instances share one); unset starts one in-process. */
  SIMULATOR_URL: emptyAsUnset(z.url()),

  DATA_DIR: z.string().default('data'),
  /** `sqlite` (default): one file in DATA_DIR. `azure-tables`: Azure Table Storage, shared by several instances. */
  STORE_KIND: z.enum(['sqlite', 'azure-tables']).default('sqlite'),
  /** Storage account for STORE_KIND=azure-tables, reached with an Entra identity (Bicep sets it). */
  AZURE_STORAGE_ACCOUNT_NAME: emptyAsUnset(
    z.string().regex(/^[a-z0-9]{3,24}$/, 'must be a storage account name'),
  ),
  /** Client id of the user-assigned managed identity for Storage (Bicep sets it); unset uses DefaultAzureCredential. */
  AZURE_CLIENT_ID: emptyAsUnset(guid),
  /** A connection string instead of an identity (Azurite, local runs); takes precedence over the account name. */
  SECRET_AZURE_STORAGE_CONNECTION_STRING: emptyAsUnset(z.string()),
  /** Prefix for the table names (letters and digits), to share one account between environments. */
  AZURE_STORAGE_TABLE_PREFIX: emptyAsUnset(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'letters and digits'),
  ),
  /** Blob container for bot conversation state with STORE_KIND=azure-tables (created when missing). */
  AZURE_STORAGE_BOT_STATE_CONTAINER: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a blob container name')
      .default('botstate'),
  ),
  RESPONDERS_GROUP_ID: guid.optional(),
  BREAK_GLASS_ACCOUNTS: csv,
  FOUR_EYES: booleanFromEnv(true),

  BOT_ID: z.string().optional(),
  /**
   * The bot's id in the tenant's Teams app catalog (Teams admin center > Manage apps > App ID; not the
   * manifest id): lets Remediator install itself for an approver who must receive a credential.
   */
  TEAMS_APP_CATALOG_ID: emptyAsUnset(guid),
  SECRET_BOT_PASSWORD: z.string().optional(),
  BOT_APP_TYPE: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  /** Explicit opt-in to the anonymous local demo (loopback only). */
  LOCAL_DEMO: booleanFromEnv(false),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  SECURITY_CHANNEL_ID: z.string().optional(),
  /** Shared HMAC-SHA256 secret of the signed alert webhook (POST /api/alerts); unset disables the route. */
  SECRET_ALERT_WEBHOOK_SECRET: emptyAsUnset(z.string().min(32, 'must be at least 32 characters')),

  /** On SIGTERM/SIGINT, how long turns in flight may take to finish before the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(0).max(600_000).default(25000),
  ),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawEnv = z.input<typeof envSchema>;

export interface TenantConfig {
  mode: 'simulated' | 'live';
  tenantId?: string;
  tenantDomain?: string;
  clientId?: string;
  auth: 'client-secret' | 'certificate' | 'managed-identity';
  clientSecret?: string;
  certificatePath?: string;
  graphBaseUrl: string;
  exchangeBaseUrl: string;
  simulatorFixture?: string;
  simulatorPort: number;
  simulatorUrl?: string;
}

export interface PolicyConfig {
  respondersGroupId?: string;
  breakGlassAccounts: string[];
  fourEyes: boolean;
}

export interface BotConfig {
  appId?: string;
  /** The bot's id in the tenant's Teams app catalog; unset: approvers must add the app themselves. */
  teamsAppCatalogId?: string;
  appPassword?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  localDemo: boolean;
  host: string;
  port: number;
  securityChannelId?: string;
}

/** Where incidents, audit and bot state live (see src/store/createStore.ts and docs/SCALE.md). */
export interface StoreConfig {
  kind: 'sqlite' | 'azure-tables';
  azure: {
    connectionString?: string;
    accountName?: string;
    managedIdentityClientId?: string;
    tablePrefix?: string;
  };
}

/** The signed alert webhook a SIEM calls to raise a possible compromise (src/teams/alerts/webhook.ts). */
export interface AlertsConfig {
  webhookSecret?: string;
}

export interface AppConfig {
  tenant: TenantConfig;
  alerts?: AlertsConfig;
  policy: PolicyConfig;
  bot: BotConfig;
  store: StoreConfig;
  dataDir: string;
  logLevel: string;
  /** Blob container of the bot's conversation state with STORE_KIND=azure-tables (AZURE_STORAGE_BOT_STATE_CONTAINER). */
  botStateContainer?: string;
  /** Grace period of a signal-triggered shutdown (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.TENANT_MODE === 'live') {
    if (!e.M365_TENANT_ID) problems.push('M365_TENANT_ID: required when TENANT_MODE=live');
    if (e.M365_AUTH !== 'managed-identity' && !e.M365_CLIENT_ID) {
      problems.push('M365_CLIENT_ID: required when TENANT_MODE=live');
    }
    if (e.M365_AUTH === 'client-secret' && !e.SECRET_M365_CLIENT_SECRET) {
      problems.push('SECRET_M365_CLIENT_SECRET: required when M365_AUTH=client-secret');
    }
    if (e.M365_AUTH === 'certificate' && !e.M365_CERTIFICATE_PATH) {
      problems.push('M365_CERTIFICATE_PATH: required when M365_AUTH=certificate');
    }
  }
  if (
    e.STORE_KIND === 'azure-tables' &&
    !e.SECRET_AZURE_STORAGE_CONNECTION_STRING &&
    !e.AZURE_STORAGE_ACCOUNT_NAME
  ) {
    problems.push(
      'AZURE_STORAGE_ACCOUNT_NAME: required when STORE_KIND=azure-tables (or SECRET_AZURE_STORAGE_CONNECTION_STRING)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    tenant: {
      mode: e.TENANT_MODE,
      tenantId: e.M365_TENANT_ID,
      tenantDomain: e.M365_TENANT_DOMAIN,
      clientId: e.M365_CLIENT_ID,
      auth: e.M365_AUTH,
      clientSecret: e.SECRET_M365_CLIENT_SECRET,
      certificatePath: e.M365_CERTIFICATE_PATH,
      graphBaseUrl: e.GRAPH_BASE_URL,
      exchangeBaseUrl: e.EXCHANGE_BASE_URL,
      simulatorFixture: e.SIMULATOR_FIXTURE,
      simulatorPort: e.SIMULATOR_PORT,
      simulatorUrl: e.SIMULATOR_URL,
    },
    policy: {
      respondersGroupId: e.RESPONDERS_GROUP_ID,
      breakGlassAccounts: e.BREAK_GLASS_ACCOUNTS,
      fourEyes: e.FOUR_EYES,
    },
    bot: {
      appId: e.BOT_ID || undefined,
      teamsAppCatalogId: e.TEAMS_APP_CATALOG_ID,
      appPassword: e.SECRET_BOT_PASSWORD,
      appType: e.BOT_APP_TYPE,
      localDemo: e.LOCAL_DEMO,
      host: e.HOST,
      port: e.PORT,
      securityChannelId: e.SECURITY_CHANNEL_ID,
    },
    store: {
      kind: e.STORE_KIND,
      azure: {
        connectionString: e.SECRET_AZURE_STORAGE_CONNECTION_STRING,
        accountName: e.AZURE_STORAGE_ACCOUNT_NAME,
        managedIdentityClientId: e.AZURE_CLIENT_ID,
        tablePrefix: e.AZURE_STORAGE_TABLE_PREFIX,
      },
    },
    alerts: { webhookSecret: e.SECRET_ALERT_WEBHOOK_SECRET },
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    botStateContainer: e.AZURE_STORAGE_BOT_STATE_CONTAINER,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
