import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, StepId } from '../../../src/remediation/contract';
import type {
  ActionStateRecord,
  AuditEvent,
  IncidentRecord,
  StepRecord,
  Store,
} from '../../../src/store/types';

/**
 * One storage location (a SQLite file, a set of Azure tables). Every `open()` returns a new,
 * independent handle onto the same data, the way two bot instances would see it.
 */
export interface StoreLocation {
  open(): Store | Promise<Store>;
  dispose(): Promise<void>;
}

export type NewStoreLocation = () => Promise<StoreLocation>;

export function incidentRecord(
  id: string,
  targetId: string,
  overrides: Partial<IncidentRecord> = {},
): IncidentRecord {
  return {
    id,
    groupId: `group-${id}`,
    target: {
      id: targetId,
      userPrincipalName: `${targetId}@contoso.com`,
      displayName: `User ${targetId}`,
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: false,
    },
    requester: { id: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00', displayName: 'Alex Wilber' },
    origin: { kind: 'cli' },
    approvals: [],
    status: 'open',
    createdAt: '2026-11-25T20:00:00.000Z',
    updatedAt: '2026-11-25T20:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function stepRecord(
  incidentId: string,
  stepId: StepId,
  overrides: Partial<StepRecord> = {},
): StepRecord {
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
    ...overrides,
  };
}

function auditEvent(event: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { at: '2026-11-25T20:00:00.000Z', event, outcome: 'info', ...overrides };
}

const MEGAN = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const LYNNE = '3f18b6c1-f525-47a4-a81a-1813061f1773';
const STEPS: StepId[] = ['revoke-sessions', 'block-sign-in', 'mailbox-forwarding'];

let uniqueCounter = 0;
/** Ids unique per test, so a location shared between tests could not leak state between them. */
function unique(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${process.pid}-${uniqueCounter}`;
}

/**
 * Registers the behaviour every Store implementation must share. `newLocation` gives a
 * fresh, empty location for each test.
 */
export function describeStoreConformance(name: string, newLocation: NewStoreLocation): void {
  describe(`${name} conforms to the Store contract`, () => {
    const locations: StoreLocation[] = [];
    const opened: Store[] = [];

    async function open(location?: StoreLocation): Promise<{ store: Store; location: StoreLocation }> {
      const where = location ?? (await newLocation());
      if (!location) locations.push(where);
      const store = await where.open();
      opened.push(store);
      return { store, location: where };
    }

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      for (const location of locations.splice(0)) await location.dispose();
    });

    describe('incidents', () => {
      it('stores an incident with its steps and reads them back unchanged, steps in catalogue order', async () => {
        const { store } = await open();
        const id = unique('inc');
        const incident = incidentRecord(id, MEGAN, {
          approvals: [{ actor: { id: 'a', displayName: 'Adele' }, at: 'now' }],
        });
        const steps = STEPS.map((stepId) =>
          stepRecord(id, stepId, { findings: [], manualGuidance: `do ${stepId}` }),
        );
        expect(await store.createIncident(incident, steps)).toEqual({ created: true });
        expect(await store.getIncident(id)).toEqual(incident);
        expect((await store.listSteps(id)).map((step) => step.stepId)).toEqual([
          'block-sign-in',
          'revoke-sessions',
          'mailbox-forwarding',
        ]);
        expect(await store.getStep(id, 'revoke-sessions')).toEqual(steps[0]);
      });

      it('answers undefined or empty for what does not exist', async () => {
        const { store } = await open();
        expect(await store.getIncident('no-such-incident')).toBeUndefined();
        expect(await store.getStep('no-such-incident', 'block-sign-in')).toBeUndefined();
        expect(await store.listSteps('no-such-incident')).toEqual([]);
        expect(await store.findOpenIncidentForTarget(MEGAN)).toBeUndefined();
        expect(await store.listIncidents()).toEqual([]);
        expect(await store.updateIncident(incidentRecord('no-such-incident', MEGAN), 1)).toBe(false);
      });

      it('keeps one open incident per target: a second request joins the first until it closes', async () => {
        const { store } = await open();
        const [first, second, third] = [unique('inc'), unique('inc'), unique('inc')];
        expect(
          await store.createIncident(incidentRecord(first, MEGAN), [stepRecord(first, 'block-sign-in')]),
        ).toEqual({
          created: true,
        });
        expect(
          await store.createIncident(incidentRecord(second, MEGAN, { status: 'awaiting-approval' }), [
            stepRecord(second, 'block-sign-in'),
          ]),
        ).toEqual({ created: false, existingIncidentId: first });
        expect(await store.getIncident(second)).toBeUndefined();
        expect((await store.findOpenIncidentForTarget(MEGAN))?.id).toBe(first);

        const opened = await store.getIncident(first);
        expect(
          opened && (await store.updateIncident({ ...opened, status: 'completed' }, opened.version)),
        ).toBe(true);
        expect(await store.findOpenIncidentForTarget(MEGAN)).toBeUndefined();
        expect(await store.createIncident(incidentRecord(third, MEGAN), [])).toEqual({ created: true });
        expect((await store.findOpenIncidentForTarget(MEGAN))?.id).toBe(third);
      });

      it('lets a closed incident be recorded beside an open one, and other targets open freely', async () => {
        const { store } = await open();
        const [open1, closed, other] = [unique('inc'), unique('inc'), unique('inc')];
        await store.createIncident(incidentRecord(open1, MEGAN), []);
        expect(
          await store.createIncident(incidentRecord(closed, MEGAN, { status: 'cancelled' }), []),
        ).toEqual({
          created: true,
        });
        expect(await store.createIncident(incidentRecord(other, LYNNE), [])).toEqual({ created: true });
        expect((await store.findOpenIncidentForTarget(MEGAN))?.id).toBe(open1);
      });

      it('lists incidents by creation time, filtered by open state and target', async () => {
        const { store } = await open();
        const [late, early, closed, lynne] = [
          unique('late'),
          unique('early'),
          unique('closed'),
          unique('lynne'),
        ];
        await store.createIncident(
          incidentRecord(late, MEGAN, { createdAt: '2026-11-25T21:00:00.000Z' }),
          [],
        );
        await store.createIncident(
          incidentRecord(early, 'target-early', { createdAt: '2026-11-25T19:00:00.000Z' }),
          [],
        );
        await store.createIncident(
          incidentRecord(closed, MEGAN, { status: 'completed', createdAt: '2026-11-25T18:00:00.000Z' }),
          [],
        );
        await store.createIncident(
          incidentRecord(lynne, LYNNE, { createdAt: '2026-11-25T20:00:00.000Z' }),
          [],
        );

        expect((await store.listIncidents()).map((i) => i.id)).toEqual([closed, early, lynne, late]);
        expect((await store.listIncidents({ openOnly: true })).map((i) => i.id)).toEqual([
          early,
          lynne,
          late,
        ]);
        expect((await store.listIncidents({ targetId: MEGAN })).map((i) => i.id)).toEqual([closed, late]);
        expect((await store.listIncidents({ targetId: MEGAN, openOnly: true })).map((i) => i.id)).toEqual([
          late,
        ]);
      });

      it('lists the incidents one request opened together (a group), by creation time', async () => {
        const { store } = await open();
        const group = unique('group');
        const [first, second, elsewhere, closed] = [
          unique('g1'),
          unique('g2'),
          unique('other'),
          unique('g3'),
        ];
        await store.createIncident(
          incidentRecord(second, LYNNE, { groupId: group, createdAt: '2026-11-25T20:00:01.000Z' }),
          [],
        );
        await store.createIncident(incidentRecord(first, MEGAN, { groupId: group }), []);
        await store.createIncident(incidentRecord(elsewhere, 'target-other'), []);
        await store.createIncident(
          incidentRecord(closed, 'target-closed', {
            groupId: group,
            status: 'completed',
            createdAt: '2026-11-25T20:00:02.000Z',
          }),
          [],
        );

        expect((await store.listIncidents({ groupId: group })).map((i) => i.id)).toEqual([
          first,
          second,
          closed,
        ]);
        expect((await store.listIncidents({ groupId: group, openOnly: true })).map((i) => i.id)).toEqual([
          first,
          second,
        ]);
        expect((await store.listIncidents({ groupId: group, targetId: LYNNE })).map((i) => i.id)).toEqual([
          second,
        ]);
        expect(await store.listIncidents({ groupId: unique('no-such-group') })).toEqual([]);
      });

      it('updates an incident only from the version it was read at, bumping the version', async () => {
        const { store } = await open();
        const id = unique('inc');
        await store.createIncident(incidentRecord(id, MEGAN), []);
        const read = await store.getIncident(id);
        if (!read) throw new Error('incident missing');
        const approved = {
          ...read,
          approvals: [{ actor: { id: 'adele', displayName: 'Adele' }, at: 'now' }],
        };
        expect(await store.updateIncident(approved, read.version)).toBe(true);
        expect(await store.updateIncident({ ...read, status: 'cancelled' }, read.version)).toBe(false);
        const stored = await store.getIncident(id);
        expect(stored).toEqual({ ...approved, version: read.version + 1 });
        expect(stored?.status).toBe('open');
      });

      it('refuses to reopen an incident while another one is open for the target', async () => {
        const { store } = await open();
        const [old, current] = [unique('old'), unique('current')];
        await store.createIncident(incidentRecord(old, MEGAN, { status: 'completed' }), []);
        await store.createIncident(incidentRecord(current, MEGAN), []);
        const closed = await store.getIncident(old);
        if (!closed) throw new Error('incident missing');
        await expect(store.updateIncident({ ...closed, status: 'open' }, closed.version)).rejects.toThrow();
        expect((await store.findOpenIncidentForTarget(MEGAN))?.id).toBe(current);

        const running = await store.getIncident(current);
        if (!running) throw new Error('incident missing');
        expect(await store.updateIncident({ ...running, status: 'cancelled' }, running.version)).toBe(true);
        expect(await store.updateIncident({ ...closed, status: 'open' }, closed.version)).toBe(true);
        expect((await store.findOpenIncidentForTarget(MEGAN))?.id).toBe(old);
      });

      it('lets exactly one of many concurrent requests from two instances open the incident', async () => {
        const { store: first, location } = await open();
        const { store: second } = await open(location);
        const ids = Array.from({ length: 20 }, () => unique('race'));
        const results = await Promise.all(
          ids.map((id, index) =>
            (index % 2 === 0 ? first : second).createIncident(incidentRecord(id, MEGAN), [
              stepRecord(id, 'block-sign-in'),
            ]),
          ),
        );
        const winners = ids.filter((_, index) => results[index]?.created === true);
        expect(winners).toHaveLength(1);
        const winner = winners[0];
        for (const result of results) {
          if (!result.created) expect(result.existingIncidentId).toBe(winner);
        }
        expect((await second.listIncidents({ targetId: MEGAN })).map((i) => i.id)).toEqual([winner]);
        expect(await first.listSteps(winner ?? '')).toHaveLength(1);
      });
    });

    describe('steps', () => {
      async function withSteps(): Promise<{ store: Store; location: StoreLocation; id: string }> {
        const { store, location } = await open();
        const id = unique('inc');
        await store.createIncident(
          incidentRecord(id, MEGAN),
          STEPS.map((stepId) => stepRecord(id, stepId)),
        );
        return { store, location, id };
      }

      it('updates a step only from the version it was read at', async () => {
        const { store, id } = await withSteps();
        const step = await store.getStep(id, 'block-sign-in');
        if (!step) throw new Error('step missing');
        const discovered = { ...step, nothingToDo: true, manualGuidance: 'nothing to block' };
        expect(await store.updateStep(discovered, step.version)).toBe(true);
        expect(await store.updateStep({ ...step, status: 'skipped' }, step.version)).toBe(false);
        expect(await store.getStep(id, 'block-sign-in')).toEqual({
          ...discovered,
          version: step.version + 1,
        });
        expect(await store.updateStep(stepRecord('no-such-incident', 'block-sign-in'), 1)).toBe(false);
      });

      it('transitions a step only from an allowed status, applying the patch and bumping the version', async () => {
        const { store, id } = await withSteps();
        const actor = { id: 'adele', displayName: 'Adele Vance' };
        expect(await store.transitionStep(id, 'block-sign-in', 'approved', 'running')).toBe(false);
        expect(
          await store.transitionStep(id, 'block-sign-in', ['pending', 'failed'], 'approved', {
            approvedBy: actor,
            selection: ['a1'],
          }),
        ).toBe(true);
        const step = await store.getStep(id, 'block-sign-in');
        expect(step).toMatchObject({ status: 'approved', approvedBy: actor, selection: ['a1'], version: 2 });
        expect(await store.transitionStep(id, 'block-sign-in', 'pending', 'skipped')).toBe(false);
        expect(await store.transitionStep('no-such-incident', 'block-sign-in', 'pending', 'running')).toBe(
          false,
        );
        expect((await store.getStep(id, 'revoke-sessions'))?.status).toBe('pending');
      });

      it('lets exactly one of 50 concurrent transitions from two instances win', async () => {
        const { store: first, location, id } = await withSteps();
        const { store: second } = await open(location);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            (index % 2 === 0 ? first : second).transitionStep(
              id,
              'mailbox-forwarding',
              'pending',
              'running',
              {
                startedAt: `attempt-${index}`,
              },
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await second.getStep(id, 'mailbox-forwarding')).toMatchObject({
          status: 'running',
          startedAt: `attempt-${winner}`,
          version: 2,
        });
      });

      it('keeps every update when many writers race on one step (no lost update)', async () => {
        const { store: first, location, id } = await withSteps();
        const { store: second } = await open(location);
        const appendResult = async (store: Store, actionId: string): Promise<void> => {
          for (;;) {
            const step = await store.getStep(id, 'block-sign-in');
            if (!step) throw new Error('step missing');
            const next = {
              ...step,
              results: [
                ...step.results,
                { actionId, outcome: 'done' as const, verified: true, requestIds: [] },
              ],
            };
            if (await store.updateStep(next, step.version)) return;
          }
        };
        await Promise.all(
          Array.from({ length: 10 }, (_, index) => appendResult(index % 2 ? first : second, `a${index}`)),
        );
        const step = await first.getStep(id, 'block-sign-in');
        expect(step?.results.map((result) => result.actionId).sort()).toEqual(
          Array.from({ length: 10 }, (_, index) => `a${index}`).sort(),
        );
        expect(step?.version).toBe(11);
      });
    });

    describe('action checkpoints', () => {
      it('writes the checkpoint with its audit event and overwrites it as the action progresses', async () => {
        const { store } = await open();
        const id = unique('inc');
        const intent: ActionStateRecord = {
          incidentId: id,
          stepId: 'inbox-rules',
          actionId: 'rule/AAMkAGI=',
          kind: 'execute',
          phase: 'intent',
          requestIds: [],
          at: '2026-11-25T20:00:00.000Z',
        };
        expect(await store.getActionState(id, 'inbox-rules', intent.actionId, 'execute')).toBeUndefined();
        await store.checkpointAction(
          intent,
          auditEvent('action.intent', { incidentId: id, actionId: intent.actionId }),
        );
        expect(await store.getActionState(id, 'inbox-rules', intent.actionId, 'execute')).toEqual(intent);
        expect(await store.getActionState(id, 'inbox-rules', intent.actionId, 'undo')).toBeUndefined();

        const done: ActionStateRecord = {
          ...intent,
          phase: 'done',
          requestIds: ['req-1'],
          at: '2026-11-25T20:00:01.000Z',
        };
        await store.checkpointAction(done, auditEvent('action.done', { incidentId: id, outcome: 'ok' }));
        expect(await store.getActionState(id, 'inbox-rules', intent.actionId, 'execute')).toEqual(done);
        expect((await store.listAudit(id)).map((event) => event.event)).toEqual([
          'action.intent',
          'action.done',
        ]);
      });
    });

    describe('audit log', () => {
      it('numbers events from 1 without gaps and filters by incident, keeping every field', async () => {
        const { store } = await open();
        const [a, b] = [unique('a'), unique('b')];
        const detailed = auditEvent('action.done', {
          incidentId: a,
          stepId: 'mailbox-forwarding',
          actionId: 'forwarding',
          actor: { id: 'adele', displayName: 'Adele Vance' },
          before: {
            ForwardingSmtpAddress: 'smtp:megan.bowen.archive@gmail.com',
            DeliverToMailboxAndForward: false,
          },
          after: { ForwardingSmtpAddress: null },
          outcome: 'ok',
          requestIds: ['r1', 'r2'],
          detail: 'removed forwarding',
        });
        await store.appendAudit(auditEvent('incident.opened', { incidentId: a }));
        await store.appendAudit(auditEvent('bot.started'));
        await store.appendAudit(detailed);
        await store.appendAudit(auditEvent('incident.opened', { incidentId: b }));

        const all = await store.listAudit();
        expect(all.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
        expect(all.map((event) => event.event)).toEqual([
          'incident.opened',
          'bot.started',
          'action.done',
          'incident.opened',
        ]);
        const forA = await store.listAudit(a);
        expect(forA.map((event) => event.seq)).toEqual([1, 3]);
        expect(forA[1]).toEqual({ seq: 3, ...detailed });
      });

      it('gives 50 concurrent appends from two instances the positions 1..50, each exactly once', async () => {
        const { store: first, location } = await open();
        const { store: second } = await open(location);
        await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            (index % 2 === 0 ? first : second).appendAudit(auditEvent(`event-${index}`)),
          ),
        );
        const log = await second.listAudit();
        expect(log.map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
        expect(new Set(log.map((event) => event.event)).size).toBe(50);
      });
    });

    describe('key-value entries', () => {
      it('writes unconditionally without an eTag or with "*", returning a fresh eTag each time', async () => {
        const { store } = await open();
        expect(await store.getItem('conversation/1')).toBeUndefined();
        const first = await store.setItem('conversation/1', { dialogStack: [] });
        expect(first).toEqual(expect.any(String));
        const second = await store.setItem('conversation/1', { dialogStack: ['a'] }, '*');
        expect(second).toEqual(expect.any(String));
        expect(second).not.toBe(first);
        expect(await store.getItem('conversation/1')).toEqual({
          value: { dialogStack: ['a'] },
          eTag: second,
        });
      });

      it('writes with an eTag only while it is current', async () => {
        const { store } = await open();
        const original = await store.setItem('user/alex', { count: 1 });
        if (!original) throw new Error('no eTag');
        const updated = await store.setItem('user/alex', { count: 2 }, original);
        expect(updated).toEqual(expect.any(String));
        expect(await store.setItem('user/alex', { count: 99 }, original)).toBeUndefined();
        expect(await store.setItem('user/alex', { count: 99 }, 'not-an-etag')).toBeUndefined();
        expect(await store.setItem('user/nobody', { count: 1 }, original)).toBeUndefined();
        expect(await store.getItem('user/nobody')).toBeUndefined();
        expect(await store.getItem('user/alex')).toEqual({ value: { count: 2 }, eTag: updated });
      });

      it('creates only when absent: of many writers racing for one key exactly one wins', async () => {
        const { store } = await open();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, n) => store.createItem('security/claim', { writer: n })),
        );
        const winners = results.filter((eTag) => eTag !== undefined);
        expect(winners).toHaveLength(1);
        const stored = await store.getItem('security/claim');
        expect(stored?.eTag).toBe(winners[0]);
        expect(await store.createItem('security/claim', { writer: 'late' })).toBeUndefined();
      });

      it('deletes with an eTag only while it is current, and treats an absent key as deleted', async () => {
        const { store } = await open();
        const stale = await store.setItem('state', 1);
        const current = await store.setItem('state', 2);
        if (!stale || !current) throw new Error('no eTag');
        expect(await store.deleteItem('state', stale)).toBe(false);
        expect(await store.deleteItem('state', 'not-an-etag')).toBe(false);
        expect(await store.getItem('state')).toMatchObject({ value: 2 });
        expect(await store.deleteItem('state', current)).toBe(true);
        expect(await store.getItem('state')).toBeUndefined();
        expect(await store.deleteItem('state', current)).toBe(true);
        expect(await store.deleteItem('state')).toBe(true);
        await store.setItem('state', 3);
        expect(await store.deleteItem('state', '*')).toBe(true);
        expect(await store.getItem('state')).toBeUndefined();
      });

      it('lets exactly one of two instances win a conditional write on the same eTag', async () => {
        const { store: first, location } = await open();
        const { store: second } = await open(location);
        const eTag = await first.setItem('conversation/shared', { turn: 0 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 ? first : second).setItem('conversation/shared', { turn: index }, eTag),
          ),
        );
        expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      });

      it('keeps keys with separators, reserved and non-ASCII characters apart', async () => {
        const { store } = await open();
        const keys = [
          'a/b',
          'a%2Fb',
          'a#b?c\\d',
          "o'brien",
          'msteams/19:abc@thread.tacv2/users/29:1xyz',
          'Ærøskøbing 🚀',
          'x'.repeat(700),
        ];
        for (const [index, key] of keys.entries()) await store.setItem(key, { index });
        for (const [index, key] of keys.entries())
          expect((await store.getItem(key))?.value).toEqual({ index });
      });

      it('stores values far larger than one Azure Table property (64 KiB)', async () => {
        const { store } = await open();
        const big = {
          text: `${'x'.repeat(150_000)}${'Ærø 🚀 '.repeat(5_000)}`,
          items: Array.from({ length: 2000 }, (_, index) => ({ index })),
        };
        await store.setItem('big', big);
        expect((await store.getItem('big'))?.value).toEqual(big);
      });
    });

    describe('durability', () => {
      it('keeps everything across close and reopen, and refuses calls on a closed handle', async () => {
        const { store, location } = await open();
        const id = unique('inc');
        // Over 64 KiB of JSON: an Azure Table property cannot hold it in one column.
        const findings: Finding[] = [
          {
            id: 'f1',
            title: 'Forwards to gmail',
            reasons: ['forwards to megan.bowen.archive@gmail.com', 'x'.repeat(70_000)],
            suspicion: 'high',
            selectedByDefault: true,
          },
        ];
        await store.createIncident(incidentRecord(id, MEGAN), [stepRecord(id, 'inbox-rules', { findings })]);
        await store.transitionStep(id, 'inbox-rules', 'pending', 'approved');
        await store.appendAudit(auditEvent('incident.opened', { incidentId: id }));
        const eTag = await store.setItem('conversation/1', { turn: 3 });
        await store.close();
        await expect(store.getIncident(id)).rejects.toThrow();

        const reopened = (await open(location)).store;
        expect((await reopened.getIncident(id))?.status).toBe('open');
        expect(await reopened.getStep(id, 'inbox-rules')).toMatchObject({
          status: 'approved',
          findings,
          version: 2,
        });
        expect((await reopened.findOpenIncidentForTarget(MEGAN))?.id).toBe(id);
        expect(await reopened.listAudit(id)).toHaveLength(1);
        expect(await reopened.getItem('conversation/1')).toEqual({ value: { turn: 3 }, eTag });
        await reopened.appendAudit(auditEvent('incident.resumed', { incidentId: id }));
        expect((await reopened.listAudit()).map((event) => event.seq)).toEqual([1, 2]);
      });
    });
  });
}
