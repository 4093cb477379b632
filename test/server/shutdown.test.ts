import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { createLogger, createSilentLogger } from '../../src/observability/logger';
import type { StepView } from '../../src/remediation/contract';
import { createBotServer, createSignalHandler, listen } from '../../src/server';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore, DATABASE_FILE_NAME } from '../../src/store';
import type { Store } from '../../src/store/types';

/**
 * Shutdown: the server stops taking requests, remediation work already under way finishes
 * (its write reaches Microsoft 365 and its outcome is recorded), and only then is the store
 * closed. The signal handling of `node dist/index.js` is checked in a child process.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const MEGAN_ID = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const ALEX = { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' };
const BOT = { id: '28:bot', name: 'Remediator' };
const CONVERSATION = { id: 'personal-alex', conversationType: 'personal', tenantId: TENANT_ID };

interface FakeConnector {
  url: string;
  close(): Promise<void>;
}

/** A stand-in for the Bot Connector service: accepts whatever the bot sends. */
async function startFakeConnector(): Promise<FakeConnector> {
  let next = 1;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `sent-${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Passes every call through to the real store and remembers whether close() ran, and when. */
function closeRecordingStore(inner: Store, events: string[]): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'close') {
        return async () => {
          events.push('store closed');
          await target.close();
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function activity(serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: ALEX,
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

function stepOf(steps: StepView[], id: string): StepView | undefined {
  return steps.find((step) => step.id === id);
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('shutting down the bot in-process', () => {
  it('finishes a remediation write already under way, then closes the store, then stops answering', async () => {
    // Every tenant request takes 250 ms, so the approved step is still running when shutdown begins.
    const tenant: SimulatedTenant = await startSimulatedTenant({ port: 0, latencyMs: 250 });
    cleanups.push(() => tenant.close());
    const connector = await startFakeConnector();
    cleanups.push(() => connector.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-shutdown-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));

    const events: string[] = [];
    const app: RunningRemediator = await startRemediator({
      config: loadConfig({ LOCAL_DEMO: 'true', PORT: '0', FOUR_EYES: 'false', LOG_LEVEL: 'silent' }),
      logger: createSilentLogger(),
      tenant,
      store: closeRecordingStore(createSqliteStore({ dataDir }), events),
      // A click answers "running" at once and the engine carries on in the background.
      fastAnswerMs: 1,
    });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await app.close();
    });

    const opened = await post(
      app.url,
      activity(connector.url, { type: 'message', id: 'm1', text: 'compromised MeganB@contoso.com' }),
    );
    expect(opened.status).toBeLessThan(300);
    await app.teams.background.idle();
    const [incident] = await app.engine.listOpenIncidents();
    if (!incident) throw new Error('the incident was not opened');
    expect(incident.target.id).toBe(MEGAN_ID);

    tenant.resetLog();
    const clicked = await post(
      app.url,
      activity(connector.url, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: 'click-1',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'step.approve',
            data: { i: incident.id, s: 'block-sign-in' },
          },
        },
      }),
    );
    expect(clicked.status).toBe(200);
    // The click was answered "running"; wait until the engine has taken the step, not for the write.
    await expect
      .poll(
        async () => stepOf((await app.engine.getIncident(incident.id))?.steps ?? [], 'block-sign-in')?.status,
        { timeout: 10_000, interval: 5 },
      )
      .toMatch(/^(approved|running)$/);
    expect(tenant.state().users.find((user) => user.id === MEGAN_ID)?.accountEnabled).toBe(true);

    const shutdown = app.close().then(() => events.push('close resolved'));
    closed = true;
    await shutdown;

    // The write reached the tenant and was verified before the store went away.
    const writes = tenant.requestLog().filter((entry) => entry.write);
    expect(writes.some((entry) => entry.method === 'PATCH' && entry.path.includes(MEGAN_ID))).toBe(true);
    expect(tenant.state().users.find((user) => user.id === MEGAN_ID)?.accountEnabled).toBe(false);
    expect(events).toEqual(['store closed', 'close resolved']);

    // The store on disk says done, and its write-ahead log was checkpointed away on close.
    expect(fs.existsSync(path.join(dataDir, `${DATABASE_FILE_NAME}-wal`))).toBe(false);
    const reopened = createSqliteStore({ dataDir });
    try {
      expect((await reopened.getStep(incident.id, 'block-sign-in'))?.status).toBe('done');
    } finally {
      await reopened.close();
    }

    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});

describe('shutting down while an incident is being opened', () => {
  it('lets the discovery already under way finish and store the whole incident', async () => {
    const tenant: SimulatedTenant = await startSimulatedTenant({ port: 0, latencyMs: 150 });
    cleanups.push(() => tenant.close());
    const connector = await startFakeConnector();
    cleanups.push(() => connector.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-shutdown-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const app = await startRemediator({
      config: loadConfig({ LOCAL_DEMO: 'true', PORT: '0', FOUR_EYES: 'false', LOG_LEVEL: 'silent' }),
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ dataDir }),
    });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await app.close();
    });

    tenant.resetLog();
    const answer = post(
      app.url,
      activity(connector.url, { type: 'message', id: 'm1', text: 'compromised MeganB@contoso.com' }),
    );
    // Shut down as soon as the bot has started talking to the tenant about this request.
    await expect.poll(() => tenant.requestLog().length, { timeout: 10_000, interval: 5 }).toBeGreaterThan(0);
    const shutdown = app.close();
    closed = true;
    expect((await answer).status).toBeLessThan(300);
    await shutdown;

    const reopened = createSqliteStore({ dataDir });
    try {
      const incidents = await reopened.listIncidents({ targetId: MEGAN_ID });
      expect(incidents).toHaveLength(1);
      const steps = await reopened.listSteps(incidents[0]?.id ?? '');
      expect(steps).toHaveLength(12);
      expect(steps.every((step) => step.status === 'pending')).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

describe('stopping the bot process with a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s stops it with exit code 0 and leaves the store checkpointed',
    async (signal) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-signal-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const child = spawn(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            TENANT_MODE: 'simulated',
            LOCAL_DEMO: 'true',
            HOST: '127.0.0.1',
            PORT: '0',
            SIMULATOR_PORT: '0',
            DATA_DIR: dataDir,
            LOG_LEVEL: 'info',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      });

      let output = '';
      // The bot logs one JSON line with its URL once it listens.
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      child.kill(signal);
      expect(await exited).toBe(0);
      const messages = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; signal?: string });
      expect(messages.find((line) => line.msg?.startsWith('shutting down'))?.signal).toBe(signal);
      expect(messages.find((line) => line.msg === 'shutdown complete')?.signal).toBe(signal);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(fs.existsSync(path.join(dataDir, DATABASE_FILE_NAME))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, `${DATABASE_FILE_NAME}-wal`))).toBe(false);
    },
    45_000,
  );
});

/** A logger whose JSON lines are kept, to check what shutdown says. */
function recordingLogger(): {
  logger: ReturnType<typeof createLogger>;
  messages(): { msg: string; signal?: string }[];
} {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return {
    logger,
    messages: () => lines.map((line) => JSON.parse(line) as { msg: string; signal?: string }),
  };
}

/** A close() the test finishes (or fails) when it wants, counting calls. */
function controllableClose() {
  let finish: (() => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  let calls = 0;
  return {
    close: () => {
      calls += 1;
      return new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    },
    calls: () => calls,
    finish: () => finish?.(),
    fail: (error: Error) => fail?.(error),
  };
}

describe('the signal handler of the bot process', () => {
  it('logs the signal, waits for close() and exits 0 when it completes', async () => {
    const { logger, messages } = recordingLogger();
    const closing = controllableClose();
    const exits: number[] = [];
    const onSignal = createSignalHandler({
      close: closing.close,
      logger,
      timeoutMs: 5_000,
      exit: (code) => exits.push(code),
    });

    onSignal('SIGTERM');
    expect(closing.calls()).toBe(1);
    expect(messages()[0]).toMatchObject({ msg: expect.stringMatching(/^shutting down/), signal: 'SIGTERM' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);

    closing.finish();
    await expect.poll(() => exits).toEqual([0]);
    expect(messages().at(-1)).toMatchObject({ msg: 'shutdown complete', signal: 'SIGTERM' });
  });

  it('exits 1 when close() fails, and logs why', async () => {
    const { logger, messages } = recordingLogger();
    const closing = controllableClose();
    const exits: number[] = [];
    createSignalHandler({ close: closing.close, logger, timeoutMs: 5_000, exit: (code) => exits.push(code) })(
      'SIGINT',
    );

    closing.fail(new Error('the store could not flush'));
    await expect.poll(() => exits).toEqual([1]);
    const failure = messages().find((line) => line.msg === 'shutdown failed');
    expect(JSON.stringify(failure)).toContain('the store could not flush');
  });

  it('exits 1 once the deadline passes while close() still waits', async () => {
    const { logger, messages } = recordingLogger();
    const closing = controllableClose();
    const exits: number[] = [];
    createSignalHandler({ close: closing.close, logger, timeoutMs: 50, exit: (code) => exits.push(code) })(
      'SIGTERM',
    );

    await expect.poll(() => exits, { timeout: 2_000 }).toEqual([1]);
    expect(messages().some((line) => line.msg.startsWith('shutdown deadline passed'))).toBe(true);
    // A close() that finishes after the deadline changes nothing.
    closing.finish();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([1]);
  });

  it('exits at once on a second signal, without closing twice', async () => {
    const { logger, messages } = recordingLogger();
    const closing = controllableClose();
    const exits: number[] = [];
    const onSignal = createSignalHandler({
      close: closing.close,
      logger,
      timeoutMs: 5_000,
      exit: (code) => exits.push(code),
    });

    onSignal('SIGTERM');
    onSignal('SIGINT');
    expect(exits).toEqual([1]);
    expect(closing.calls()).toBe(1);
    expect(messages().at(-1)).toMatchObject({
      signal: 'SIGINT',
      msg: expect.stringMatching(/second signal/),
    });
  });

  it('exits 1 when close() throws synchronously', async () => {
    const exits: number[] = [];
    createSignalHandler({
      close: () => {
        throw new Error('already closed');
      },
      logger: createSilentLogger(),
      timeoutMs: 5_000,
      exit: (code) => exits.push(code),
    })('SIGTERM');
    await expect.poll(() => exits).toEqual([1]);
  });
});

describe('readiness while draining', () => {
  it('answers /readyz 503 once shutdown began, while /healthz stays 200', async () => {
    let draining = false;
    const server = createBotServer({
      adapter: new CloudAdapter(
        new ConfigurationBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' }),
      ),
      runTurn: async () => undefined,
      probes: [{ name: 'store', check: async () => undefined }],
      logger: createSilentLogger(),
      isDraining: () => draining,
    });
    const running = await listen(server, 0, '127.0.0.1');
    cleanups.push(() => running.close());

    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    draining = true;
    const answer = await fetch(`${running.url}/readyz`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 'draining' });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });
});

describe('the shutdown deadline and a second signal in the bot process', () => {
  /** Starts `src/index.ts` against a slow simulated tenant and opens an incident, so a turn is in flight. */
  async function botWithTurnInFlight(extraEnv: Record<string, string>) {
    // Every tenant request takes 2 s: discovering an incident takes far longer than the deadline.
    const tenant = await startSimulatedTenant({ port: 0, latencyMs: 2_000 });
    cleanups.push(() => tenant.close());
    const connector = await startFakeConnector();
    cleanups.push(() => connector.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-deadline-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          TENANT_MODE: 'simulated',
          SIMULATOR_URL: tenant.url,
          LOCAL_DEMO: 'true',
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1], { timeout: 30_000 }).toBeDefined();
    const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1] ?? '';

    tenant.resetLog();
    const answer = post(
      url,
      activity(connector.url, { type: 'message', id: 'm1', text: 'compromised MeganB@contoso.com' }),
    ).catch(() => undefined);
    await expect.poll(() => tenant.requestLog().length, { timeout: 10_000, interval: 5 }).toBeGreaterThan(0);
    const messages = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; signal?: string });
    return { child, exited, answer, messages };
  }

  it('exits 1 when the turns in flight outlast SHUTDOWN_TIMEOUT_MS', async () => {
    const bot = await botWithTurnInFlight({ SHUTDOWN_TIMEOUT_MS: '300' });
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(1);
    expect(bot.messages().some((line) => line.msg?.startsWith('shutdown deadline passed'))).toBe(true);
    expect(bot.messages().some((line) => line.msg === 'shutdown complete')).toBe(false);
    await bot.answer;
  }, 45_000);

  it('exits 1 at once on a second signal while draining', async () => {
    const bot = await botWithTurnInFlight({ SHUTDOWN_TIMEOUT_MS: '20000' });
    bot.child.kill('SIGTERM');
    await expect
      .poll(() => bot.messages().some((line) => line.msg?.startsWith('shutting down')), { timeout: 5_000 })
      .toBe(true);
    bot.child.kill('SIGINT');
    expect(await bot.exited).toBe(1);
    expect(bot.messages().find((line) => line.msg?.startsWith('second signal'))?.signal).toBe('SIGINT');
    // The second signal, not the 20 s deadline, ended the process.
    expect(bot.messages().some((line) => line.msg?.startsWith('shutdown deadline passed'))).toBe(false);
    await bot.answer;
  }, 45_000);
});
