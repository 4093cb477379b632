export { AzureTableStore } from './azureTableStore';
export type { AzureStoreTables, AzureTableStoreOptions } from './azureTableStore';
export { createAzureStoreTables, isLoopbackConnectionString, TABLE_NAMES } from './tableClients';
export type { AzureTableNamesOptions, AzureTablesConnection } from './tableClients';
export { EntityTooLargeError } from './jsonColumns';
