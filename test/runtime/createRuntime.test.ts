import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { SecretRegistry, createSilentLogger } from '../../src/observability/logger';
import { createRuntime } from '../../src/runtime';
import type { Runtime } from '../../src/runtime';
import { startSimulatedTenant } from '../../src/simulator';
import { AzureTableStore, createSqliteStore } from '../../src/store';
import type { SimulatedTenant } from '../../src/simulator';

const MEGAN_ID = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const SOC_RESPONDERS = '3fec47b4-98e3-417a-bfd9-6dc67f18a61e';

let runtime: Runtime | undefined;
let tenant: SimulatedTenant | undefined;

afterEach(async () => {
  await runtime?.close();
  await tenant?.close();
  runtime = undefined;
  tenant = undefined;
});

describe('the runtime composition shared by the bot, the CLI and the benchmarks', () => {
  it('registers configuration secrets and every generated password for redaction by value', async () => {
    const secrets = new SecretRegistry();
    runtime = await createRuntime({
      config: loadConfig({
        TENANT_MODE: 'simulated',
        SECRET_M365_CLIENT_SECRET: 'client-secret-value-9f8e7d',
      }),
      logger: createSilentLogger(),
      secrets,
      simulatorPort: 0,
      store: createSqliteStore({ inMemory: true }),
    });
    expect(secrets.redact('sent client-secret-value-9f8e7d')).not.toContain('client-secret-value-9f8e7d');

    await runtime.services.users.resetPassword(MEGAN_ID, 'Fresh-Pa55word-for-Megan!', true);
    expect(secrets.redact('new password Fresh-Pa55word-for-Megan!')).not.toContain(
      'Fresh-Pa55word-for-Megan!',
    );
  });

  it('finds the simulated tenant it is given, its responders group and its domain', async () => {
    tenant = await startSimulatedTenant({ port: 0 });
    runtime = await createRuntime({
      config: loadConfig({ TENANT_MODE: 'simulated' }),
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ inMemory: true }),
    });
    expect(runtime.tenantId).toBe(tenant.tenantId);
    expect(runtime.respondersGroupId).toBe(SOC_RESPONDERS);
    expect(runtime.directory?.tenant.domain).toBe('contoso.com');
    expect(runtime.tenant).toBe(tenant);
  });

  it('honours STORE_KIND: the CLI uses the configured store, not always SQLite', async () => {
    runtime = await createRuntime({
      config: loadConfig({
        TENANT_MODE: 'simulated',
        STORE_KIND: 'azure-tables',
        // Azurite's published development account; nothing is contacted until the store is used.
        SECRET_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
      logger: createSilentLogger(),
      simulatorPort: 0,
    });
    expect(runtime.store).toBeInstanceOf(AzureTableStore);
  });
});
