/**
 * Table Storage limits a string property to 64 KiB (32 Ki UTF-16 code units) and an entity
 * to 1 MiB, so a record's JSON is spread over numbered string columns json0, json1, …
 */
export const JSON_CHUNK_LENGTH = 30_000;
/** 15 chunks × 30,000 characters × 2 bytes (UTF-16) = 900,000 bytes: under 1 MiB with room for the key columns. */
export const MAX_JSON_CHUNKS = 15;

export class EntityTooLargeError extends Error {
  constructor(
    readonly what: string,
    readonly length: number,
  ) {
    super(
      `${what} is ${length} characters of JSON; an Azure Table entity holds at most ${JSON_CHUNK_LENGTH * MAX_JSON_CHUNKS}`,
    );
    this.name = 'EntityTooLargeError';
  }
}

export type JsonColumns = Record<string, string | number>;

/**
 * The JSON is made pure ASCII (every non-ASCII character as a \uXXXX escape, which
 * JSON.parse reads back unchanged): a column's size is then known exactly, a chunk boundary
 * can never split a character, and no layer in between (Azurite splits multi-byte
 * characters that straddle 128 KiB of a request body) can corrupt it.
 */
export function toAsciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function toJsonColumns(value: unknown, what: string): JsonColumns {
  const json = toAsciiJson(value);
  const chunks = Math.max(1, Math.ceil(json.length / JSON_CHUNK_LENGTH));
  if (chunks > MAX_JSON_CHUNKS) throw new EntityTooLargeError(what, json.length);
  const columns: JsonColumns = { jsonChunks: chunks };
  for (let index = 0; index < chunks; index += 1) {
    columns[`json${index}`] = json.slice(index * JSON_CHUNK_LENGTH, (index + 1) * JSON_CHUNK_LENGTH);
  }
  return columns;
}

export function fromJsonColumns<T>(entity: Record<string, unknown>, what: string): T {
  const chunks = entity.jsonChunks;
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1 || chunks > MAX_JSON_CHUNKS) {
    throw new Error(`${what}: stored entity has no valid jsonChunks column`);
  }
  let json = '';
  for (let index = 0; index < chunks; index += 1) {
    const part = entity[`json${index}`];
    if (typeof part !== 'string') throw new Error(`${what}: stored entity is missing column json${index}`);
    json += part;
  }
  return JSON.parse(json) as T;
}
