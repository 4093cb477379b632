import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { AzureTableStore, createAzureStoreTables } from '../../../src/store/azure';
import { startAzurite } from '../../support/azurite';
import type { Azurite } from '../../support/azurite';
import { describeStoreConformance } from './storeConformance';

let azurite: Azurite | undefined;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

// One Azurite for the file; each test gets its own tables through a unique prefix.
describeStoreConformance('AzureTableStore (Azurite)', async () => {
  if (!azurite) throw new Error('Azurite is not running');
  const connectionString = azurite.connectionString;
  const tablePrefix = `t${randomBytes(6).toString('hex')}`;
  return {
    open: () =>
      new AzureTableStore({ tables: createAzureStoreTables({ connectionString }, { tablePrefix }) }),
    dispose: async () => {
      const tables = createAzureStoreTables({ connectionString }, { tablePrefix });
      await Promise.all(Object.values(tables).map((table) => table.deleteTable()));
    },
  };
});
