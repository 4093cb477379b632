import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/observability/logger';
import {
  assertBotMayStart,
  createBotServer,
  isLoopbackHost,
  listen,
  StartupRefusedError,
} from '../../src/server';
import type { ReadinessProbe, RunningServer } from '../../src/server';

let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(probes: ReadinessProbe[] = [], turns: string[] = []): Promise<string> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' }),
  );
  const server = createBotServer({
    adapter,
    runTurn: async (context: TurnContext) => {
      turns.push(context.activity.text ?? '');
    },
    probes,
    logger: createSilentLogger(),
    maxBodyBytes: 4096,
    probeTimeoutMs: 200,
  });
  running = await listen(server, 0, '127.0.0.1');
  return running.url;
}

describe('start-up guard', () => {
  it.each([
    [{ appId: 'app', localDemo: false, host: '0.0.0.0' }, true],
    [{ appId: undefined, localDemo: true, host: '127.0.0.1' }, true],
    [{ appId: undefined, localDemo: true, host: 'localhost' }, true],
    [{ appId: undefined, localDemo: true, host: '::1' }, true],
    [{ appId: undefined, localDemo: false, host: '127.0.0.1' }, false],
    [{ appId: undefined, localDemo: true, host: '0.0.0.0' }, false],
    [{ appId: undefined, localDemo: true, host: '10.0.0.5' }, false],
  ])('%o may start: %s', (bot, allowed) => {
    if (allowed) expect(() => assertBotMayStart(bot)).not.toThrow();
    else expect(() => assertBotMayStart(bot)).toThrow(StartupRefusedError);
  });

  it('names BOT_ID and LOCAL_DEMO in the refusal', () => {
    expect(() => assertBotMayStart({ localDemo: false, host: '127.0.0.1' })).toThrow(/BOT_ID.*LOCAL_DEMO/s);
    expect(() => assertBotMayStart({ localDemo: true, host: '0.0.0.0' })).toThrow(/HOST must be a loopback/);
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('example.com')).toBe(false);
  });
});

describe('HTTP endpoints', () => {
  it('/healthz answers alive', async () => {
    const url = await start();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'alive' });
  });

  it('/readyz is 200 when every probe passes and 503 naming the failing one otherwise', async () => {
    const url = await start([
      { name: 'store', check: async () => undefined },
      { name: 'tenant', check: async () => Promise.reject(new Error('connection refused to secret-host')) },
      { name: 'slow', check: () => new Promise(() => undefined) },
    ]);
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    const body = JSON.stringify(await response.json());
    expect(body).toContain('"name":"tenant","ready":false');
    expect(body).toContain('"name":"slow","ready":false');
    expect(body).toContain('"name":"store","ready":true');
    expect(body).not.toContain('secret-host');
  });

  it('/readyz is 200 when all dependencies answer', async () => {
    const url = await start([{ name: 'store', check: async () => undefined }]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('malformed JSON is a 400 and never reaches the bot', async () => {
    const turns: string[] = [];
    const url = await start([], turns);
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message",',
    });
    expect(response.status).toBe(400);
    expect(turns).toHaveLength(0);
  });

  it('a JSON body that is not an activity object is a 400', async () => {
    const url = await start();
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2,3]',
    });
    expect(response.status).toBe(400);
  });

  it('an oversized body is refused', async () => {
    const turns: string[] = [];
    const url = await start([], turns);
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(10_000) }),
    });
    expect(response.status).toBe(413);
    expect(turns).toHaveLength(0);
  });

  it('a valid activity reaches the bot (anonymous local demo)', async () => {
    const turns: string[] = [];
    const url = await start([], turns);
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: '1',
        text: 'hi',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1/',
        from: { id: 'u' },
        recipient: { id: 'b' },
        conversation: { id: 'c' },
      }),
    });
    expect(response.status).toBeLessThan(300);
    expect(turns).toEqual(['hi']);
  });
});
