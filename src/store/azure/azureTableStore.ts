import type { TableClient } from '@azure/data-tables';
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
import { AuditTable } from './auditTable';
import { IncidentIndex } from './incidentIndex';
import { IncidentTable } from './incidentTable';
import { KeyValueTable } from './keyValueTable';

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

type StepPatch = Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>>;

/**
 * The Store on Azure Table Storage, safe for several processes sharing one account:
 * every compare-and-set is a write conditional on the entity's ETag (If-Match), and every
 * write that must be atomic with another stays inside one partition so it can be a
 * Table Storage transaction (entity group transaction). One job per module: incidents and
 * steps (incidentTable.ts, over the incident index), the audit log and checkpoints
 * (auditTable.ts), key-value state (keyValueTable.ts); this class makes sure the tables exist.
 */
export class AzureTableStore implements Store {
  private readonly tables: AzureStoreTables;
  private readonly createTables: boolean;
  private readonly incidents: IncidentTable;
  private readonly audit: AuditTable;
  private readonly keyValues: KeyValueTable;
  private tablesReady: Promise<void> | undefined;
  private closed = false;

  constructor(options: AzureTableStoreOptions) {
    this.tables = options.tables;
    this.createTables = options.createTables ?? true;
    const retry = { timeoutInMs: options.contentionTimeoutInMs ?? 30_000 };
    const index = new IncidentIndex(this.tables.incidents);
    this.incidents = new IncidentTable(this.tables.incidents, index, retry);
    this.audit = new AuditTable(this.tables.audit, retry);
    this.keyValues = new KeyValueTable(this.tables.botState);
  }

  async createIncident(incident: IncidentRecord, steps: StepRecord[]): Promise<CreateIncidentResult> {
    await this.ready();
    return this.incidents.createIncident(incident, steps);
  }

  async getIncident(incidentId: string): Promise<IncidentRecord | undefined> {
    await this.ready();
    return this.incidents.getIncident(incidentId);
  }

  async findOpenIncidentForTarget(targetId: string): Promise<IncidentRecord | undefined> {
    const [open] = await this.listIncidents({ targetId, openOnly: true });
    return open;
  }

  async listIncidents(filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
    await this.ready();
    return this.incidents.listIncidents(filter);
  }

  async updateIncident(incident: IncidentRecord, expectedVersion: number): Promise<boolean> {
    await this.ready();
    return this.incidents.updateIncident(incident, expectedVersion);
  }

  async getStep(incidentId: string, stepId: StepId): Promise<StepRecord | undefined> {
    await this.ready();
    return this.incidents.getStep(incidentId, stepId);
  }

  async listSteps(incidentId: string): Promise<StepRecord[]> {
    await this.ready();
    return this.incidents.listSteps(incidentId);
  }

  async updateStep(step: StepRecord, expectedVersion: number): Promise<boolean> {
    await this.ready();
    return this.incidents.updateStep(step, expectedVersion);
  }

  async transitionStep(
    incidentId: string,
    stepId: StepId,
    from: StepStatus | StepStatus[],
    to: StepStatus,
    patch: StepPatch = {},
  ): Promise<boolean> {
    await this.ready();
    return this.incidents.transitionStep(incidentId, stepId, from, to, patch);
  }

  async getActionState(
    incidentId: string,
    stepId: StepId,
    actionId: string,
    kind: ActionStateRecord['kind'],
  ): Promise<ActionStateRecord | undefined> {
    await this.ready();
    return this.audit.getActionState(incidentId, stepId, actionId, kind);
  }

  async checkpointAction(state: ActionStateRecord, audit: AuditEvent): Promise<void> {
    await this.ready();
    await this.audit.checkpointAction(state, audit);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    await this.ready();
    await this.audit.appendAudit(event);
  }

  async listAudit(incidentId?: string): Promise<StoredAuditEvent[]> {
    await this.ready();
    return this.audit.listAudit(incidentId);
  }

  async getItem(key: string): Promise<KeyValueEntry | undefined> {
    await this.ready();
    return this.keyValues.getItem(key);
  }

  async setItem(key: string, value: Json, eTag?: string): Promise<string | undefined> {
    await this.ready();
    return this.keyValues.setItem(key, value, eTag);
  }

  async createItem(key: string, value: Json): Promise<string | undefined> {
    await this.ready();
    return this.keyValues.createItem(key, value);
  }

  async deleteItem(key: string, eTag?: string): Promise<boolean> {
    await this.ready();
    return this.keyValues.deleteItem(key, eTag);
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
}
