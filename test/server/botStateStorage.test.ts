import { BlobsStorage } from 'botbuilder-azure-blobs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { createBotStateStorage } from '../../src/server/botStateStorage';

/** Which botbuilder Storage holds conversation state, per configuration (no network: nothing is read). */
describe('bot state storage', () => {
  it('is left to the key-value store (SQLite) by default', () => {
    expect(createBotStateStorage(loadConfig({}))).toBeUndefined();
  });

  it('is a Blob container beside Azure Tables, named by AZURE_STORAGE_BOT_STATE_CONTAINER', () => {
    const config = loadConfig({
      STORE_KIND: 'azure-tables',
      SECRET_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      AZURE_STORAGE_BOT_STATE_CONTAINER: 'state-blue',
    });
    expect(config.botStateContainer).toBe('state-blue');
    expect(createBotStateStorage(config)).toBeInstanceOf(BlobsStorage);
  });

  it('reaches the account by name with an Entra credential when there is no connection string', () => {
    const config = loadConfig({ STORE_KIND: 'azure-tables', AZURE_STORAGE_ACCOUNT_NAME: 'remediatorprod' });
    const credential = {
      getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    expect(createBotStateStorage(config, { credential })).toBeInstanceOf(BlobsStorage);
  });

  it('defaults the container to botstate (the one Bicep provisions) and refuses invalid names', () => {
    expect(loadConfig({}).botStateContainer).toBe('botstate');
    expect(() => loadConfig({ AZURE_STORAGE_BOT_STATE_CONTAINER: 'Bot_State' })).toThrow(/container/);
  });
});
