import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import type { AuditEvent } from '../types';
import { RETRY, retryOnContention } from '../../concurrency/retryOnContention';
import type { Attempt, ContentionRetryOptions } from '../../concurrency/retryOnContention';
import { toJsonColumns } from './jsonColumns';
import { AUDIT_COUNTER_ROW, AUDIT_PARTITION, auditEventRow } from './keys';
import { HTTP_CONFLICT, HTTP_NOT_FOUND, HTTP_PRECONDITION_FAILED, hasStatus } from './tableErrors';

type Entity = TableEntity<Record<string, unknown>>;

/** An entity of the audit partition written in the same transaction as the event (a checkpoint). */
export type CompanionEntity = Entity;

interface PendingAppend {
  columns: Entity;
  companion?: CompanionEntity;
  /** Approximate request bytes, to keep a transaction under its 4 MiB limit. */
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A transaction holds at most 100 operations; one is the counter. */
const MAX_ACTIONS_PER_TRANSACTION = 100;
/** Well under the 4 MiB transaction payload, leaving room for the multipart framing. */
const MAX_BYTES_PER_TRANSACTION = 3 * 1024 * 1024;
const ENTITY_OVERHEAD_BYTES = 1024;

function entityBytes(entity: Entity): number {
  return JSON.stringify(entity).length + ENTITY_OVERHEAD_BYTES;
}

/**
 * Appends to the audit log: a counter entity and the events (row key = zero-padded seq) in
 * one partition. Each commit is one transaction that moves the counter with If-Match and
 * inserts the events with the seqs it took, so a seq is never taken twice (the counter's
 * ETag, and the event's row key, refuse a second writer) and never taken without its event
 * (the transaction is atomic): the log is gapless across any number of processes.
 *
 * Appends queued in this process while a commit is in flight go out together in the next
 * transaction (group commit): contention on the counter is then between instances, not
 * between every concurrent caller, and seqs follow call order within an instance.
 */
export class AuditLogWriter {
  private readonly queue: PendingAppend[] = [];
  private draining = false;

  constructor(
    private readonly table: TableClient,
    private readonly retry: ContentionRetryOptions,
  ) {}

  append(event: AuditEvent, companion?: CompanionEntity): Promise<void> {
    const columns: Entity = {
      partitionKey: AUDIT_PARTITION,
      rowKey: '',
      ...(event.incidentId === undefined ? {} : { incidentId: event.incidentId }),
      ...toJsonColumns(event, 'audit event'),
    };
    const bytes = entityBytes(columns) + (companion ? entityBytes(companion) : 0);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ columns, companion, bytes, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        try {
          await this.commit(batch);
          for (const pending of batch) pending.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.reject(error);
          } else {
            // One bad append must not fail the others queued with it: retry each alone.
            for (const pending of batch) {
              await this.commit([pending]).then(pending.resolve, pending.reject);
            }
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The longest prefix of the queue that fits one transaction (always at least one append). */
  private takeBatch(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    const companionRows = new Set<string>();
    let actions = 1;
    let bytes = 0;
    for (const pending of this.queue) {
      const needed = pending.companion ? 2 : 1;
      const companionRow = pending.companion?.rowKey;
      const fits =
        actions + needed <= MAX_ACTIONS_PER_TRANSACTION &&
        bytes + pending.bytes <= MAX_BYTES_PER_TRANSACTION &&
        // A transaction may touch each entity once: a second checkpoint of the same action waits.
        (companionRow === undefined || !companionRows.has(companionRow));
      if (!fits && batch.length > 0) break;
      batch.push(pending);
      actions += needed;
      bytes += pending.bytes;
      if (companionRow !== undefined) companionRows.add(companionRow);
    }
    this.queue.splice(0, batch.length);
    return batch;
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    await retryOnContention('appendAudit', this.retry, async (): Promise<Attempt<true>> => {
      const counter = await this.readCounter();
      const first = (counter ? Number(counter.lastSeq) : 0) + 1;
      const last = first + batch.length - 1;
      const nextCounter: Entity = {
        partitionKey: AUDIT_PARTITION,
        rowKey: AUDIT_COUNTER_ROW,
        lastSeq: String(last),
      };
      const actions: TransactionAction[] = [
        counter ? ['update', nextCounter, 'Replace', { etag: counter.etag }] : ['create', nextCounter],
      ];
      batch.forEach((pending, index) => {
        const seq = first + index;
        actions.push(['create', { ...pending.columns, rowKey: auditEventRow(seq), seq: String(seq) }]);
        if (pending.companion) actions.push(['upsert', pending.companion, 'Replace']);
      });
      try {
        await this.table.submitTransaction(actions);
        return true;
      } catch (error) {
        if (hasStatus(error, HTTP_PRECONDITION_FAILED, HTTP_CONFLICT)) return RETRY;
        throw error;
      }
    });
  }

  private async readCounter(): Promise<{ lastSeq: string; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(AUDIT_PARTITION, AUDIT_COUNTER_ROW);
      if (typeof entity.lastSeq !== 'string') throw new Error('the audit counter entity has no lastSeq');
      return { lastSeq: entity.lastSeq, etag: entity.etag };
    } catch (error) {
      if (hasStatus(error, HTTP_NOT_FOUND)) return undefined;
      throw error;
    }
  }
}
