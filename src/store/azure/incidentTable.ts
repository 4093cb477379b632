import { odata } from '@azure/data-tables';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { RETRY, retryOnContention } from '../../concurrency/retryOnContention';
import type { Attempt, ContentionRetryOptions } from '../../concurrency/retryOnContention';
import { STEP_IDS } from '../../remediation/contract';
import type { StepId, StepStatus } from '../../remediation/contract';
import type { CreateIncidentResult, IncidentFilter, IncidentRecord, StepRecord } from '../types';
import {
  collect,
  compareBinary,
  incidentEntity,
  isOpen,
  lockEntity,
  numberColumn,
  readEntity,
  stepEntity,
  stringColumn,
} from './entities';
import type { IncidentIndex } from './incidentIndex';
import { fromJsonColumns } from './jsonColumns';
import {
  INCIDENT_ROWS,
  incidentRow,
  OPEN_INCIDENT_LOCK_ROW,
  stepRow,
  stepRows,
  TARGET_PARTITIONS,
  targetPartition,
} from './keys';
import { HTTP_CONFLICT, HTTP_NOT_FOUND, HTTP_PRECONDITION_FAILED, hasStatus } from './tableErrors';

type StepPatch = Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>>;

/** A Table Storage transaction holds at most 100 operations (and 4 MiB). */
const MAX_TRANSACTION_ACTIONS = 100;

const byCreation = (a: IncidentRecord, b: IncidentRecord) =>
  compareBinary(a.createdAt, b.createdAt) || compareBinary(a.id, b.id);

/**
 * Incidents and their steps, in their target's partition: an incident, its steps and the
 * target's open-incident lock commit together (one entity-group transaction), and every update
 * is conditional on the entity's ETag (If-Match), retried with jitter when it loses a race.
 */
export class IncidentTable {
  constructor(
    private readonly table: TableClient,
    private readonly index: IncidentIndex,
    private readonly retry: ContentionRetryOptions,
  ) {}

  async createIncident(incident: IncidentRecord, steps: StepRecord[]): Promise<CreateIncidentResult> {
    for (const step of steps) {
      if (step.incidentId !== incident.id) throw new Error(`step ${step.stepId} belongs to another incident`);
    }
    const partitionKey = targetPartition(incident.target.id);
    const opensIncident = isOpen(incident.status);
    const actions: TransactionAction[] = [];
    if (opensIncident) actions.push(['create', lockEntity(partitionKey, incident.id)]);
    actions.push(['create', incidentEntity(partitionKey, incident)]);
    for (const step of steps) actions.push(['create', stepEntity(partitionKey, step)]);
    if (actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new RangeError(`an incident can hold at most ${MAX_TRANSACTION_ACTIONS - 2} steps`);
    }
    // Only once every entity is known to fit, so a refused record leaves nothing behind.
    await this.index.add(incident.id, incident.target.id, incident.groupId);

    return retryOnContention(
      'createIncident',
      this.retry,
      async (): Promise<Attempt<CreateIncidentResult>> => {
        try {
          await this.table.submitTransaction(actions);
          return { created: true };
        } catch (error) {
          if (!hasStatus(error, HTTP_CONFLICT)) throw error;
          const lock = opensIncident
            ? await readEntity(this.table, partitionKey, OPEN_INCIDENT_LOCK_ROW)
            : undefined;
          if (lock) return { created: false, existingIncidentId: stringColumn(lock, 'incidentId') };
          if (await readEntity(this.table, partitionKey, incidentRow(incident.id))) {
            throw new Error(`incident ${incident.id} already exists`, { cause: error });
          }
          // The open incident was closed between our attempt and the read: try again.
          return RETRY;
        }
      },
    );
  }

  async getIncident(incidentId: string): Promise<IncidentRecord | undefined> {
    const targetId = await this.index.targetOf(incidentId);
    if (targetId === undefined) return undefined;
    const entity = await readEntity(this.table, targetPartition(targetId), incidentRow(incidentId));
    return entity ? fromJsonColumns<IncidentRecord>(entity, 'incident') : undefined;
  }

  async listIncidents(filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
    if (filter.groupId !== undefined) return this.listGroupIncidents(filter.groupId, filter);
    const clauses = [odata`RowKey ge ${INCIDENT_ROWS.from} and RowKey lt ${INCIDENT_ROWS.to}`];
    clauses.push(
      filter.targetId === undefined
        ? odata`PartitionKey ge ${TARGET_PARTITIONS.from} and PartitionKey lt ${TARGET_PARTITIONS.to}`
        : odata`PartitionKey eq ${targetPartition(filter.targetId)}`,
    );
    if (filter.openOnly) clauses.push(odata`isOpen eq ${true}`);
    const entities = await collect(
      this.table.listEntities({ queryOptions: { filter: clauses.map((c) => `(${c})`).join(' and ') } }),
    );
    return entities.map((entity) => fromJsonColumns<IncidentRecord>(entity, 'incident')).sort(byCreation);
  }

  async updateIncident(incident: IncidentRecord, expectedVersion: number): Promise<boolean> {
    const targetId = await this.index.targetOf(incident.id);
    if (targetId === undefined) return false;
    const partitionKey = targetPartition(targetId);
    return retryOnContention('updateIncident', this.retry, async (): Promise<Attempt<boolean>> => {
      const current = await readEntity(this.table, partitionKey, incidentRow(incident.id));
      if (!current || numberColumn(current, 'version') !== expectedVersion) return false;
      const next: IncidentRecord = { ...incident, version: expectedVersion + 1 };
      const wasOpen = current.isOpen === true;
      const willBeOpen = isOpen(next.status);
      const actions: TransactionAction[] = [
        ['update', incidentEntity(partitionKey, next), 'Replace', { etag: current.etag }],
      ];
      if (wasOpen && !willBeOpen) {
        const lock = await readEntity(this.table, partitionKey, OPEN_INCIDENT_LOCK_ROW);
        // Only this incident's own lock is released; the If-Match on the incident above
        // guarantees nobody closed (and so re-locked) it in between.
        if (lock && lock.incidentId === incident.id) {
          actions.push(['delete', { partitionKey, rowKey: OPEN_INCIDENT_LOCK_ROW }]);
        }
      }
      if (!wasOpen && willBeOpen) actions.push(['create', lockEntity(partitionKey, incident.id)]);
      try {
        await this.table.submitTransaction(actions);
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
    const targetId = await this.index.targetOf(incidentId);
    if (targetId === undefined) return undefined;
    const entity = await readEntity(this.table, targetPartition(targetId), stepRow(incidentId, stepId));
    return entity ? fromJsonColumns<StepRecord>(entity, 'step') : undefined;
  }

  async listSteps(incidentId: string): Promise<StepRecord[]> {
    const targetId = await this.index.targetOf(incidentId);
    if (targetId === undefined) return [];
    const rows = stepRows(incidentId);
    const filter = odata`PartitionKey eq ${targetPartition(targetId)} and RowKey ge ${rows.from} and RowKey lt ${rows.to}`;
    const entities = await collect(this.table.listEntities({ queryOptions: { filter } }));
    return entities
      .map((entity) => fromJsonColumns<StepRecord>(entity, 'step'))
      .sort((a, b) => STEP_IDS.indexOf(a.stepId) - STEP_IDS.indexOf(b.stepId));
  }

  async updateStep(step: StepRecord, expectedVersion: number): Promise<boolean> {
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
    const allowed = Array.isArray(from) ? from : [from];
    return this.rewriteStep('transitionStep', incidentId, stepId, (current) =>
      allowed.includes(current.status)
        ? { ...current, ...patch, status: to, version: current.version + 1 }
        : undefined,
    );
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
    const targetId = await this.index.targetOf(incidentId);
    if (targetId === undefined) return false;
    const partitionKey = targetPartition(targetId);
    return retryOnContention(operation, this.retry, async (): Promise<Attempt<boolean>> => {
      const entity = await readEntity(this.table, partitionKey, stepRow(incidentId, stepId));
      if (!entity) return false;
      const next = change(fromJsonColumns<StepRecord>(entity, 'step'));
      if (!next) return false;
      try {
        await this.table.updateEntity(stepEntity(partitionKey, { ...next, incidentId, stepId }), 'Replace', {
          etag: entity.etag,
        });
        return true;
      } catch (error) {
        if (hasStatus(error, HTTP_PRECONDITION_FAILED)) return RETRY;
        throw error;
      }
    });
  }

  /**
   * The incidents of one group: their index rows (one small partition) name them and their
   * targets, then each is a point read; no scan of the target partitions.
   */
  private async listGroupIncidents(groupId: string, filter: IncidentFilter): Promise<IncidentRecord[]> {
    const rows = await this.index.ofGroup(groupId);
    const incidents = await Promise.all(
      rows.map(async ({ incidentId, targetId }) => {
        if (filter.targetId !== undefined && filter.targetId !== targetId) return undefined;
        const entity = await readEntity(this.table, targetPartition(targetId), incidentRow(incidentId));
        return entity ? fromJsonColumns<IncidentRecord>(entity, 'incident') : undefined;
      }),
    );
    return incidents
      .filter((incident): incident is IncidentRecord => incident !== undefined)
      .filter((incident) => !filter.openOnly || isOpen(incident.status))
      .sort(byCreation);
  }
}
