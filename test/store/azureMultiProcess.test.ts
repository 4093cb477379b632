import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src/remediation/contract';
import { AzureTableStore, createAzureStoreTables } from '../../src/store/azure';
import { startAzurite } from '../support/azurite';
import type { Azurite } from '../support/azurite';
import { incidentRecord, stepRecord } from './conformance/storeConformance';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const WORKER = path.join(__dirname, 'conformance', 'multiProcessWorker.ts');

interface Worker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  result: Promise<{ wins: string[] }>;
}

function startWorker(name: string, env: Record<string, string>): Worker {
  const child = spawn(TSX, [WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...env, WORKER_NAME: name },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  const result = new Promise<{ wins: string[] }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') resolveReady();
      else if (line.startsWith('{')) resolve(JSON.parse(line) as { wins: string[] });
    });
    void exited.then((code) => reject(new Error(`worker ${name} exited with ${String(code)}:\n${stderr}`)));
  });
  return { child, ready: Promise.race([ready, result.then(() => undefined)]), result };
}

let azurite: Azurite | undefined;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

describe('AzureTableStore shared by two processes', () => {
  it('gives each step exactly one winner and the audit log seq 1..50 with no gap or duplicate', async () => {
    if (!azurite) throw new Error('Azurite is not running');
    const connectionString = azurite.connectionString;
    const tablePrefix = `mp${randomBytes(6).toString('hex')}`;
    const incidentId = 'multi-process-incident';
    const store = new AzureTableStore({
      tables: createAzureStoreTables({ connectionString }, { tablePrefix }),
    });
    await store.createIncident(
      incidentRecord(incidentId, '14e1ed1f-b4f7-47ee-ae98-d39876f6f691'),
      STEP_IDS.map((stepId) => stepRecord(incidentId, stepId)),
    );

    const env = {
      WORKER_CONNECTION_STRING: connectionString,
      WORKER_TABLE_PREFIX: tablePrefix,
      WORKER_INCIDENT_ID: incidentId,
      WORKER_AUDIT_COUNT: '25',
      WORKER_STEP_IDS: STEP_IDS.join(','),
    };
    const workers = [startWorker('first', env), startWorker('second', env)];
    try {
      await Promise.all(workers.map((worker) => worker.ready));
      for (const worker of workers) worker.child.stdin.write('go\n');
      const [first, second] = await Promise.all(workers.map((worker) => worker.result));
      if (!first || !second) throw new Error('a worker gave no result');

      // Every step won exactly once, by one process or the other.
      expect([...first.wins, ...second.wins].sort()).toEqual([...STEP_IDS].sort());
      expect(first.wins.filter((stepId) => second.wins.includes(stepId))).toEqual([]);
      for (const step of await store.listSteps(incidentId)) {
        expect(step).toMatchObject({ status: 'running', version: 2 });
        expect(step.startedAt === 'first' ? first.wins : second.wins).toContain(step.stepId);
      }

      const log = await store.listAudit(incidentId);
      expect(log.map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      const events = log.map((event) => event.event);
      expect(new Set(events).size).toBe(50);
      expect(events.filter((event) => event.startsWith('first.'))).toHaveLength(25);
      expect(events.filter((event) => event.startsWith('second.'))).toHaveLength(25);
    } finally {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
      await store.close();
    }
  }, 60_000);
});
