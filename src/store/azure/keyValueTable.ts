import type { TableClient } from '@azure/data-tables';
import type { Json, KeyValueEntry } from '../types';
import { readEntity } from './entities';
import type { Entity } from './entities';
import { fromJsonColumns, toJsonColumns } from './jsonColumns';
import { KEY_VALUE_ROW, keyValuePartition } from './keys';
import { HTTP_CONFLICT, HTTP_NOT_FOUND, HTTP_PRECONDITION_FAILED, hasStatus } from './tableErrors';

/** Table Storage ETags are weak validators, `W/"datetime'…'"`. */
function looksLikeTableETag(eTag: string): boolean {
  return /^W\/".+"$/.test(eTag);
}

function requireETag(response: { etag?: string }): string {
  if (!response.etag) throw new Error('Table Storage answered a write without an ETag');
  return response.etag;
}

/** Key-value state for the bot (one partition per key); the entity's ETag is the entry's eTag. */
export class KeyValueTable {
  constructor(private readonly table: TableClient) {}

  async getItem(key: string): Promise<KeyValueEntry | undefined> {
    const entity = await readEntity(this.table, keyValuePartition(key), KEY_VALUE_ROW);
    if (!entity) return undefined;
    return { value: fromJsonColumns<Json>(entity, 'key-value entry'), eTag: entity.etag };
  }

  async setItem(key: string, value: Json, eTag?: string): Promise<string | undefined> {
    const entity = this.entity(key, value);
    if (eTag === undefined || eTag === '*') {
      return requireETag(await this.table.upsertEntity(entity, 'Replace'));
    }
    // Table Storage rejects a malformed If-Match with 400; such an eTag can match nothing.
    if (!looksLikeTableETag(eTag)) return undefined;
    try {
      return requireETag(await this.table.updateEntity(entity, 'Replace', { etag: eTag }));
    } catch (error) {
      if (hasStatus(error, HTTP_PRECONDITION_FAILED, HTTP_NOT_FOUND)) return undefined;
      throw error;
    }
  }

  async createItem(key: string, value: Json): Promise<string | undefined> {
    try {
      return requireETag(await this.table.createEntity(this.entity(key, value)));
    } catch (error) {
      if (hasStatus(error, HTTP_CONFLICT)) return undefined;
      throw error;
    }
  }

  async deleteItem(key: string, eTag?: string): Promise<boolean> {
    if (eTag !== undefined && eTag !== '*' && !looksLikeTableETag(eTag)) {
      return (await readEntity(this.table, keyValuePartition(key), KEY_VALUE_ROW)) === undefined;
    }
    try {
      await this.table.deleteEntity(keyValuePartition(key), KEY_VALUE_ROW, {
        etag: eTag === undefined ? '*' : eTag,
      });
      return true;
    } catch (error) {
      if (hasStatus(error, HTTP_NOT_FOUND)) return true;
      if (hasStatus(error, HTTP_PRECONDITION_FAILED)) return false;
      throw error;
    }
  }

  private entity(key: string, value: Json): Entity {
    return {
      partitionKey: keyValuePartition(key),
      rowKey: KEY_VALUE_ROW,
      key,
      ...toJsonColumns(value, `key-value entry ${key}`),
    };
  }
}
