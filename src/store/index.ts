export type * from './types';
export { createSqliteStore, DATABASE_FILE_NAME, SqliteStore } from './sqliteStore';
export { createStore } from './createStore';
export type { CreateStoreDependencies } from './createStore';
export { AzureTableStore } from './azure';
