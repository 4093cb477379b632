import { odata } from '@azure/data-tables';
import type { TableClient } from '@azure/data-tables';
import type { ContentionRetryOptions } from '../../concurrency/retryOnContention';
import type { StepId } from '../../remediation/contract';
import type { ActionStateRecord, AuditEvent, StoredAuditEvent } from '../types';
import { AuditLogWriter } from './auditLogWriter';
import { collect, readEntity, stringColumn } from './entities';
import { fromJsonColumns, toJsonColumns } from './jsonColumns';
import { actionStateRow, AUDIT_EVENT_ROWS, AUDIT_PARTITION } from './keys';

/**
 * The audit log and the action checkpoints, in one partition so a checkpoint commits in the same
 * transaction as its audit event (AuditLogWriter numbers and batches the appends).
 */
export class AuditTable {
  private readonly log: AuditLogWriter;

  constructor(
    private readonly table: TableClient,
    retry: ContentionRetryOptions,
  ) {
    this.log = new AuditLogWriter(table, retry);
  }

  async getActionState(
    incidentId: string,
    stepId: StepId,
    actionId: string,
    kind: ActionStateRecord['kind'],
  ): Promise<ActionStateRecord | undefined> {
    const entity = await readEntity(
      this.table,
      AUDIT_PARTITION,
      actionStateRow(incidentId, stepId, actionId, kind),
    );
    return entity ? fromJsonColumns<ActionStateRecord>(entity, 'action state') : undefined;
  }

  async checkpointAction(state: ActionStateRecord, audit: AuditEvent): Promise<void> {
    await this.log.append(audit, {
      partitionKey: AUDIT_PARTITION,
      rowKey: actionStateRow(state.incidentId, state.stepId, state.actionId, state.kind),
      ...toJsonColumns(state, 'action state'),
    });
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    await this.log.append(event);
  }

  async listAudit(incidentId?: string): Promise<StoredAuditEvent[]> {
    let filter = odata`PartitionKey eq ${AUDIT_PARTITION} and RowKey ge ${AUDIT_EVENT_ROWS.from} and RowKey lt ${AUDIT_EVENT_ROWS.to}`;
    if (incidentId !== undefined) filter += ` and ${odata`incidentId eq ${incidentId}`}`;
    const entities = await collect(this.table.listEntities({ queryOptions: { filter } }));
    return entities
      .map((entity) => ({
        seq: Number(stringColumn(entity, 'seq')),
        ...fromJsonColumns<AuditEvent>(entity, 'audit event'),
      }))
      .sort((a, b) => a.seq - b.seq);
  }
}
