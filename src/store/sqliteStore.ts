import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { STEP_IDS } from '../remediation/contract';
import type { StepId, StepStatus } from '../remediation/contract';
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
} from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY,
  target_id TEXT NOT NULL,
  is_open INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  data TEXT NOT NULL
);
-- One open incident per target: a second request joins the first.
CREATE UNIQUE INDEX IF NOT EXISTS incidents_one_open_per_target ON incidents(target_id) WHERE is_open = 1;
-- The incidents of one group, read on every group-card refresh (an expression index: no migration).
CREATE INDEX IF NOT EXISTS incidents_by_group ON incidents(json_extract(data, '$.groupId'));
CREATE TABLE IF NOT EXISTS steps (
  incident_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id)
);
CREATE TABLE IF NOT EXISTS action_states (
  incident_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  action_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id, action_id, kind)
);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_incident ON audit(incident_id, seq);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  etag TEXT NOT NULL
);
-- Append-only: the audit log is evidence.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;

interface DataRow {
  data: string;
}

function isOpen(status: IncidentRecord['status']): boolean {
  return status === 'awaiting-approval' || status === 'open';
}

function stepOrder(stepId: StepId): number {
  return STEP_IDS.indexOf(stepId);
}

function parse<T>(row: DataRow): T {
  return JSON.parse(row.data) as T;
}

export interface SqliteStoreOptions {
  /** A database file path, or ':memory:' for tests. */
  filename: string;
}

/**
 * better-sqlite3 is synchronous, so each method body runs atomically within the process;
 * cross-process safety comes from SQLite's own locking (WAL) and the version checks.
 */
export class SqliteStore implements Store {
  private readonly db: SqliteDatabase;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') {
      fs.mkdirSync(path.dirname(options.filename), { recursive: true });
    }
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  async createIncident(incident: IncidentRecord, steps: StepRecord[]): Promise<CreateIncidentResult> {
    const insert = this.db.transaction((): CreateIncidentResult => {
      const existing = this.db
        .prepare('SELECT id FROM incidents WHERE target_id = ? AND is_open = 1')
        .get(incident.target.id) as { id: string } | undefined;
      if (existing && isOpen(incident.status)) return { created: false, existingIncidentId: existing.id };
      this.db
        .prepare(
          'INSERT INTO incidents (id, target_id, is_open, version, created_at, data) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(
          incident.id,
          incident.target.id,
          isOpen(incident.status) ? 1 : 0,
          incident.version,
          incident.createdAt,
          JSON.stringify(incident),
        );
      const insertStep = this.db.prepare(
        'INSERT INTO steps (incident_id, step_id, version, data) VALUES (?, ?, ?, ?)',
      );
      for (const step of steps)
        insertStep.run(step.incidentId, step.stepId, step.version, JSON.stringify(step));
      return { created: true };
    });
    return insert.immediate();
  }

  async getIncident(incidentId: string): Promise<IncidentRecord | undefined> {
    const row = this.db.prepare('SELECT data FROM incidents WHERE id = ?').get(incidentId) as
      DataRow | undefined;
    return row ? parse<IncidentRecord>(row) : undefined;
  }

  async findOpenIncidentForTarget(targetId: string): Promise<IncidentRecord | undefined> {
    const row = this.db
      .prepare('SELECT data FROM incidents WHERE target_id = ? AND is_open = 1')
      .get(targetId) as DataRow | undefined;
    return row ? parse<IncidentRecord>(row) : undefined;
  }

  async listIncidents(filter: IncidentFilter = {}): Promise<IncidentRecord[]> {
    const clauses: string[] = [];
    const params: string[] = [];
    if (filter.openOnly) clauses.push('is_open = 1');
    if (filter.targetId !== undefined) {
      clauses.push('target_id = ?');
      params.push(filter.targetId);
    }
    if (filter.groupId !== undefined) {
      clauses.push("json_extract(data, '$.groupId') = ?");
      params.push(filter.groupId);
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT data FROM incidents ${where} ORDER BY created_at, id`)
      .all(...params) as DataRow[];
    return rows.map((row) => parse<IncidentRecord>(row));
  }

  async updateIncident(incident: IncidentRecord, expectedVersion: number): Promise<boolean> {
    const next: IncidentRecord = { ...incident, version: expectedVersion + 1 };
    const result = this.db
      .prepare('UPDATE incidents SET is_open = ?, version = ?, data = ? WHERE id = ? AND version = ?')
      .run(isOpen(next.status) ? 1 : 0, next.version, JSON.stringify(next), incident.id, expectedVersion);
    return result.changes === 1;
  }

  async getStep(incidentId: string, stepId: StepId): Promise<StepRecord | undefined> {
    const row = this.db
      .prepare('SELECT data FROM steps WHERE incident_id = ? AND step_id = ?')
      .get(incidentId, stepId) as DataRow | undefined;
    return row ? parse<StepRecord>(row) : undefined;
  }

  async listSteps(incidentId: string): Promise<StepRecord[]> {
    const rows = this.db.prepare('SELECT data FROM steps WHERE incident_id = ?').all(incidentId) as DataRow[];
    return rows
      .map((row) => parse<StepRecord>(row))
      .sort((a, b) => stepOrder(a.stepId) - stepOrder(b.stepId));
  }

  async updateStep(step: StepRecord, expectedVersion: number): Promise<boolean> {
    const next: StepRecord = { ...step, version: expectedVersion + 1 };
    const result = this.db
      .prepare('UPDATE steps SET version = ?, data = ? WHERE incident_id = ? AND step_id = ? AND version = ?')
      .run(next.version, JSON.stringify(next), step.incidentId, step.stepId, expectedVersion);
    return result.changes === 1;
  }

  async transitionStep(
    incidentId: string,
    stepId: StepId,
    from: StepStatus | StepStatus[],
    to: StepStatus,
    patch: Partial<Omit<StepRecord, 'incidentId' | 'stepId' | 'status' | 'version'>> = {},
  ): Promise<boolean> {
    const allowed = Array.isArray(from) ? from : [from];
    const transition = this.db.transaction((): boolean => {
      const row = this.db
        .prepare('SELECT data FROM steps WHERE incident_id = ? AND step_id = ?')
        .get(incidentId, stepId) as DataRow | undefined;
      if (!row) return false;
      const current = parse<StepRecord>(row);
      if (!allowed.includes(current.status)) return false;
      const next: StepRecord = { ...current, ...patch, status: to, version: current.version + 1 };
      this.db
        .prepare(
          'UPDATE steps SET version = ?, data = ? WHERE incident_id = ? AND step_id = ? AND version = ?',
        )
        .run(next.version, JSON.stringify(next), incidentId, stepId, current.version);
      return true;
    });
    return transition.immediate();
  }

  async getActionState(
    incidentId: string,
    stepId: StepId,
    actionId: string,
    kind: ActionStateRecord['kind'],
  ): Promise<ActionStateRecord | undefined> {
    const row = this.db
      .prepare(
        'SELECT data FROM action_states WHERE incident_id = ? AND step_id = ? AND action_id = ? AND kind = ?',
      )
      .get(incidentId, stepId, actionId, kind) as DataRow | undefined;
    return row ? parse<ActionStateRecord>(row) : undefined;
  }

  async checkpointAction(state: ActionStateRecord, audit: AuditEvent): Promise<void> {
    const write = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO action_states (incident_id, step_id, action_id, kind, data) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (incident_id, step_id, action_id, kind) DO UPDATE SET data = excluded.data`,
        )
        .run(state.incidentId, state.stepId, state.actionId, state.kind, JSON.stringify(state));
      this.insertAudit(audit);
    });
    write.immediate();
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    this.insertAudit(event);
  }

  async listAudit(incidentId?: string): Promise<StoredAuditEvent[]> {
    const rows = (
      incidentId === undefined
        ? this.db.prepare('SELECT seq, data FROM audit ORDER BY seq').all()
        : this.db.prepare('SELECT seq, data FROM audit WHERE incident_id = ? ORDER BY seq').all(incidentId)
    ) as (DataRow & { seq: number })[];
    return rows.map((row) => ({ seq: row.seq, ...parse<AuditEvent>(row) }));
  }

  async getItem(key: string): Promise<KeyValueEntry | undefined> {
    const row = this.db.prepare('SELECT value, etag FROM kv WHERE key = ?').get(key) as
      { value: string; etag: string } | undefined;
    return row ? { value: JSON.parse(row.value) as Json, eTag: row.etag } : undefined;
  }

  async setItem(key: string, value: Json, eTag?: string): Promise<string | undefined> {
    const nextETag = randomUUID();
    const serialized = JSON.stringify(value);
    if (eTag === undefined || eTag === '*') {
      this.db
        .prepare(
          'INSERT INTO kv (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag',
        )
        .run(key, serialized, nextETag);
      return nextETag;
    }
    const result = this.db
      .prepare('UPDATE kv SET value = ?, etag = ? WHERE key = ? AND etag = ?')
      .run(serialized, nextETag, key, eTag);
    return result.changes === 1 ? nextETag : undefined;
  }

  async createItem(key: string, value: Json): Promise<string | undefined> {
    const eTag = randomUUID();
    const result = this.db
      .prepare('INSERT INTO kv (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING')
      .run(key, JSON.stringify(value), eTag);
    return result.changes === 1 ? eTag : undefined;
  }

  async deleteItem(key: string, eTag?: string): Promise<boolean> {
    if (eTag === undefined || eTag === '*') {
      this.db.prepare('DELETE FROM kv WHERE key = ?').run(key);
      return true;
    }
    const existing = this.db.prepare('SELECT etag FROM kv WHERE key = ?').get(key) as
      { etag: string } | undefined;
    if (!existing) return true;
    return this.db.prepare('DELETE FROM kv WHERE key = ? AND etag = ?').run(key, eTag).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private insertAudit(event: AuditEvent): void {
    this.db
      .prepare('INSERT INTO audit (incident_id, data) VALUES (?, ?)')
      .run(event.incidentId ?? null, JSON.stringify(event));
  }
}

export const DATABASE_FILE_NAME = 'remediator.db';

/** The default store: one SQLite file (WAL) in the configured data folder, or in memory for tests. */
export function createSqliteStore(options: { dataDir: string } | { inMemory: true }): Store {
  if ('inMemory' in options) return new SqliteStore({ filename: ':memory:' });
  return new SqliteStore({ filename: path.join(options.dataDir, DATABASE_FILE_NAME) });
}
