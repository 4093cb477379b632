import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore, DATABASE_FILE_NAME } from '../../src/store';
import type { IncidentRecord, StepRecord, Store } from '../../src/store/types';

const stores: Store[] = [];
const dirs: string[] = [];

function memoryStore(): Store {
  const store = createSqliteStore({ inMemory: true });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function incident(
  id: string,
  targetId = 'target-1',
  status: IncidentRecord['status'] = 'open',
): IncidentRecord {
  return {
    id,
    groupId: 'g',
    target: {
      id: targetId,
      userPrincipalName: `${targetId}@contoso.com`,
      displayName: targetId,
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: false,
    },
    requester: { id: 'alex', displayName: 'Alex' },
    origin: { kind: 'cli' },
    approvals: [],
    status,
    createdAt: '2026-11-25T20:00:00.000Z',
    updatedAt: '2026-11-25T20:00:00.000Z',
    version: 1,
  };
}

function step(incidentId: string, stepId: StepRecord['stepId'] = 'block-sign-in'): StepRecord {
  return {
    incidentId,
    stepId,
    status: 'pending',
    phase: 'discovery',
    findings: [],
    candidates: [],
    actions: [],
    nothingToDo: false,
    verified: false,
    results: [],
    version: 1,
  };
}

describe('SqliteStore incidents and steps', () => {
  it('keeps one open incident per target and lets a new one open after the first closes', async () => {
    const store = memoryStore();
    expect(await store.createIncident(incident('i1'), [step('i1')])).toEqual({ created: true });
    expect(await store.createIncident(incident('i2'), [step('i2')])).toEqual({
      created: false,
      existingIncidentId: 'i1',
    });
    const first = await store.getIncident('i1');
    expect(first && (await store.updateIncident({ ...first, status: 'completed' }, first.version))).toBe(
      true,
    );
    expect(await store.createIncident(incident('i3'), [step('i3')])).toEqual({ created: true });
    expect((await store.listIncidents({ openOnly: true })).map((i) => i.id)).toEqual(['i3']);
    expect((await store.listIncidents({ targetId: 'target-1' })).map((i) => i.id)).toEqual(['i1', 'i3']);
  });

  it('compare-and-set: a stale version loses', async () => {
    const store = memoryStore();
    await store.createIncident(incident('i1'), [step('i1')]);
    const current = await store.getIncident('i1');
    if (!current) throw new Error('missing');
    expect(await store.updateIncident({ ...current, status: 'cancelled' }, current.version)).toBe(true);
    expect(await store.updateIncident({ ...current, status: 'completed' }, current.version)).toBe(false);
    expect((await store.getIncident('i1'))?.status).toBe('cancelled');
  });

  it('transitionStep lets exactly one of many concurrent callers win', async () => {
    const store = memoryStore();
    await store.createIncident(incident('i1'), [step('i1')]);
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => store.transitionStep('i1', 'block-sign-in', 'pending', 'approved')),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(
      await store.transitionStep('i1', 'block-sign-in', ['approved'], 'running', { startedAt: 'now' }),
    ).toBe(true);
    const saved = await store.getStep('i1', 'block-sign-in');
    expect(saved).toMatchObject({ status: 'running', startedAt: 'now', version: 3 });
  });

  it('returns steps in the engine order', async () => {
    const store = memoryStore();
    await store.createIncident(incident('i1'), [step('i1', 'sign-in-evidence'), step('i1', 'block-sign-in')]);
    expect((await store.listSteps('i1')).map((s) => s.stepId)).toEqual(['block-sign-in', 'sign-in-evidence']);
  });

  it('writes an action checkpoint and its audit event together', async () => {
    const store = memoryStore();
    await store.checkpointAction(
      {
        incidentId: 'i1',
        stepId: 'inbox-rules',
        actionId: 'a1',
        kind: 'execute',
        phase: 'intent',
        requestIds: [],
        at: 't',
      },
      { at: 't', incidentId: 'i1', event: 'action.started', outcome: 'info' },
    );
    await store.checkpointAction(
      {
        incidentId: 'i1',
        stepId: 'inbox-rules',
        actionId: 'a1',
        kind: 'execute',
        phase: 'done',
        requestIds: ['r'],
        at: 't',
      },
      { at: 't', incidentId: 'i1', event: 'action.done', outcome: 'ok' },
    );
    expect(await store.getActionState('i1', 'inbox-rules', 'a1', 'execute')).toMatchObject({
      phase: 'done',
      requestIds: ['r'],
    });
    expect(await store.getActionState('i1', 'inbox-rules', 'a1', 'undo')).toBeUndefined();
    expect((await store.listAudit('i1')).map((e) => [e.seq, e.event])).toEqual([
      [1, 'action.started'],
      [2, 'action.done'],
    ]);
  });
});

describe('SqliteStore audit log', () => {
  it('is append-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-store-'));
    dirs.push(dir);
    const store = createSqliteStore({ dataDir: dir });
    stores.push(store);
    await store.appendAudit({ at: 't', event: 'x', outcome: 'info' });
    await store.close();
    // Tampering through SQL is refused by triggers.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, DATABASE_FILE_NAME));
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit SET data = '{}'").run()).toThrow(/append-only/);
    db.close();
  });

  it('survives a reopen of the file (WAL)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-store-'));
    dirs.push(dir);
    const first = createSqliteStore({ dataDir: dir });
    await first.createIncident(incident('i1'), [step('i1')]);
    await first.appendAudit({ at: 't', incidentId: 'i1', event: 'incident.opened', outcome: 'ok' });
    await first.close();
    const second = createSqliteStore({ dataDir: dir });
    stores.push(second);
    expect((await second.getIncident('i1'))?.id).toBe('i1');
    expect(await second.listAudit('i1')).toHaveLength(1);
  });
});

describe('SqliteStore key-value with eTags', () => {
  it('writes unconditionally without an eTag and conditionally with one', async () => {
    const store = memoryStore();
    const first = await store.setItem('conv/1', { turn: 1 });
    expect(first).toBeTruthy();
    const second = await store.setItem('conv/1', { turn: 2 }, first);
    expect(second).toBeTruthy();
    expect(await store.setItem('conv/1', { turn: 3 }, first)).toBeUndefined();
    expect(await store.getItem('conv/1')).toEqual({ value: { turn: 2 }, eTag: second });
    expect(await store.setItem('conv/1', { turn: 4 }, '*')).toBeTruthy();
  });

  it('deletes conditionally', async () => {
    const store = memoryStore();
    const eTag = await store.setItem('k', 'v');
    expect(await store.deleteItem('k', 'stale')).toBe(false);
    expect(await store.deleteItem('k', eTag)).toBe(true);
    expect(await store.getItem('k')).toBeUndefined();
    expect(await store.deleteItem('k', 'anything')).toBe(true);
  });
});
