import { describe, expect, it } from 'vitest';
import { runKilledIncident, sampleKillPoints } from '../../support/killAnywhere';
import type { KillOutcome } from '../../support/killAnywhere';

/** The rest of the writes are sampled every STRIDE-th; `npx tsx bench/killAnywhere.ts` kills at every one. */
const STRIDE = 30;
/** Runs at once: each mostly waits on Teams' (shortened) pacing, not on the CPU. */
const CONCURRENCY = 3;

describe('a bot killed at any durable write and restarted on the same data', () => {
  it(
    'ends with every card current, both summaries once, each tenant write once and the latest password with the approver',
    { timeout: 300_000 },
    async () => {
      const reference = await runKilledIncident(0);
      expect(reference.problems).toEqual([]);
      const kinds = new Set(reference.writes.map((write) => write.kind));
      // Store writes of the engine and of the Teams side, and every kind of write to Teams.
      for (const kind of [
        'store.createIncident',
        'store.transitionStep',
        'store.checkpointAction',
        'teams.send',
        'teams.update',
        'teams.sendPrivately',
      ]) {
        expect(kinds).toContain(kind);
      }
      // And the moments around the password: its step starting, and its secret on the way.
      const points = sampleKillPoints(
        reference.writes,
        STRIDE,
        (write) => write.detail === 'reset-password → running' || write.kind === 'teams.sendPrivately',
      );
      const outcomes: KillOutcome[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let index = next++; index < points.length; index = next++) {
            outcomes.push(await runKilledIncident(points[index] ?? 0, reference));
          }
        }),
      );
      // Every sampled point killed the bot, and every kind of write was a kill point.
      expect(outcomes.every((outcome) => outcome.fatal)).toBe(true);
      expect(new Set(outcomes.map((outcome) => outcome.fatal?.kind))).toEqual(kinds);
      const broken = outcomes
        .filter((outcome) => outcome.problems.length > 0)
        .map(
          (outcome) =>
            `${outcome.killAt} (${outcome.fatal?.kind} ${outcome.fatal?.detail}): ${outcome.problems.join('; ')}`,
        );
      expect(broken).toEqual([]);
    },
  );
});
