import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config';
import { AzureTableStore, createAzureStoreTables } from './azure';
import type { AzureTablesConnection } from './azure';
import { createSqliteStore } from './sqliteStore';
import type { Store } from './types';

export interface CreateStoreDependencies {
  /** Overrides the Entra credential for Storage (tests, or a credential shared with other clients). */
  credential?: TokenCredential;
}

/**
 * The store the configuration asks for: SQLite in DATA_DIR by default, or Azure Table
 * Storage (STORE_KIND=azure-tables) when several instances must share state.
 */
export function createStore(
  config: Pick<AppConfig, 'dataDir' | 'store'>,
  dependencies: CreateStoreDependencies = {},
): Store {
  if (config.store.kind === 'sqlite') return createSqliteStore({ dataDir: config.dataDir });
  return new AzureTableStore({
    tables: createAzureStoreTables(azureConnection(config.store.azure, dependencies), {
      tablePrefix: config.store.azure.tablePrefix,
    }),
  });
}

function azureConnection(
  azure: AppConfig['store']['azure'],
  dependencies: CreateStoreDependencies,
): AzureTablesConnection {
  if (azure.connectionString) return { connectionString: azure.connectionString };
  if (!azure.accountName) {
    throw new Error('STORE_KIND=azure-tables needs AZURE_STORAGE_ACCOUNT_NAME or a connection string');
  }
  return { accountName: azure.accountName, credential: dependencies.credential ?? storageCredential(azure) };
}

/**
 * In Azure the user-assigned identity is named explicitly, so no other credential in the
 * chain can be picked up by accident; elsewhere (a developer's az login) the default chain.
 */
export function storageCredential(azure: AppConfig['store']['azure']): TokenCredential {
  return azure.managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: azure.managedIdentityClientId })
    : new DefaultAzureCredential();
}
