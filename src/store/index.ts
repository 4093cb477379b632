import path from 'node:path';
import { SqliteStore } from './sqliteStore';
import type { Store } from './types';

export type * from './types';
export { SqliteStore } from './sqliteStore';
export { createStore } from './createStore';
export type { CreateStoreDependencies } from './createStore';
export { AzureTableStore } from './azure';

export const DATABASE_FILE_NAME = 'remediator.db';

/** The default store: one SQLite file (WAL) in the configured data folder, or in memory for tests. */
export function createSqliteStore(options: { dataDir: string } | { inMemory: true }): Store {
  if ('inMemory' in options) return new SqliteStore({ filename: ':memory:' });
  return new SqliteStore({ filename: path.join(options.dataDir, DATABASE_FILE_NAME) });
}
