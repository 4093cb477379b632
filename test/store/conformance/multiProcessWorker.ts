/**
 * One "bot instance" for the multi-process test: opens the Azure store named by its
 * environment, says "ready", waits for "go" on stdin so both instances start together,
 * then appends audit events and races transitionStep, and prints what it won as JSON.
 */
import { createInterface } from 'node:readline';
import { isStepId } from '../../../src/remediation/contract';
import { AzureTableStore, createAzureStoreTables } from '../../../src/store/azure';

async function main(): Promise<void> {
  const connectionString = process.env.WORKER_CONNECTION_STRING;
  const tablePrefix = process.env.WORKER_TABLE_PREFIX;
  const incidentId = process.env.WORKER_INCIDENT_ID;
  const name = process.env.WORKER_NAME;
  const auditCount = Number(process.env.WORKER_AUDIT_COUNT);
  const stepIds = (process.env.WORKER_STEP_IDS ?? '').split(',').filter(isStepId);
  if (!connectionString || !tablePrefix || !incidentId || !name || !Number.isInteger(auditCount)) {
    throw new Error('worker: missing WORKER_* environment');
  }
  const store = new AzureTableStore({
    tables: createAzureStoreTables({ connectionString }, { tablePrefix }),
  });
  await store.listAudit(incidentId);
  process.stdout.write('ready\n');

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();

  const appends = Array.from({ length: auditCount }, (_, index) =>
    store.appendAudit({
      at: new Date().toISOString(),
      incidentId,
      event: `${name}.event-${index}`,
      outcome: 'info',
    }),
  );
  const transitions = stepIds.map(async (stepId) => ({
    stepId,
    won: await store.transitionStep(incidentId, stepId, 'pending', 'running', { startedAt: name }),
  }));
  const [, results] = await Promise.all([Promise.all(appends), Promise.all(transitions)]);
  process.stdout.write(`${JSON.stringify({ wins: results.filter((r) => r.won).map((r) => r.stepId) })}\n`);
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
