import { odata } from '@azure/data-tables';
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { STEP_IDS } from '../../remediation/contract';
import type { StepId, StepStatus } from '../../remediation/contract';
import type {
  ActionStateRecord,
  AuditEvent,
  CreateIncidentResult,
  IncidentFilter,
  IncidentRecord,
  Json,
  KeyValueEntry,
  StepRecord,
  Store,
  StoredAuditEvent,
} from '../types';
import { AuditLogWriter } from './auditLogWriter';
import { RETRY, retryOnContention } from '../../concurrency/retryOnContention';
import type { Attempt, ContentionRetryOptions } from '../../concurrency/retryOnContention';
import { fromJsonColumns, toJsonColumns } from './jsonColumns';
import {
  actionStateRow,
  AUDIT_EVENT_ROWS,
  AUDIT_PARTITION,
  INCIDENT_INDEX_PARTITION,
  INCIDENT_ROWS,
  incidentIndexRow,
  incidentRow,
  KEY_VALUE_ROW,
  keyValuePartition,
  OPEN_INCIDENT_LOCK_ROW,
  stepRow,
  stepRows,
  TARGET_PARTITIONS,
  targetPartition,
} from './keys';
import { HTTP_CONFLICT, HTTP_NOT_FOUND, HTTP_PRECONDITION_FAILED, hasStatus } from './tableErrors';

/** The three tables the store uses; see docs/SCALE.md for what lives where. */
export interface AzureStoreTables {
  /** Incidents, their steps, the per-target open-incident lock and the incident → target index. */
  incidents: TableClient;
  /** The audit log, its sequence counter and the action checkpoints (one partition). */
  audit: TableClient;
  /** Key-value entries (bot state), one partition per key. */
  botState: TableClient;
}

export interface AzureTableStoreOptions {
  tables: AzureStoreTables;
  /** Create the tables when missing (default true); false when they are provisioned ahead (Bicep). */
  createTables?: boolean;
  /** How long a write keeps retrying lost If-Match races before giving up (default 30 s). */
  contentionTimeoutInMs?: number;
}

type Entity = TableEntity<Record<string, unknown>>;
/** An entity as read back: its columns and the ETag every conditional write needs. */
type StoredEntity = Record<string, unknown> & { etag: string };

type StepPatch = Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>>;

/** A Table Storage transaction holds at most 100 operations (and 4 MiB). */
const MAX_TRANSACTION_ACTIONS = 100;

function isOpen(status: IncidentRecord['status']): boolean {
  return status === 'awaiting-approval' || status === 'open';
}

/** Code-unit order, like SQLite's default collation (localeCompare would differ on case and punctuation). */
function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stepOrder(stepId: StepId): number {
  return STEP_IDS.indexOf(stepId);
}

function stringColumn(entity: Record<string, unknown>, column: string): string {
  const value = entity[column];
  if (typeof value !== 'string') throw new Error(`stored entity has no string column ${column}`);
  return value;
}

function numberColumn(entity: Record<string, unknown>, column: string): number {
  const value = entity[column];
  if (typeof value !== 'number') throw new Error(`stored entity has no number column ${column}`);
  return value;
}

async function collect(entities: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for await (const entity of entities) all.push(entity);
  return all;
}

/**
 * The Store on Azure Table Storage, safe for several processes sharing one account:
 * every compare-and-set is a write conditional on the entity's ETag (If-Match), and every
 * write that must be atomic with another stays inside one partition so it can be a
 * Table Storage transaction (entity group transaction).
 */
export class AzureTableStore implements Store {
  private readonly tables: AzureStoreTables;
  private readonly createTables: boolean;
  private readonly retry: ContentionRetryOptions;
  private readonly auditLog: AuditLogWriter;
  /** Incident → target never changes once written, so the lookup is cached for the process. */
  private readonly targetByIncident = new Map<string, string>();
  private tablesReady: Promise<void> | undefined;
  private closed = false;

  constructor(options: AzureTableStoreOptions) {
    this.tables = options.tables;
    this.createTables = options.createTables ?? true;
    this.retry = { timeoutInMs: options.contentionTimeoutInMs ?? 30_000 };
    this.auditLog = new AuditLogWriter(this.tables.audit, this.retry);
  }

  async createIncident(incident: IncidentRecord, steps: StepRecord[]): Promise<CreateIncidentResult> {
    await this.ready();
    for (const step of steps) {
      if (step.incidentId !== incident.id) throw new Error(`step ${step.stepId} belongs to another incident`);
    }
    const partitionKey = targetPartition(incident.target.id);
    const opensIncident = isOpen(incident.status);
    const actions: TransactionAction[] = [];
    if (opensIncident) actions.push(['create', this.lockEntity(partitionKey, incident.id)]);
    actions.push(['create', this.incidentEntity(partitionKey, incident)]);
    for (const step of steps) actions.push(['create', this.stepEntity(partitionKey, step)]);
    if (actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new RangeError(`an incident can hold at most ${MAX_TRANSACTION_ACTIONS - 2} steps`);
    }
    // Only once every entity is known to fit, so a refused record leaves nothing behind.
    await this.indexIncident(incident.id, incident.target.id, incident.groupId);

    return retryOnContention(
      'createIncident',
      this.retry,
      async (): Promise<Attempt<CreateIncidentResult>> => {
        try {
          await this.tables.incidents.submitTransaction(actions);
          return { created: true };
        } catch (error) {
          if (!hasStatus(error, HTTP_CONFLICT)) throw error;
          const lock = opensIncident
            ? await this.readEntity(this.tables.incidents, partitionKey, OPEN_INCIDENT_LOCK_ROW)
            : undefined;
          if (lock) return { created: false, existingIncidentId: stringColumn(lock, 'incidentId') };
          if (await this.readEntity(this.tables.incidents, partitionKey, incidentRow(incident.id))) {
            throw new Error(`incident ${incident.id} already exists`, { cause: error });
          }
          // The open incident was closed between our attempt and the read: try again.
          return RETRY;
        }
      },
    );
  }

  async getIncident(incidentId: string): Promise<IncidentRecord | undefined> {
    await this.ready();
    const targetId = await this.targetOf(incidentId);
    if (targetId === undefined) return undefined;
    const entity = await this.readEntity(
      this.tables.incidents,
      targetPartition(targetId),
      incidentRow(incidentId),
    );
    return entity ? fromJsonColumns<IncidentRecord>(entity, 'incident') : undefined;
  }

  async findOpenIncidentForTarget(targetId: string): Promise<IncidentRecord | undefined> {
    const [open] = await this.listIncidents({ targetId, openOnly: true });
    return open;
  }

  async listIncidents(filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
    await this.ready();
    if (filter.groupId !== undefined) return this.listGroupIncidents(filter);
    const clauses = [odata`RowKey ge ${INCIDENT_ROWS.from} and RowKey lt ${INCIDENT_ROWS.to}`];
    clauses.push(
      filter.targetId === undefined
        ? odata`PartitionKey ge ${TARGET_PARTITIONS.from} and PartitionKey lt ${TARGET_PARTITIONS.to}`
        : odata`PartitionKey eq ${targetPartition(filter.targetId)}`,
    );
    if (filter.openOnly) clauses.push(odata`isOpen eq ${true}`);
    const entities = await collect(
      this.tables.incidents.listEntities({
        queryOptions: { filter: clauses.map((c) => `(${c})`).join(' and ') },
      }),
    );
    return entities
      .map((entity) => fromJsonColumns<IncidentRecord>(entity, 'incident'))
      .sort((a, b) => compareBinary(a.createdAt, b.createdAt) || compareBinary(a.id, b.id));
  }

  async updateIncident(incident: IncidentRecord, expectedVersion: number): Promise<boolean> {
    await this.ready();
    const targetId = await this.targetOf(incident.id);
    if (targetId === undefined) return false;
    const partitionKey = targetPartition(targetId);
    return retryOnContention('updateIncident', this.retry, async (): Promise<Attempt<boolean>> => {
      const current = await this.readEntity(this.tables.incidents, partitionKey, incidentRow(incident.id));
      if (!current || numberColumn(current, 'version') !== expectedVersion) return false;
      const next: IncidentRecord = { ...incident, version: expectedVersion + 1 };
      const wasOpen = current.isOpen === true;
      const willBeOpen = isOpen(next.status);
      const actions: TransactionAction[] = [
        ['update', this.incidentEntity(partitionKey, next), 'Replace', { etag: current.etag }],
      ];
      if (wasOpen && !willBeOpen) {
        const lock = await this.readEntity(this.tables.incidents, partitionKey, OPEN_INCIDENT_LOCK_ROW);
        // Only this incident's own lock is released; the If-Match on the incident above
        // guarantees nobody closed (and so re-locked) it in between.
        if (lock && lock.incidentId === incident.id) {
          actions.push(['delete', { partitionKey, rowKey: OPEN_INCIDENT_LOCK_ROW }]);
        }
      }
      if (!wasOpen && willBeOpen) actions.push(['create', this.lockEntity(partitionKey, incident.id)]);
      try {
        await this.tables.incidents.submitTransaction(actions);
        return true;
      } catch (error) {
        if (hasStatus(error, HTTP_PRECONDITION_FAILED, HTTP_NOT_FOUND)) return RETRY;
        if (hasStatus(error, HTTP_CONFLICT)) {
          throw new Error(`another incident is already open for target ${targetId}`, { cause: error });
        }
        throw error;
      }
    });
  }

  async getStep(incidentId: string, stepId: StepId): Promise<StepRecord | undefined> {
    await this.ready();
    const entity = await this.readStepEntity(incidentId, stepId);
    return entity ? fromJsonColumns<StepRecord>(entity, 'step') : undefined;
  }

  async listSteps(incidentId: string): Promise<StepRecord[]> {
    await this.ready();
    const targetId = await this.targetOf(incidentId);
    if (targetId === undefined) return [];
    const rows = stepRows(incidentId);
    const filter = odata`PartitionKey eq ${targetPartition(targetId)} and RowKey ge ${rows.from} and RowKey lt ${rows.to}`;
    const entities = await collect(this.tables.incidents.listEntities({ queryOptions: { filter } }));
    return entities
      .map((entity) => fromJsonColumns<StepRecord>(entity, 'step'))
      .sort((a, b) => stepOrder(a.stepId) - stepOrder(b.stepId));
  }

  async updateStep(step: StepRecord, expectedVersion: number): Promise<boolean> {
    await this.ready();
    return this.rewriteStep('updateStep', step.incidentId, step.stepId, (current) =>
      current.version === expectedVersion ? { ...step, version: expectedVersion + 1 } : undefined,
    );
  }

  async transitionStep(
    incidentId: string,
    stepId: StepId,
    from: StepStatus | StepStatus[],
    to: StepStatus,
    patch: StepPatch = {},
  ): Promise<boolean> {
    await this.ready();
    const allowed = Array.isArray(from) ? from : [from];
    return this.rewriteStep('transitionStep', incidentId, stepId, (current) =>
      allowed.includes(current.status)
        ? { ...current, ...patch, status: to, version: current.version + 1 }
        : undefined,
    );
  }

  async getActionState(
    incidentId: string,
    stepId: StepId,
    actionId: string,
    kind: ActionStateRecord['kind'],
  ): Promise<ActionStateRecord | undefined> {
    await this.ready();
    const entity = await this.readEntity(
      this.tables.audit,
      AUDIT_PARTITION,
      actionStateRow(incidentId, stepId, actionId, kind),
    );
    return entity ? fromJsonColumns<ActionStateRecord>(entity, 'action state') : undefined;
  }

  async checkpointAction(state: ActionStateRecord, audit: AuditEvent): Promise<void> {
    await this.ready();
    // The checkpoint lives in the audit partition so it commits in the same transaction as its event.
    await this.auditLog.append(audit, {
      partitionKey: AUDIT_PARTITION,
      rowKey: actionStateRow(state.incidentId, state.stepId, state.actionId, state.kind),
      ...toJsonColumns(state, 'action state'),
    });
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    await this.ready();
    await this.auditLog.append(event);
  }

  async listAudit(incidentId?: string): Promise<StoredAuditEvent[]> {
    await this.ready();
    let filter = odata`PartitionKey eq ${AUDIT_PARTITION} and RowKey ge ${AUDIT_EVENT_ROWS.from} and RowKey lt ${AUDIT_EVENT_ROWS.to}`;
    if (incidentId !== undefined) filter += ` and ${odata`incidentId eq ${incidentId}`}`;
    const entities = await collect(this.tables.audit.listEntities({ queryOptions: { filter } }));
    return entities
      .map((entity) => ({
        seq: Number(stringColumn(entity, 'seq')),
        ...fromJsonColumns<AuditEvent>(entity, 'audit event'),
      }))
      .sort((a, b) => a.seq - b.seq);
  }

  async getItem(key: string): Promise<KeyValueEntry | undefined> {
    await this.ready();
    const entity = await this.readEntity(this.tables.botState, keyValuePartition(key), KEY_VALUE_ROW);
    if (!entity) return undefined;
    return { value: fromJsonColumns<Json>(entity, 'key-value entry'), eTag: entity.etag };
  }

  async setItem(key: string, value: Json, eTag?: string): Promise<string | undefined> {
    await this.ready();
    const entity: Entity = {
      partitionKey: keyValuePartition(key),
      rowKey: KEY_VALUE_ROW,
      key,
      ...toJsonColumns(value, `key-value entry ${key}`),
    };
    if (eTag === undefined || eTag === '*') {
      return requireETag(await this.tables.botState.upsertEntity(entity, 'Replace'));
    }
    // Table Storage rejects a malformed If-Match with 400; such an eTag can match nothing.
    if (!looksLikeTableETag(eTag)) return undefined;
    try {
      return requireETag(await this.tables.botState.updateEntity(entity, 'Replace', { etag: eTag }));
    } catch (error) {
      if (hasStatus(error, HTTP_PRECONDITION_FAILED, HTTP_NOT_FOUND)) return undefined;
      throw error;
    }
  }

  async createItem(key: string, value: Json): Promise<string | undefined> {
    await this.ready();
    try {
      return requireETag(
        await this.tables.botState.createEntity({
          partitionKey: keyValuePartition(key),
          rowKey: KEY_VALUE_ROW,
          key,
          ...toJsonColumns(value, `key-value entry ${key}`),
        }),
      );
    } catch (error) {
      if (hasStatus(error, HTTP_CONFLICT)) return undefined;
      throw error;
    }
  }

  async deleteItem(key: string, eTag?: string): Promise<boolean> {
    await this.ready();
    if (eTag !== undefined && eTag !== '*' && !looksLikeTableETag(eTag)) {
      return (
        (await this.readEntity(this.tables.botState, keyValuePartition(key), KEY_VALUE_ROW)) === undefined
      );
    }
    try {
      await this.tables.botState.deleteEntity(keyValuePartition(key), KEY_VALUE_ROW, {
        etag: eTag === undefined ? '*' : eTag,
      });
      return true;
    } catch (error) {
      if (hasStatus(error, HTTP_NOT_FOUND)) return true;
      if (hasStatus(error, HTTP_PRECONDITION_FAILED)) return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    // The clients hold no open handles beyond pooled HTTP connections; refusing further
    // calls keeps the behaviour aligned with the SQLite store.
    this.closed = true;
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('the store is closed');
    if (!this.createTables) return;
    this.tablesReady ??= Promise.all([
      this.tables.incidents.createTable(),
      this.tables.audit.createTable(),
      this.tables.botState.createTable(),
    ]).then(
      () => undefined,
      (error: unknown) => {
        // Let the next call try again instead of caching a transient failure forever.
        this.tablesReady = undefined;
        throw error;
      },
    );
    await this.tablesReady;
  }

  /**
   * Read-modify-write of one step under If-Match. `change` sees the latest stored step and
   * returns the replacement, or undefined to refuse; a lost race re-reads and asks again,
   * so a refusal is always decided on the newest state.
   */
  private async rewriteStep(
    operation: string,
    incidentId: string,
    stepId: StepId,
    change: (current: StepRecord) => StepRecord | undefined,
  ): Promise<boolean> {
    const targetId = await this.targetOf(incidentId);
    if (targetId === undefined) return false;
    const partitionKey = targetPartition(targetId);
    return retryOnContention(operation, this.retry, async (): Promise<Attempt<boolean>> => {
      const entity = await this.readEntity(this.tables.incidents, partitionKey, stepRow(incidentId, stepId));
      if (!entity) return false;
      const next = change(fromJsonColumns<StepRecord>(entity, 'step'));
      if (!next) return false;
      try {
        await this.tables.incidents.updateEntity(
          this.stepEntity(partitionKey, { ...next, incidentId, stepId }),
          'Replace',
          { etag: entity.etag },
        );
        return true;
      } catch (error) {
        if (hasStatus(error, HTTP_PRECONDITION_FAILED)) return RETRY;
        throw error;
      }
    });
  }

  private async readStepEntity(incidentId: string, stepId: StepId): Promise<StoredEntity | undefined> {
    const targetId = await this.targetOf(incidentId);
    if (targetId === undefined) return undefined;
    return this.readEntity(this.tables.incidents, targetPartition(targetId), stepRow(incidentId, stepId));
  }

  /**
   * The incidents of one group: their index rows (one small partition) name them and their
   * targets, then each is a point read; no scan of the target partitions.
   */
  private async listGroupIncidents(filter: IncidentFilter): Promise<IncidentRecord[]> {
    const rows = await collect(
      this.tables.incidents.listEntities({
        queryOptions: {
          filter: odata`PartitionKey eq ${INCIDENT_INDEX_PARTITION} and groupId eq ${filter.groupId ?? ''}`,
        },
      }),
    );
    const incidents = await Promise.all(
      rows.map(async (row) => {
        const targetId = stringColumn(row, 'targetId');
        if (filter.targetId !== undefined && filter.targetId !== targetId) return undefined;
        const entity = await this.readEntity(
          this.tables.incidents,
          targetPartition(targetId),
          incidentRow(String(row.rowKey)),
        );
        return entity ? fromJsonColumns<IncidentRecord>(entity, 'incident') : undefined;
      }),
    );
    return incidents
      .filter((incident): incident is IncidentRecord => incident !== undefined)
      .filter((incident) => !filter.openOnly || isOpen(incident.status))
      .sort((a, b) => compareBinary(a.createdAt, b.createdAt) || compareBinary(a.id, b.id));
  }

  /** Written before the incident itself: an index row without its incident is harmless. */
  private async indexIncident(incidentId: string, targetId: string, groupId: string): Promise<void> {
    try {
      await this.tables.incidents.createEntity({
        partitionKey: INCIDENT_INDEX_PARTITION,
        rowKey: incidentIndexRow(incidentId),
        targetId,
        groupId,
      });
    } catch (error) {
      if (!hasStatus(error, HTTP_CONFLICT)) throw error;
      const existing = await this.targetOf(incidentId);
      if (existing !== targetId) {
        throw new Error(`incident ${incidentId} already exists for another target`, { cause: error });
      }
    }
    this.targetByIncident.set(incidentId, targetId);
  }

  private async targetOf(incidentId: string): Promise<string | undefined> {
    const cached = this.targetByIncident.get(incidentId);
    if (cached !== undefined) return cached;
    const entity = await this.readEntity(
      this.tables.incidents,
      INCIDENT_INDEX_PARTITION,
      incidentIndexRow(incidentId),
    );
    if (!entity) return undefined;
    const targetId = stringColumn(entity, 'targetId');
    this.targetByIncident.set(incidentId, targetId);
    return targetId;
  }

  private async readEntity(
    table: TableClient,
    partitionKey: string,
    rowKey: string,
  ): Promise<StoredEntity | undefined> {
    try {
      return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
    } catch (error) {
      if (hasStatus(error, HTTP_NOT_FOUND)) return undefined;
      throw error;
    }
  }

  private lockEntity(partitionKey: string, incidentId: string): Entity {
    return { partitionKey, rowKey: OPEN_INCIDENT_LOCK_ROW, incidentId };
  }

  private incidentEntity(partitionKey: string, incident: IncidentRecord): Entity {
    return {
      partitionKey,
      rowKey: incidentRow(incident.id),
      incidentId: incident.id,
      isOpen: isOpen(incident.status),
      version: incident.version,
      createdAt: incident.createdAt,
      ...toJsonColumns(incident, `incident ${incident.id}`),
    };
  }

  private stepEntity(partitionKey: string, step: StepRecord): Entity {
    return {
      partitionKey,
      rowKey: stepRow(step.incidentId, step.stepId),
      incidentId: step.incidentId,
      stepId: step.stepId,
      version: step.version,
      ...toJsonColumns(step, `step ${step.stepId} of incident ${step.incidentId}`),
    };
  }
}

/** Table Storage ETags are weak validators, `W/"datetime'…'"`. */
function looksLikeTableETag(eTag: string): boolean {
  return /^W\/".+"$/.test(eTag);
}

function requireETag(response: { etag?: string }): string {
  if (!response.etag) throw new Error('Table Storage answered a write without an ETag');
  return response.etag;
}
