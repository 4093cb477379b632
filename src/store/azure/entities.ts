import type { TableClient, TableEntity } from '@azure/data-tables';
import type { IncidentRecord, StepRecord } from '../types';
import { toJsonColumns } from './jsonColumns';
import { incidentRow, OPEN_INCIDENT_LOCK_ROW, stepRow } from './keys';
import { HTTP_NOT_FOUND, hasStatus } from './tableErrors';

export type Entity = TableEntity<Record<string, unknown>>;
/** An entity as read back: its columns and the ETag every conditional write needs. */
export type StoredEntity = Record<string, unknown> & { etag: string };

export function isOpen(status: IncidentRecord['status']): boolean {
  return status === 'awaiting-approval' || status === 'open';
}

/** Code-unit order, like SQLite's default collation (localeCompare would differ on case and punctuation). */
export function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function stringColumn(entity: Record<string, unknown>, column: string): string {
  const value = entity[column];
  if (typeof value !== 'string') throw new Error(`stored entity has no string column ${column}`);
  return value;
}

export function numberColumn(entity: Record<string, unknown>, column: string): number {
  const value = entity[column];
  if (typeof value !== 'number') throw new Error(`stored entity has no number column ${column}`);
  return value;
}

export async function collect(
  entities: AsyncIterable<Record<string, unknown>>,
): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for await (const entity of entities) all.push(entity);
  return all;
}

/** A point read; undefined when the entity does not exist. */
export async function readEntity(
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

/** The per-target row that makes "one open incident per target" a unique key. */
export function lockEntity(partitionKey: string, incidentId: string): Entity {
  return { partitionKey, rowKey: OPEN_INCIDENT_LOCK_ROW, incidentId };
}

export function incidentEntity(partitionKey: string, incident: IncidentRecord): Entity {
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

export function stepEntity(partitionKey: string, step: StepRecord): Entity {
  return {
    partitionKey,
    rowKey: stepRow(step.incidentId, step.stepId),
    incidentId: step.incidentId,
    stepId: step.stepId,
    version: step.version,
    ...toJsonColumns(step, `step ${step.stepId} of incident ${step.incidentId}`),
  };
}
