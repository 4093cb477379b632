import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import type { TenantConfig } from '../../src/config/config';
import {
  createCredential,
  createM365ServicesFromConfig,
  createSimulatorCredential,
  SIMULATOR_TOKEN,
} from '../../src/m365';
import { ids, startTenant } from './support';

const live: TenantConfig = {
  mode: 'live',
  tenantId: ids.tenant,
  clientId: '3eadf42a-a745-4fba-b922-8a87b7cdfa94',
  auth: 'client-secret',
  clientSecret: 'not-a-real-secret',
  graphBaseUrl: 'https://graph.microsoft.com',
  exchangeBaseUrl: 'https://outlook.office365.com',
  simulatorPort: 0,
};

describe('createCredential', () => {
  it('gives the simulated tenant a fixed fake token', async () => {
    const token = await createSimulatorCredential().getToken('https://graph.microsoft.com/.default');
    expect(token?.token).toBe(SIMULATOR_TOKEN);
    expect(token!.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(createCredential({ ...live, mode: 'simulated' })).not.toBeInstanceOf(ClientSecretCredential);
  });

  it('picks the credential type the configuration names', () => {
    expect(createCredential(live)).toBeInstanceOf(ClientSecretCredential);
    expect(
      createCredential({ ...live, auth: 'certificate', certificatePath: '/secrets/app.pem' }),
    ).toBeInstanceOf(ClientCertificateCredential);
    expect(createCredential({ ...live, auth: 'managed-identity' })).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('names what is missing for a live tenant', () => {
    expect(() => createCredential({ ...live, clientSecret: undefined })).toThrow(/SECRET_M365_CLIENT_SECRET/);
    expect(() => createCredential({ ...live, auth: 'certificate' })).toThrow(/M365_CERTIFICATE_PATH/);
    expect(() => createCredential({ ...live, clientId: undefined })).toThrow(/M365_CLIENT_ID/);
  });
});

describe('createM365ServicesFromConfig', () => {
  it('builds working services for the simulated tenant from config plus its URL', async () => {
    const tenant = await startTenant();
    try {
      const config = loadConfig({
        GRAPH_BASE_URL: tenant.graphBaseUrl,
        EXCHANGE_BASE_URL: tenant.exchangeBaseUrl,
      });
      const services = createM365ServicesFromConfig(config, { tenantId: tenant.tenantId });
      expect((await services.users.getUser('MeganB@contoso.com')).id).toBe(ids.megan);
      expect((await services.exchange.getMailbox('MeganB@contoso.com')).primarySmtpAddress).toBe(
        'MeganB@contoso.com',
      );
    } finally {
      await tenant.close();
    }
  });

  it('asks for a Graph token for Graph calls and sends it to the plain-http simulator host', async () => {
    const tenant = await startTenant();
    try {
      const scopes: unknown[] = [];
      const credential: TokenCredential = {
        getToken: async (scope) => {
          scopes.push(scope);
          return { token: 'graph-token', expiresOnTimestamp: Date.now() + 60_000 };
        },
      };
      const config = loadConfig({
        GRAPH_BASE_URL: tenant.graphBaseUrl,
        EXCHANGE_BASE_URL: tenant.exchangeBaseUrl,
      });
      const services = createM365ServicesFromConfig(config, { tenantId: tenant.tenantId, credential });
      // The simulated tenant answers 401 to a request without a bearer token.
      expect((await services.users.getUser(ids.megan)).id).toBe(ids.megan);
      expect(scopes.flat()).toEqual(['https://graph.microsoft.com/.default']);
    } finally {
      await tenant.close();
    }
  });

  it('refuses to start without a tenant id', () => {
    expect(() => createM365ServicesFromConfig(loadConfig({}))).toThrow(/tenant id/);
  });
});
