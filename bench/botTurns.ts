import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSilentLogger } from '../src/observability/logger';
import type { loadConfig as LoadConfigFunction } from '../src/config/config';
import type { startRemediator as StartRemediatorFunction } from '../src/index';
import type { IncidentRecord, StepRecord } from '../src/store/types';
import { createSqliteStore } from '../src/store';
import { startSimulatedTenant } from '../src/simulator';
import { syntheticGuid } from './massFixture';
import { ALEX } from './rig';
import type { BenchFigures } from './scenarios';

type StartRemediator = typeof StartRemediatorFunction;
type LoadConfig = typeof LoadConfigFunction;

const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const CONVERSATIONS = 200;
const OPEN_INCIDENTS = 1000;

/** The Bot Connector stand-in: answers every send, and notes when each conversation got a reply. */
async function startSink(onReply: (conversationId: string) => void) {
  let next = 1;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && match?.[1]) onReply(decodeURIComponent(match[1]));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sent-${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/** 1,000 open incidents in the store, copies of one real discovery with other targets. */
async function seedOpenIncidents(
  store: ReturnType<typeof createSqliteStore>,
  template: { incident: IncidentRecord; steps: StepRecord[] },
): Promise<void> {
  for (let index = 1; index <= OPEN_INCIDENTS; index += 1) {
    const id = syntheticGuid(`bench-incident-${index}`);
    const targetId = syntheticGuid(`bench-target-${index}`);
    await store.createIncident(
      {
        ...template.incident,
        id,
        groupId: id,
        target: { ...template.incident.target, id: targetId, userPrincipalName: `bench${index}@contoso.com` },
        version: 1,
      },
      template.steps.map((step) => ({ ...step, incidentId: id, version: 1 })),
    );
  }
}

/**
 * Teams-like load on the composed bot (src/index.ts startRemediator) in this process: 200
 * conversations send "help" at once; a turn lasts from the POST to /api/messages until the
 * connector sink receives the bot's reply. Then RSS with 1,000 open incidents in the store.
 */
export async function botTurns(log: (line: string) => void): Promise<BenchFigures> {
  let startRemediator: StartRemediator;
  let loadConfig: LoadConfig;
  const importStarted = performance.now();
  try {
    ({ startRemediator } = await import('../src/index'));
    ({ loadConfig } = await import('../src/config/config'));
  } catch (error) {
    return {
      placeholder: true,
      reason: `the bot could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const importMs = performance.now() - importStarted;

  const tenant = await startSimulatedTenant({ port: 0 });
  const replies = new Map<string, number>();
  const sink = await startSink((conversationId) => {
    if (!replies.has(conversationId)) replies.set(conversationId, performance.now());
  });
  const store = createSqliteStore({ inMemory: true });
  const startStarted = performance.now();
  const app = await startRemediator({
    config: loadConfig({ LOCAL_DEMO: 'true', PORT: '0', LOG_LEVEL: 'silent' }),
    logger: createSilentLogger(),
    tenant,
    store,
  });
  try {
    const ready = await fetch(`${app.url}/readyz`);
    const coldStartMs = importMs + (performance.now() - startStarted);
    if (!ready.ok) log(`  /readyz answered ${ready.status}`);

    const sent = new Map<string, number>();
    const responseMs: number[] = [];
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, index) => {
        const conversationId = `a:bench-${index}`;
        const started = performance.now();
        sent.set(conversationId, started);
        const response = await fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `m-${index}`,
            channelId: 'msteams',
            serviceUrl: sink.url,
            text: 'help',
            from: { id: `29:user-${index}`, name: ALEX.displayName, aadObjectId: ALEX.id },
            recipient: { id: '28:bot', name: 'Remediator' },
            conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
            channelData: { tenant: { id: TENANT_ID } },
          }),
        });
        await response.arrayBuffer();
        responseMs.push(performance.now() - started);
      }),
    );
    await app.teams.background.idle();
    const turnMs = [...sent]
      .map(([conversationId, started]) => (replies.get(conversationId) ?? Number.NaN) - started)
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    responseMs.sort((a, b) => a - b);

    // One real incident as the template for 1,000 more (what a busy day leaves open).
    const opened = await app.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    const first = opened.incidents[0];
    const record = first ? await store.getIncident(first.id) : undefined;
    if (record) await seedOpenIncidents(store, { incident: record, steps: await store.listSteps(record.id) });
    const openIncidents = (await app.engine.listOpenIncidents()).length;
    const rssMb = process.memoryUsage().rss / (1024 * 1024);

    return {
      conversations: CONVERSATIONS,
      repliedTurns: turnMs.length,
      p50Ms: Math.round(percentile(turnMs, 0.5)),
      p99Ms: Math.round(percentile(turnMs, 0.99)),
      httpResponseP50Ms: Math.round(percentile(responseMs, 0.5)),
      httpResponseP99Ms: Math.round(percentile(responseMs, 0.99)),
      openIncidents,
      rssMb: Math.round(rssMb),
      coldStartMs: Math.round(coldStartMs),
      note: 'one process: bot, simulated tenant and connector sink share it and the 2 cores',
    };
  } finally {
    await app.close();
    await sink.close();
    await tenant.close();
  }
}
