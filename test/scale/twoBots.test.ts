import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import type { StepId } from '../../src/remediation/contract';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createStore } from '../../src/store/createStore';
import type { Store } from '../../src/store/types';
import { startAzurite } from '../support/azurite';
import type { Azurite } from '../support/azurite';

/**
 * Two bot processes (the real src/index.ts under tsx) share one Azure storage account (Azurite:
 * tables for incidents and audit, blobs for bot state) and one simulated tenant. Clicks on the
 * same steps arrive at both at once, as they would behind a load balancer: every remediation
 * action must reach Microsoft 365 exactly once and the shared audit log must stay gapless.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const MEGAN_ID = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const ALEX = { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' };
const ADELE = { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a54ff265-58d9-483a-8973-e07982bd7315' };
const BOT = { id: '28:bot', name: 'Remediator' };
const CONVERSATION = { id: 'personal-soc', conversationType: 'personal', tenantId: TENANT_ID };

/** Steps whose writes are distinct requests (one object each), so a repeated write is visible in the log. */
const RACED_STEPS: StepId[] = [
  'block-sign-in',
  'revoke-sessions',
  'mailbox-forwarding',
  'unblock-sending',
  'app-consents',
];
const CLICKS = 50;

interface BotProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Stands in for the Bot Connector service: accepts (and counts) whatever the bots send. */
async function startConnectorSink(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sent-${received}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  };
  // The bot logs one JSON line with its URL once it listens.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${String(code)}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, output: () => output, stop };
}

function activity(serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    recipient: BOT,
    conversation: CONVERSATION,
    channelData: { tenant: { id: TENANT_ID } },
    ...fields,
  };
}

async function post(url: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

let azurite: Azurite;
let tenant: SimulatedTenant;
let sink: Awaited<ReturnType<typeof startConnectorSink>>;
let store: Store;
let dataDir: string;
const bots: BotProcess[] = [];

beforeAll(async () => {
  [azurite, tenant, sink] = await Promise.all([
    startAzurite(),
    startSimulatedTenant({ port: 0 }),
    startConnectorSink(),
  ]);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-two-bots-'));
  const env = {
    TENANT_MODE: 'simulated',
    SIMULATOR_URL: tenant.url,
    LOCAL_DEMO: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    FOUR_EYES: 'true',
    STORE_KIND: 'azure-tables',
    SECRET_AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    // The URL is read from the "listening" line, logged at info.
    LOG_LEVEL: 'info',
  };
  // Nothing may be written to DATA_DIR (state is in Azure); each bot gets its own folder to prove it.
  const started = await Promise.all(
    ['a', 'b'].map((name) => startBotProcess({ ...env, DATA_DIR: path.join(dataDir, name) })),
  );
  bots.push(...started);
  store = createStore(
    loadConfig({
      STORE_KIND: 'azure-tables',
      SECRET_AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await store?.close();
  await Promise.all([tenant?.close(), sink?.close(), azurite?.stop()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('two bot instances on shared Azure storage', () => {
  it('executes each approved action exactly once and keeps one gapless audit log', async () => {
    const [botA, botB] = bots;
    if (!botA || !botB) throw new Error('the bots did not start');

    // Alex opens the incident through instance A.
    const opened = await post(
      botA.url,
      activity(sink.url, {
        type: 'message',
        id: 'open-1',
        from: ALEX,
        text: 'compromised MeganB@contoso.com',
      }),
    );
    expect(opened.status).toBeLessThan(300);
    await expect
      .poll(async () => (await store.listIncidents({ targetId: MEGAN_ID })).length, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(1);
    const [incident] = await store.listIncidents({ targetId: MEGAN_ID });
    if (!incident) throw new Error('the incident was not opened');
    await expect.poll(async () => (await store.listSteps(incident.id)).length, { timeout: 20_000 }).toBe(12);

    // Adele (the second responder) clicks approve on the same steps 50 times, half on each instance.
    tenant.resetLog();
    const clicks = Array.from({ length: CLICKS }, (_, index) => {
      const stepId = RACED_STEPS[index % RACED_STEPS.length];
      const bot = index % 2 === 0 ? botA : botB;
      return post(
        bot.url,
        activity(sink.url, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: `click-${index}`,
          from: ADELE,
          value: {
            action: { type: 'Action.Execute', verb: 'step.approve', data: { i: incident.id, s: stepId } },
          },
        }),
      );
    });
    const answers = await Promise.all(clicks);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: CLICKS }, () => 200));

    // Wait until every raced step has finished and said so in the audit log, whichever instance ran it.
    const finished = async () => {
      const audit = await store.listAudit(incident.id);
      return RACED_STEPS.filter((id) =>
        audit.some((event) => event.stepId === id && event.event === 'step.done'),
      );
    };
    await expect.poll(finished, { timeout: 45_000, interval: 200 }).toHaveLength(RACED_STEPS.length);
    const steps = await store.listSteps(incident.id);
    expect(RACED_STEPS.map((id) => steps.find((step) => step.stepId === id)?.status)).toEqual(
      RACED_STEPS.map(() => 'done'),
    );

    // Microsoft 365 saw each write once: no request repeated, and the effects are there.
    const writes = tenant
      .requestLog()
      .filter((entry) => entry.write && !entry.path.endsWith('/$batch'))
      .map((entry) => `${entry.service} ${entry.method} ${entry.path} ${entry.cmdlet ?? ''}`.trim());
    expect(writes.length).toBeGreaterThanOrEqual(RACED_STEPS.length);
    expect(writes.filter((write, index) => writes.indexOf(write) !== index)).toEqual([]);
    const state = tenant.state();
    expect(state.users.find((user) => user.id === MEGAN_ID)?.accountEnabled).toBe(false);

    // The audit log, read from Azure: each step executed once, seqs 1..n with no gap or repeat.
    const audit = await store.listAudit();
    for (const stepId of RACED_STEPS) {
      const done = audit.filter((event) => event.stepId === stepId && event.event === 'step.done');
      expect(done, stepId).toHaveLength(1);
      const approved = audit.filter((event) => event.stepId === stepId && event.event === 'step.approved');
      expect(approved, stepId).toHaveLength(1);
    }
    // One write per action the engine executed, and no action started twice.
    const started = audit.filter((event) => event.event === 'action.started');
    const startedKeys = started.map(
      (event) => `${event.stepId ?? ''} ${event.actionId ?? event.detail ?? ''}`,
    );
    expect(startedKeys.filter((key, index) => startedKeys.indexOf(key) !== index)).toEqual([]);
    expect(audit.filter((event) => event.event === 'action.done')).toHaveLength(started.length);
    expect(writes).toHaveLength(started.length);
    const seqs = audit.map((event) => event.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));

    // Bot state went to Azure too: conversation state in the blob container, no SQLite file anywhere.
    const botState = new ContainerClient(azurite.connectionString, 'botstate');
    const blobs: string[] = [];
    for await (const blob of botState.listBlobsFlat()) blobs.push(blob.name);
    expect(blobs.some((name) => name.includes(CONVERSATION.id))).toBe(true);
    for (const name of ['a', 'b']) {
      expect(fs.existsSync(path.join(dataDir, name, 'remediator.db')), name).toBe(false);
    }
    expect(sink.received()).toBeGreaterThan(0);
  }, 90_000);
});
