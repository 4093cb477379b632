import { odata } from '@azure/data-tables';
import type { TableClient } from '@azure/data-tables';
import { collect, readEntity, stringColumn } from './entities';
import { INCIDENT_INDEX_PARTITION, incidentIndexRow } from './keys';
import { HTTP_CONFLICT, hasStatus } from './tableErrors';

/** One index row per incident: its target (and so its partition) and its group. */
export interface IndexRow {
  incidentId: string;
  targetId: string;
}

/**
 * The incident → target index (one small partition): incidents live in their target's partition,
 * so every read by incident id starts here. Incident → target never changes once written, so the
 * lookup is cached for the process.
 */
export class IncidentIndex {
  private readonly targetByIncident = new Map<string, string>();

  constructor(private readonly table: TableClient) {}

  /** Written before the incident itself: an index row without its incident is harmless. */
  async add(incidentId: string, targetId: string, groupId: string): Promise<void> {
    try {
      await this.table.createEntity({
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

  async targetOf(incidentId: string): Promise<string | undefined> {
    const cached = this.targetByIncident.get(incidentId);
    if (cached !== undefined) return cached;
    const entity = await readEntity(this.table, INCIDENT_INDEX_PARTITION, incidentIndexRow(incidentId));
    if (!entity) return undefined;
    const targetId = stringColumn(entity, 'targetId');
    this.targetByIncident.set(incidentId, targetId);
    return targetId;
  }

  /** The incidents one request opened together, with their targets: one query of the index partition. */
  async ofGroup(groupId: string): Promise<IndexRow[]> {
    const rows = await collect(
      this.table.listEntities({
        queryOptions: {
          filter: odata`PartitionKey eq ${INCIDENT_INDEX_PARTITION} and groupId eq ${groupId}`,
        },
      }),
    );
    return rows.map((row) => ({ incidentId: String(row.rowKey), targetId: stringColumn(row, 'targetId') }));
  }
}
