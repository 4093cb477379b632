import { createHash } from 'node:crypto';
import type { StepId } from '../../remediation/contract';
import type { ActionStateRecord } from '../types';

/**
 * Table Storage keys may not hold '/', '\', '#', '?' or control characters, and our row
 * keys use '|' as a separator: everything outside a small safe set is percent-encoded, so
 * two different ids can never map to the same key and a prefix query never matches a
 * longer id by accident.
 */
export function escapeKey(value: string): string {
  return value.replace(/[^A-Za-z0-9\-_.~:@=]/gu, (character) =>
    [...Buffer.from(character, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

/** Keys are limited to 1 KiB; ids in this product are GUIDs or short slugs, so a long one is a bug. */
const MAX_ID_KEY_LENGTH = 256;

function idKey(value: string, what: string): string {
  const escaped = escapeKey(value);
  if (escaped.length === 0 || escaped.length > MAX_ID_KEY_LENGTH) {
    throw new RangeError(`${what} must be 1-${MAX_ID_KEY_LENGTH} characters once escaped`);
  }
  return escaped;
}

/** The partition holding everything about one target: its incidents, their steps, the open-incident lock. */
export function targetPartition(targetId: string): string {
  return `target|${idKey(targetId, 'target id')}`;
}

/** Bounds of every target partition, for queries across targets. */
export const TARGET_PARTITIONS = { from: 'target|', to: 'target}' } as const;

/** Incident id → target id, so a point read finds the target partition from the incident id alone. */
export const INCIDENT_INDEX_PARTITION = 'incident-index';

export function incidentIndexRow(incidentId: string): string {
  return idKey(incidentId, 'incident id');
}

/** At most one per target partition: whichever create gets it first owns "the open incident". */
export const OPEN_INCIDENT_LOCK_ROW = 'open-incident';

export const INCIDENT_ROWS = { from: 'incident|', to: 'incident}' } as const;

export function incidentRow(incidentId: string): string {
  return `incident|${idKey(incidentId, 'incident id')}`;
}

export function stepRows(incidentId: string): { from: string; to: string } {
  const prefix = `step|${idKey(incidentId, 'incident id')}`;
  return { from: `${prefix}|`, to: `${prefix}}` };
}

export function stepRow(incidentId: string, stepId: StepId): string {
  return `${stepRows(incidentId).from}${idKey(stepId, 'step id')}`;
}

/**
 * The audit log, its counter and the action checkpoints share one partition, because a
 * Table Storage transaction cannot span partitions and each of them must be written
 * atomically with an audit event.
 */
export const AUDIT_PARTITION = 'log';
export const AUDIT_COUNTER_ROW = 'counter';
export const AUDIT_EVENT_ROWS = { from: 'event|', to: 'event}' } as const;

/** Zero-padded so that row-key order is seq order (16 digits cover Number.MAX_SAFE_INTEGER). */
export function auditEventRow(seq: number): string {
  return `event|${String(seq).padStart(16, '0')}`;
}

export function actionStateRow(
  incidentId: string,
  stepId: StepId,
  actionId: string,
  kind: ActionStateRecord['kind'],
): string {
  return [
    'action',
    idKey(incidentId, 'incident id'),
    idKey(stepId, 'step id'),
    idKey(actionId, 'action id'),
    kind,
  ].join('|');
}

/** Key-value entries get one partition each: no two keys ever share a transaction. */
export const KEY_VALUE_ROW = 'item';

/** Bot-state keys can be long (channel/conversation/user); over the limit they are hashed. */
const MAX_KEY_VALUE_PARTITION_LENGTH = 512;

export function keyValuePartition(key: string): string {
  const escaped = `kv|${escapeKey(key)}`;
  if (escaped.length <= MAX_KEY_VALUE_PARTITION_LENGTH) return escaped;
  return `kv-sha256|${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
