import { runKilledIncident, sampleKillPoints } from '../test/support/killAnywhere';
import type { KillOutcome } from '../test/support/killAnywhere';

/**
 * The exhaustive restart sweep: one incident killed right before each of its durable writes in
 * turn (every store write and every write to Teams), restarted on the same data and finished.
 * `npm test` covers each kind of write once and samples the rest; this covers all of them.
 * KILL_STRIDE=n runs the test's sample instead; KILL_CONCURRENCY runs that many at once (default 2).
 */
async function main(): Promise<void> {
  const reference = await runKilledIncident(0);
  if (reference.problems.length > 0) throw new Error(`reference run: ${reference.problems.join('; ')}`);
  const stride = process.env.KILL_STRIDE ? Number(process.env.KILL_STRIDE) : 1;
  const only = process.env.KILL_AT?.split(',').map(Number);
  const points = only ?? sampleKillPoints(reference.writes, stride);
  const concurrency = Number(process.env.KILL_CONCURRENCY ?? 2);
  const outcomes: KillOutcome[] = [];
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < points.length; index = next++) {
        const point = points[index] ?? 0;
        const outcome = await runKilledIncident(point, reference);
        outcomes.push(outcome);
        const where = `${point} before ${outcome.fatal?.kind ?? '(finished)'} ${outcome.fatal?.detail ?? ''}`;
        const extra = outcome.untracked > 0 ? ` untracked card posts: ${outcome.untracked}` : '';
        console.log(
          `${outcome.problems.length === 0 ? 'ok  ' : 'FAIL'} ${where}${extra} ${outcome.problems.join('; ')}`,
        );
      }
    }),
  );
  const failed = outcomes.filter((outcome) => outcome.problems.length > 0);
  const untracked = outcomes.filter((outcome) => outcome.untracked > 0);
  console.log(
    `\n${points.length} kill points of ${reference.writes.length} durable writes in ${Math.round((Date.now() - started) / 1000)} s: ` +
      `${failed.length} broke an invariant, ${untracked.length} left an untracked card post.`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

// A killed bot is abandoned in-process as a dead process would be, so its timers and handles are
// never closed: leave explicitly once the sweep has reported.
main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
