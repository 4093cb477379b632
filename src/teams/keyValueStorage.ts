import type { Storage, StoreItems } from 'botbuilder';
import type { Json, KeyValueStore } from '../store/types';

/** Bot state written concurrently by another turn (or another bot instance): botbuilder retries the turn. */
export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`Bot state "${key}" was changed by someone else; the write was refused.`);
    this.name = 'StorageConflictError';
  }
}

const STATE_PREFIX = 'botstate/';

/**
 * botbuilder Storage over the project's key-value store (SQLite by default), so bot state,
 * dialog state and the card registry survive restarts. eTags are honoured: '*' or none
 * writes unconditionally, anything else only if nobody wrote since.
 */
export class KeyValueStorage implements Storage {
  constructor(private readonly store: KeyValueStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const entry = await this.store.getItem(STATE_PREFIX + key);
      if (entry === undefined) continue;
      const value = entry.value;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        items[key] = { ...value, eTag: entry.eTag };
      }
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as Record<string, unknown>;
      const expected = typeof eTag === 'string' && eTag !== '*' ? eTag : undefined;
      // JSON round trip: botbuilder state holds only plain data, and the store takes Json.
      const json = JSON.parse(JSON.stringify(value)) as Json;
      const written = await this.store.setItem(STATE_PREFIX + key, json, expected);
      if (written === undefined) throw new StorageConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.deleteItem(STATE_PREFIX + key);
  }
}
