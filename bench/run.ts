/**
 * `npm run bench`: measured, not asserted. Prints a table, and as the LAST line one JSON object
 * {"benchmarks":[...]} for tools. Figures carry their unit in the name (Ms, Mb) or are counts.
 */
import { botTurns } from './botTurns';
import { massUsers, oneUserAllSteps } from './scenarios';
import { teamsDelivery } from './teamsDelivery';
import { PEOPLE } from '../test/security/support/teamsActivities';
import type { BenchEntry } from './scenarios';

const log = (line: string) => process.stderr.write(`${line}\n`);

function table(entries: BenchEntry[]): string {
  const lines: string[] = [];
  for (const entry of entries) {
    lines.push(entry.name);
    for (const [key, value] of Object.entries(entry)) {
      if (key !== 'name') lines.push(`  ${key.padEnd(34)} ${String(value)}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const users = Number(process.env.BENCH_USERS ?? 500);
  const entries: BenchEntry[] = [];

  log('one-user-all-steps: batched and concurrent (100 ms per request)...');
  const fast = await oneUserAllSteps({ batching: true, latencyMs: 100 });
  log('one-user-all-steps: sequential baseline (batching off, concurrency 1)...');
  const baseline = await oneUserAllSteps({ batching: false, latencyMs: 100 });
  const wallMs = Number(fast.wallMs);
  const baselineWallMs = Number(baseline.wallMs);
  entries.push({
    name: 'one-user-all-steps',
    latencyPerRequestMs: 100,
    ...fast,
    baselineWallMs,
    baselineCriticalPathRoundTrips: baseline.criticalPathRoundTrips ?? 0,
    baselineHttpRequests: baseline.httpRequests ?? 0,
    speedup: Number((baselineWallMs / wallMs).toFixed(2)),
  });

  log(`mass-${users}-users: default throttling...`);
  entries.push({ name: `mass-${users}-users`, ...(await massUsers(users, log)) });

  log('teams-delivery: one incident, Teams limits, 429 without Retry-After...');
  entries.push({ name: 'teams-delivery-one-incident', ...(await teamsDelivery([PEOPLE.megan])) });
  log('teams-delivery: three concurrent incidents in one chat...');
  entries.push({
    name: 'teams-delivery-three-incidents',
    ...(await teamsDelivery([PEOPLE.megan, PEOPLE.lynne, PEOPLE.patti])),
  });

  log('bot-turns...');
  entries.push({ name: 'bot-turns', ...(await botTurns(log)) });

  process.stdout.write(`${table(entries)}\n`);
  process.stdout.write(`${JSON.stringify({ benchmarks: entries })}\n`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
