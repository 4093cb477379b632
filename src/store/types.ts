/**
 * The store as the whole product uses it: the engine's storage port (src/remediation/storage.ts,
 * re-exported here for the implementations) plus conditional key-value storage for the bot's state.
 */
import type { AuditStore, IncidentStore, Json } from '../remediation/storage';

export type * from '../remediation/storage';

export interface KeyValueEntry {
  value: Json;
  eTag: string;
}

/** Conditional key-value storage (for botbuilder state): eTag '*' or undefined writes unconditionally. */
export interface KeyValueStore {
  getItem(key: string): Promise<KeyValueEntry | undefined>;
  /** Returns the new eTag, or undefined when `eTag` no longer matches (someone else wrote). */
  setItem(key: string, value: Json, eTag?: string): Promise<string | undefined>;
  /** Writes only when the key does not exist yet (first writer wins); undefined when it exists. */
  createItem(key: string, value: Json): Promise<string | undefined>;
  /** False when `eTag` no longer matches; true when deleted or already absent. */
  deleteItem(key: string, eTag?: string): Promise<boolean>;
}

export interface Store extends IncidentStore, AuditStore, KeyValueStore {
  close(): Promise<void>;
}
