import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/remediation/contract';
import { FakeM365 } from '../support/fakeM365Services';
import { ADELE, ALEX, createEngine } from './support';

/** Resolves once `predicate` holds for an event; the engine publishes without making writers wait. */
function eventWhere(events: EngineEvent[], predicate: (event: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const check = () => {
      const found = events.find(predicate);
      if (found) resolve(found);
      else setImmediate(check);
    };
    check();
  });
}

async function openForMegan() {
  const fake = new FakeM365();
  const { engine, store } = createEngine(fake.services);
  const opened = await engine.openIncidents({
    targets: ['MeganB@contoso.com'],
    requester: ALEX,
    origin: { kind: 'cli' },
  });
  const incident = opened.incidents[0];
  if (!incident) throw new Error('no incident');
  return { engine, store, incident };
}

describe('engine change events', () => {
  it('hands subscribers the changed incident and steps; the last event shows the final state', async () => {
    const { engine, incident } = await openForMegan();
    const events: EngineEvent[] = [];
    engine.subscribe((event) => events.push(event));

    const outcome = await engine.approveStep(incident.id, 'block-sign-in', ADELE);
    expect(outcome.step.status).toBe('done');

    const final = await eventWhere(
      events,
      (event) =>
        event.incident.steps.find((step) => step.id === 'block-sign-in')?.status === 'done' &&
        event.incident.approvals.length === 1,
    );
    expect(final.type).toBe('incident.changed');
    expect(final.incident.id).toBe(incident.id);
    expect(events.flatMap((event) => event.stepIds)).toContain('block-sign-in');
    // A subscriber is given what it renders: the view in the event equals a fresh read.
    expect(events.at(-1)?.incident).toEqual(await engine.getIncident(incident.id));
  });

  it('folds a burst of changes into fewer reads, never more events than changes', async () => {
    const { engine, incident } = await openForMegan();
    const events: EngineEvent[] = [];
    engine.subscribe((event) => events.push(event));

    const { incident: after } = await engine.approveAllRemaining(incident.id, ADELE);
    await eventWhere(events, (event) => event.incident.status === after.status);
    const stepIds = new Set(events.flatMap((event) => event.stepIds));
    // Each approved step moved pending → approved → running → done/failed: three writes at least.
    const approvedSteps = after.steps.filter((step) => step.approvedBy !== undefined);
    expect(approvedSteps.length).toBeGreaterThan(3);
    for (const step of approvedSteps) expect(stepIds.has(step.id)).toBe(true);
    expect(events.length).toBeLessThan(approvedSteps.length * 3);
  });

  it('stops calling a listener once it unsubscribed, and a failing listener does not stop the engine', async () => {
    const { engine, incident } = await openForMegan();
    const seen: EngineEvent[] = [];
    const unsubscribe = engine.subscribe((event) => seen.push(event));
    engine.subscribe(() => {
      throw new Error('listener bug');
    });
    unsubscribe();
    const outcome = await engine.skipStep(incident.id, 'sign-in-evidence', ADELE);
    expect(outcome.step.status).toBe('skipped');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });
});
