import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { TenantConfig } from '../config/config';

/** The bearer token the simulated tenant is given; it accepts any token unless its fixture pins some. */
export const SIMULATOR_TOKEN = 'simulated-tenant-token';

/** A TokenCredential that returns a fixed, fake token (for the simulated tenant only). */
export function createSimulatorCredential(token: string = SIMULATOR_TOKEN): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
  };
}

/**
 * The credential for the configured tenant: a client secret, a certificate, or a managed
 * identity in live mode; the fake token in simulated mode.
 */
export function createCredential(tenant: TenantConfig): TokenCredential {
  if (tenant.mode === 'simulated') return createSimulatorCredential();
  const { tenantId, clientId } = tenant;
  if (tenant.auth === 'managed-identity') {
    // A user-assigned identity is chosen by its client id; without one the system-assigned identity is used.
    return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
  }
  if (!tenantId || !clientId) {
    throw new Error('M365_TENANT_ID and M365_CLIENT_ID are required for a live tenant.');
  }
  if (tenant.auth === 'certificate') {
    if (!tenant.certificatePath)
      throw new Error('M365_CERTIFICATE_PATH is required when M365_AUTH=certificate.');
    return new ClientCertificateCredential(tenantId, clientId, { certificatePath: tenant.certificatePath });
  }
  if (!tenant.clientSecret)
    throw new Error('SECRET_M365_CLIENT_SECRET is required when M365_AUTH=client-secret.');
  return new ClientSecretCredential(tenantId, clientId, tenant.clientSecret);
}
