import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config';
import { AzureTableStore, createStore, DATABASE_FILE_NAME, SqliteStore } from '../../src/store';
import type { Store } from '../../src/store';
import { storageCredential } from '../../src/store/createStore';
import { startAzurite } from '../support/azurite';
import type { Azurite } from '../support/azurite';

const MANAGED_IDENTITY = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';

/** Records the scopes asked for; never called in these tests unless a request is made. */
class RecordingCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return null;
  }
}

const stores: Store[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function track(store: Store): Store {
  stores.push(store);
  return store;
}

describe('store configuration', () => {
  it('defaults to SQLite with every Azure setting unset, treating empty values as unset', () => {
    const config = loadConfig({
      AZURE_CLIENT_ID: '',
      AZURE_STORAGE_ACCOUNT_NAME: '',
      AZURE_STORAGE_TABLE_PREFIX: '',
    });
    expect(config.store).toEqual({
      kind: 'sqlite',
      azure: {
        connectionString: undefined,
        accountName: undefined,
        managedIdentityClientId: undefined,
        tablePrefix: undefined,
      },
    });
  });

  it('reads the Azure Tables settings Bicep provides', () => {
    const config = loadConfig({
      STORE_KIND: 'azure-tables',
      AZURE_STORAGE_ACCOUNT_NAME: 'stcontoso01',
      AZURE_CLIENT_ID: MANAGED_IDENTITY,
      AZURE_STORAGE_TABLE_PREFIX: 'prod',
    });
    expect(config.store).toEqual({
      kind: 'azure-tables',
      azure: {
        connectionString: undefined,
        accountName: 'stcontoso01',
        managedIdentityClientId: MANAGED_IDENTITY,
        tablePrefix: 'prod',
      },
    });
  });

  it.each([
    [{ STORE_KIND: 'azure-tables' }, 'AZURE_STORAGE_ACCOUNT_NAME'],
    [{ STORE_KIND: 'cosmos' }, 'STORE_KIND'],
    [{ AZURE_CLIENT_ID: 'not-a-guid' }, 'AZURE_CLIENT_ID'],
    [{ AZURE_STORAGE_ACCOUNT_NAME: 'Not_An_Account' }, 'AZURE_STORAGE_ACCOUNT_NAME'],
    [{ AZURE_STORAGE_TABLE_PREFIX: '1-bad' }, 'AZURE_STORAGE_TABLE_PREFIX'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('accepts a connection string instead of an account name', () => {
    const config = loadConfig({
      STORE_KIND: 'azure-tables',
      SECRET_AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    expect(config.store.azure.connectionString).toBe('UseDevelopmentStorage=true');
  });

  it('uses the named managed identity when there is one, the default chain otherwise', () => {
    expect(storageCredential({ managedIdentityClientId: MANAGED_IDENTITY })).toBeInstanceOf(
      ManagedIdentityCredential,
    );
    expect(storageCredential({})).toBeInstanceOf(DefaultAzureCredential);
  });
});

describe('createStore', () => {
  let azurite: Azurite | undefined;

  beforeAll(async () => {
    azurite = await startAzurite();
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  it('opens the SQLite file in DATA_DIR by default', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-create-store-'));
    dirs.push(dataDir);
    const store = track(createStore(loadConfig({ DATA_DIR: dataDir })));
    expect(store).toBeInstanceOf(SqliteStore);
    await store.setItem('k', 1);
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE_NAME))).toBe(true);
  });

  it('opens Azure Tables with the connection string, and two stores from one config share state', async () => {
    if (!azurite) throw new Error('Azurite is not running');
    const config = loadConfig({
      STORE_KIND: 'azure-tables',
      SECRET_AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_TABLE_PREFIX: 'createstore',
    });
    const first = track(createStore(config));
    const second = track(createStore(config));
    expect(first).toBeInstanceOf(AzureTableStore);
    const eTag = await first.setItem('conversation/1', { turn: 1 });
    expect(await second.getItem('conversation/1')).toEqual({ value: { turn: 1 }, eTag });
  });

  it('builds the Azure store from the account name without asking for a token before first use', () => {
    const credential = new RecordingCredential();
    const store = track(
      createStore(loadConfig({ STORE_KIND: 'azure-tables', AZURE_STORAGE_ACCOUNT_NAME: 'stcontoso01' }), {
        credential,
      }),
    );
    expect(store).toBeInstanceOf(AzureTableStore);
    expect(credential.scopes).toEqual([]);
  });
});
