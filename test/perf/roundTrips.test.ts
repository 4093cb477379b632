import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADELE, ALEX, startRig } from '../../bench/rig';
import type { Rig } from '../../bench/rig';
import { criticalPathLength } from '../../src/m365';
import type { RoundTrip } from '../../src/m365';

describe('criticalPathLength', () => {
  it.each([
    ['nothing', [], 0],
    ['one request', [[0, 10]], 1],
    [
      'two overlapping requests count once',
      [
        [0, 10],
        [1, 11],
      ],
      1,
    ],
    [
      'a request started after another answered counts twice',
      [
        [0, 10],
        [10, 20],
      ],
      2,
    ],
    [
      'the longest chain wins over parallel short ones',
      [
        [0, 10],
        [0, 30],
        [10, 20],
        [20, 30],
      ],
      3,
    ],
  ] as const)('%s', (_name, intervals, expected) => {
    expect(criticalPathLength(intervals.map(([startedAt, endedAt]) => ({ startedAt, endedAt })))).toBe(
      expected,
    );
  });
});

/** Round trips of one service that started after `after` (e.g. once the target was resolved). */
function chainAfter(trips: RoundTrip[], service: RoundTrip['service'], after: number): number {
  return criticalPathLength(trips.filter((trip) => trip.service === service && trip.startedAt >= after));
}

describe('round trips for one compromised user (Megan) against the simulated tenant', () => {
  let rig: Rig;
  let incidentId = '';

  beforeAll(async () => {
    // Latency makes overlap unambiguous: requests sent together are in flight together.
    rig = await startRig({ latencyMs: 40 });
    // The responders check is cached for 60 s; it is not part of discovery or execution.
    await rig.engine.isResponder(ALEX);
    await rig.engine.isResponder(ADELE);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('resolves the target, then discovers all twelve steps in at most 2 Graph round trips, Exchange alongside', async () => {
    rig.roundTrips.reset();
    const opened = await rig.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const incident = opened.incidents[0];
    expect(incident?.steps.filter((step) => step.findings.length > 0).length).toBeGreaterThanOrEqual(10);
    incidentId = incident?.id ?? '';

    const trips = rig.roundTrips.list();
    const lookup = trips[0];
    expect(lookup?.service).toBe('graph');
    const afterLookup = lookup?.endedAt ?? 0;
    expect(chainAfter(trips, 'graph', afterLookup)).toBeLessThanOrEqual(2);
    // Exchange reads run beside the Graph rounds, not after them.
    expect(chainAfter(trips, 'exchange', afterLookup)).toBeLessThanOrEqual(2);
    expect(rig.roundTrips.criticalPath()).toBeLessThanOrEqual(3);
    // The Graph reads travelled in $batch requests, not one request each.
    const graphRequests = trips.filter((trip) => trip.service === 'graph').length;
    expect(graphRequests).toBeLessThanOrEqual(3);
  });

  it('executes and verifies every approved step in few sequential round trips, far fewer than one per request', async () => {
    // Identity Protection allows 1 request/s: let discovery's risk read age out as a responder would.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    rig.roundTrips.reset();
    const { incident } = await rig.engine.approveAllRemaining(incidentId, ADELE);

    expect(incident.steps.map((step) => [step.id, step.status, step.verified])).toEqual(
      incident.steps.map((step) => [step.id, 'done', true]),
    );
    const total = rig.roundTrips.count;
    const graph = rig.roundTrips.criticalPath('graph');
    // Writes of independent steps share the first $batch, their verifications the second;
    // reset-password follows block-sign-in and auth-methods (executionOrder.ts), admin roles'
    // canary goes first, and Identity Protection's verification waits its second.
    expect(graph).toBeLessThanOrEqual(7);
    expect(rig.roundTrips.criticalPath('exchange')).toBeLessThanOrEqual(7);
    expect(rig.roundTrips.criticalPath()).toBeLessThanOrEqual(8);
    expect(total).toBeGreaterThan(rig.roundTrips.criticalPath() * 3);
  });

  it('takes one round trip per request when batching is off and concurrency is 1 (the baseline)', async () => {
    const baseline = await startRig({ latencyMs: 5, batching: false, concurrency: 1 });
    try {
      await baseline.engine.isResponder(ALEX);
      baseline.roundTrips.reset();
      await baseline.engine.openIncidents({
        targets: ['MeganB@contoso.com'],
        requester: ALEX,
        origin: { kind: 'cli' },
      });
      expect(baseline.roundTrips.criticalPath()).toBe(baseline.roundTrips.count);
    } finally {
      await baseline.close();
    }
  });
});
