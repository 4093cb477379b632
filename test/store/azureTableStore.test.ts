import { randomBytes } from 'node:crypto';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import type { TableTransactionResponse, TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AzureTableStore,
  createAzureStoreTables,
  EntityTooLargeError,
  isLoopbackConnectionString,
  TABLE_NAMES,
} from '../../src/store/azure';
import { AuditLogWriter } from '../../src/store/azure/auditLogWriter';
import { fromJsonColumns, JSON_CHUNK_LENGTH, toJsonColumns } from '../../src/store/azure/jsonColumns';
import { escapeKey, keyValuePartition, stepRow, targetPartition } from '../../src/store/azure/keys';
import { startAzurite } from '../support/azurite';
import type { Azurite } from '../support/azurite';

/** A real client that records how many transactions it submitted. */
class RecordingTableClient extends TableClient {
  readonly transactionSizes: number[] = [];

  override submitTransaction(
    actions: TransactionAction[],
    options?: Parameters<TableClient['submitTransaction']>[1],
  ): Promise<TableTransactionResponse> {
    this.transactionSizes.push(actions.length);
    return super.submitTransaction(actions, options);
  }
}
import { incidentRecord, stepRecord } from './conformance/storeConformance';

describe('Azure Table keys', () => {
  it.each([
    ['6fcfd83a-5c4d-4305-9d50-1bed08b31e00', '6fcfd83a-5c4d-4305-9d50-1bed08b31e00'],
    ['a/b\\c#d?e', 'a%2Fb%5Cc%23d%3Fe'],
    ['pipe|and%percent', 'pipe%7Cand%25percent'],
    ['tab\there', 'tab%09here'],
    ['Ø', '%C3%98'],
  ])('escapes %j as %j, free of characters Table Storage forbids in keys', (raw, escaped) => {
    expect(escapeKey(raw)).toBe(escaped);
    expect([...escapeKey(raw)].every((character) => /[A-Za-z0-9\-_.~:@=%]/.test(character))).toBe(true);
  });

  it('keeps an id that contains the separator from matching a longer id by prefix', () => {
    expect(stepRow('a|b', 'block-sign-in').startsWith(stepRow('a', 'block-sign-in'))).toBe(false);
    expect(targetPartition('x/y')).not.toBe(targetPartition('x%2Fy'));
  });

  it('hashes a bot-state key too long for a partition key, keeping it stable', () => {
    const long = `msteams/conversations/${'x'.repeat(2000)}`;
    expect(keyValuePartition(long)).toMatch(/^kv-sha256\|[0-9a-f]{64}$/);
    expect(keyValuePartition(long)).toBe(keyValuePartition(long));
    expect(keyValuePartition(`${long}y`)).not.toBe(keyValuePartition(long));
  });

  it('refuses an id too long to be a key', () => {
    expect(() => targetPartition('t'.repeat(300))).toThrow(RangeError);
  });
});

describe('JSON columns', () => {
  it('splits JSON over 64 KiB into ASCII-only columns and reads it back unchanged', () => {
    const value = { text: 'Ærøskøbing 🚀 '.repeat(10_000), n: [1, 2, 3] };
    const columns = toJsonColumns(value, 'test');
    const chunks = columns.jsonChunks;
    expect(chunks).toBeGreaterThan(1);
    for (let index = 0; index < Number(chunks); index += 1) {
      const column = columns[`json${index}`];
      expect(typeof column === 'string' && column.length <= JSON_CHUNK_LENGTH).toBe(true);
      expect(column).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(fromJsonColumns(columns, 'test')).toEqual(value);
  });

  it('stores a small value in one column', () => {
    expect(toJsonColumns({ a: null }, 'test')).toEqual({ jsonChunks: 1, json0: '{"a":null}' });
  });

  it('refuses a value larger than one entity can hold, naming it', () => {
    expect(() => toJsonColumns({ text: 'x'.repeat(500_000) }, 'step inbox-rules')).toThrow(
      /step inbox-rules is \d+ characters of JSON/,
    );
  });

  it('reports a damaged entity instead of returning half a record', () => {
    expect(() => fromJsonColumns({ jsonChunks: 2, json0: '{"a":' }, 'incident')).toThrow(/json1/);
    expect(() => fromJsonColumns({}, 'incident')).toThrow(/jsonChunks/);
  });
});

describe('connection strings', () => {
  it.each([
    ['UseDevelopmentStorage=true', true],
    ['DefaultEndpointsProtocol=http;AccountName=a;AccountKey=k;TableEndpoint=http://127.0.0.1:10002/a', true],
    ['AccountName=a;AccountKey=k;TableEndpoint=http://localhost:10002/a', true],
    [
      'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=k;EndpointSuffix=core.windows.net',
      false,
    ],
    ['AccountName=a;AccountKey=k;TableEndpoint=http://evil.example/a', false],
  ])('allows plain http only towards loopback: %s → %s', (connectionString, loopback) => {
    expect(isLoopbackConnectionString(connectionString)).toBe(loopback);
  });

  it('reaches an account by name over https with an Entra credential', () => {
    const credential = { getToken: async () => null };
    const tables = createAzureStoreTables({ accountName: 'stcontoso01', credential });
    expect(tables.incidents.url).toBe('https://stcontoso01.table.core.windows.net');
    expect(tables.audit.tableName).toBe('audit');
  });

  it('names tables after Bicep (incidents, audit) plus botstate, behind an optional prefix', () => {
    const tables = createAzureStoreTables(
      { connectionString: 'UseDevelopmentStorage=true' },
      { tablePrefix: 'dev' },
    );
    expect([tables.incidents.tableName, tables.audit.tableName, tables.botState.tableName]).toEqual([
      `dev${TABLE_NAMES.incidents}`,
      `dev${TABLE_NAMES.audit}`,
      `dev${TABLE_NAMES.botState}`,
    ]);
    expect(() =>
      createAzureStoreTables({ connectionString: 'UseDevelopmentStorage=true' }, { tablePrefix: 'a-b' }),
    ).toThrow(RangeError);
  });
});

describe('AzureTableStore against Azurite', () => {
  let azurite: Azurite | undefined;

  beforeAll(async () => {
    azurite = await startAzurite();
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  function newStore(options: { createTables?: boolean; tablePrefix?: string } = {}) {
    if (!azurite) throw new Error('Azurite is not running');
    const tablePrefix = options.tablePrefix ?? `u${randomBytes(6).toString('hex')}`;
    const tables = createAzureStoreTables({ connectionString: azurite.connectionString }, { tablePrefix });
    return {
      store: new AzureTableStore({ tables, createTables: options.createTables }),
      tables,
      tablePrefix,
    };
  }

  function recordingAuditTable(): RecordingTableClient {
    if (!azurite) throw new Error('Azurite is not running');
    return new RecordingTableClient(
      azurite.tableEndpoint,
      `a${randomBytes(6).toString('hex')}`,
      new AzureNamedKeyCredential(
        'devstoreaccount1',
        /AccountKey=([^;]+)/.exec(azurite.connectionString)?.[1] ?? '',
      ),
      { allowInsecureConnection: true },
    );
  }

  it('commits appends queued together in one transaction, numbered in call order', async () => {
    const table = recordingAuditTable();
    const store = new AzureTableStore({ tables: { ...newStore().tables, audit: table } });
    await store.appendAudit({ at: 'now', event: 'first', outcome: 'info' });
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        store.appendAudit({ at: 'now', event: `e${index}`, outcome: 'info' }),
      ),
    );
    const log = await store.listAudit();
    expect(log.map((event) => event.event)).toEqual([
      'first',
      ...Array.from({ length: 30 }, (_, index) => `e${index}`),
    ]);
    expect(log.map((event) => event.seq)).toEqual(Array.from({ length: 31 }, (_, index) => index + 1));
    // One transaction for the first append, then the 30 queued ones together (counter + 30 events).
    expect(table.transactionSizes).toEqual([2, 1 + 1, 1 + 29]);
  });

  it('keeps two checkpoints of the same action in separate transactions, in order', async () => {
    const { store } = newStore();
    const state = {
      incidentId: 'i1',
      stepId: 'inbox-rules' as const,
      actionId: 'rule-1',
      kind: 'execute' as const,
      requestIds: [],
      at: 'now',
    };
    await Promise.all([
      store.checkpointAction(
        { ...state, phase: 'intent' },
        { at: 'now', incidentId: 'i1', event: 'intent', outcome: 'info' },
      ),
      store.checkpointAction(
        { ...state, phase: 'done' },
        { at: 'now', incidentId: 'i1', event: 'done', outcome: 'ok' },
      ),
    ]);
    expect((await store.getActionState('i1', 'inbox-rules', 'rule-1', 'execute'))?.phase).toBe('done');
    expect((await store.listAudit('i1')).map((event) => `${event.seq}:${event.event}`)).toEqual([
      '1:intent',
      '2:done',
    ]);
  });

  it('fails only the bad append of a batch, leaving the log gapless', async () => {
    const table = recordingAuditTable();
    await table.createTable();
    const writer = new AuditLogWriter(table, { timeoutInMs: 5_000 });
    await writer.append({ at: 'now', event: 'warm-up', outcome: 'info' });
    // A companion outside the audit partition cannot join the transaction.
    const results = await Promise.allSettled([
      writer.append({ at: 'now', event: 'a', outcome: 'info' }),
      writer.append({ at: 'now', event: 'bad', outcome: 'info' }, { partitionKey: 'elsewhere', rowKey: 'x' }),
      writer.append({ at: 'now', event: 'c', outcome: 'info' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const store = new AzureTableStore({
      tables: { ...newStore().tables, audit: table },
      createTables: false,
    });
    expect((await store.listAudit()).map((event) => `${event.seq}:${event.event}`)).toEqual([
      '1:warm-up',
      '2:a',
      '3:c',
    ]);
  });

  it('refuses a record too large for one entity before writing anything', async () => {
    const { store } = newStore();
    await expect(store.setItem('huge', 'x'.repeat(600_000))).rejects.toThrow(EntityTooLargeError);
    expect(await store.getItem('huge')).toBeUndefined();
    const id = 'too-large';
    const huge = stepRecord(id, 'inbox-rules', { manualGuidance: 'x'.repeat(600_000) });
    await expect(store.createIncident(incidentRecord(id, 'target-huge'), [huge])).rejects.toThrow(
      EntityTooLargeError,
    );
    expect(await store.findOpenIncidentForTarget('target-huge')).toBeUndefined();
  });

  it('uses tables provisioned ahead when told not to create them', async () => {
    const { store, tables } = newStore({ createTables: false });
    await expect(store.appendAudit({ at: 'now', event: 'x', outcome: 'info' })).rejects.toMatchObject({
      statusCode: 404,
    });
    for (const table of Object.values(tables)) await table.createTable();
    await store.appendAudit({ at: 'now', event: 'x', outcome: 'info' });
    expect((await store.listAudit()).map((event) => event.seq)).toEqual([1]);
  });

  it('keeps an audit event and its action checkpoint in one partition, written together', async () => {
    const { store, tables } = newStore();
    await store.checkpointAction(
      {
        incidentId: 'i1',
        stepId: 'auth-methods',
        actionId: 'phone',
        kind: 'execute',
        phase: 'intent',
        requestIds: [],
        at: 'now',
      },
      { at: 'now', incidentId: 'i1', event: 'action.intent', outcome: 'info' },
    );
    const rows: string[] = [];
    for await (const entity of tables.audit.listEntities())
      rows.push(`${entity.partitionKey}/${entity.rowKey}`);
    expect(rows.sort()).toEqual([
      'log/action|i1|auth-methods|phone|execute',
      'log/counter',
      'log/event|0000000000000001',
    ]);
  });

  it('closing an incident releases the target for the next one, with no lock left behind', async () => {
    const { store, tables } = newStore();
    const target = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
    await store.createIncident(incidentRecord('first', target), []);
    const lockOf = async () => {
      try {
        return (await tables.incidents.getEntity(targetPartition(target), 'open-incident')).incidentId;
      } catch {
        return undefined;
      }
    };
    expect(await lockOf()).toBe('first');
    const first = await store.getIncident('first');
    if (!first) throw new Error('missing');
    await store.updateIncident({ ...first, status: 'completed' }, first.version);
    expect(await lockOf()).toBeUndefined();
    await store.createIncident(incidentRecord('second', target), []);
    expect(await lockOf()).toBe('second');
  });

  it('reads the incident index written by another instance (nothing cached)', async () => {
    const { store, tablePrefix } = newStore();
    await store.createIncident(incidentRecord('shared', 'target-shared'), [
      stepRecord('shared', 'block-sign-in'),
    ]);
    const other = newStore({ tablePrefix }).store;
    expect((await other.getIncident('shared'))?.target.id).toBe('target-shared');
    expect(await other.transitionStep('shared', 'block-sign-in', 'pending', 'approved')).toBe(true);
  });

  it('never lets one incident id be reused for another target', async () => {
    const { store } = newStore();
    await store.createIncident(incidentRecord('dup', 'target-a'), []);
    await expect(store.createIncident(incidentRecord('dup', 'target-b'), [])).rejects.toThrow(
      /another target/,
    );
  });

  it('is reachable through a plain TableClient for operators (one table per kind)', async () => {
    const { store, tablePrefix } = newStore();
    await store.setItem('conversation/1', { turn: 1 });
    if (!azurite) throw new Error('Azurite is not running');
    const botState = TableClient.fromConnectionString(azurite.connectionString, `${tablePrefix}botstate`, {
      allowInsecureConnection: true,
    });
    const keys: unknown[] = [];
    for await (const entity of botState.listEntities()) keys.push(entity.key);
    expect(keys).toEqual(['conversation/1']);
  });
});
