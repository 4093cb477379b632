import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { AzureStoreTables } from './azureTableStore';

/** How to reach the storage account: a connection string (Azurite, keys) or an Entra identity. */
export type AzureTablesConnection =
  | { connectionString: string }
  | {
      accountName: string;
      credential: TokenCredential;
      /** Defaults to https://<accountName>.table.core.windows.net (set it for sovereign clouds). */
      tableEndpoint?: string;
    };

export interface AzureTableNamesOptions {
  /** Prepended to every table name (letters and digits), to share one account between environments. */
  tablePrefix?: string;
}

/** Bicep provisions `incidents` and `audit`; `botstate` is created on first use. */
export const TABLE_NAMES = { incidents: 'incidents', audit: 'audit', botState: 'botstate' } as const;

const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Plain http is allowed only towards the local emulator (Azurite); a real account is
 * always reached over https.
 */
export function isLoopbackConnectionString(connectionString: string): boolean {
  if (/(^|;)\s*UseDevelopmentStorage=true\s*(;|$)/i.test(connectionString)) return true;
  const endpoint = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (endpoint === undefined) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(endpoint.trim()).hostname);
  } catch {
    return false;
  }
}

export function createAzureStoreTables(
  connection: AzureTablesConnection,
  options: AzureTableNamesOptions = {},
): AzureStoreTables {
  const prefix = options.tablePrefix ?? '';
  if (prefix !== '' && !TABLE_PREFIX.test(prefix)) {
    throw new RangeError('tablePrefix must start with a letter and hold only letters and digits');
  }
  const client = (name: string): TableClient => {
    if ('connectionString' in connection) {
      return TableClient.fromConnectionString(connection.connectionString, `${prefix}${name}`, {
        allowInsecureConnection: isLoopbackConnectionString(connection.connectionString),
      });
    }
    const endpoint = connection.tableEndpoint ?? `https://${connection.accountName}.table.core.windows.net`;
    return new TableClient(endpoint, `${prefix}${name}`, connection.credential);
  };
  return {
    incidents: client(TABLE_NAMES.incidents),
    audit: client(TABLE_NAMES.audit),
    botState: client(TABLE_NAMES.botState),
  };
}
