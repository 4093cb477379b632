import type { TokenCredential } from '@azure/identity';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import type { Storage } from 'botbuilder';
import type { AppConfig } from '../config/config';
import { storageCredential } from '../store/createStore';

/** Container used when AZURE_STORAGE_BOT_STATE_CONTAINER is not set (the config's default too). */
export const DEFAULT_BOT_STATE_CONTAINER = 'botstate';

export interface BotStateStorageDependencies {
  /** Overrides the Entra credential for Storage (tests, or a credential shared with the store). */
  credential?: TokenCredential;
}

/**
 * Where botbuilder keeps conversation and user state. With STORE_KIND=azure-tables every
 * instance must see the same state, so it goes to a Blob container through botbuilder's own
 * BlobsStorage (eTag-conditional writes, like the key-value store). `undefined` means "the
 * default": the project's key-value store, i.e. the SQLite file next to the incidents.
 */
export function createBotStateStorage(
  config: Pick<AppConfig, 'store' | 'botStateContainer'>,
  dependencies: BotStateStorageDependencies = {},
): Storage | undefined {
  if (config.store.kind === 'sqlite') return undefined;
  const azure = config.store.azure;
  const container = config.botStateContainer ?? DEFAULT_BOT_STATE_CONTAINER;
  if (azure.connectionString) return new BlobsStorage(azure.connectionString, container);
  if (!azure.accountName) {
    throw new Error('STORE_KIND=azure-tables needs AZURE_STORAGE_ACCOUNT_NAME or a connection string');
  }
  const containerUrl = `https://${azure.accountName}.blob.core.windows.net/${container}`;
  return new BlobsStorage(
    '',
    container,
    {},
    containerUrl,
    dependencies.credential ?? storageCredential(azure),
  );
}
