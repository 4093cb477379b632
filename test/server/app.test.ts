import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { createSilentLogger } from '../../src/observability/logger';
import { StartupRefusedError } from '../../src/server';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore } from '../../src/store';

const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const MEGAN = {
  id: '29:megan',
  name: 'Megan Bowen',
  aadObjectId: '14e1ed1f-b4f7-47ee-ae98-d39876f6f691',
  userPrincipalName: 'MeganB@contoso.com',
};

interface ConnectorCall {
  method: string;
  url: string;
  body: string;
}

/** A stand-in for the Bot Connector service: records what the bot sends, answers getMember. */
async function startFakeConnector(calls: ConnectorCall[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 1;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.includes('/members/')) {
        res.end(JSON.stringify(MEGAN));
        return;
      }
      res.end(JSON.stringify({ id: `sent-${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the composed bot over real HTTP (simulated tenant, fake connector)', () => {
  let tenant: SimulatedTenant;
  let app: RunningRemediator;
  let connector: { url: string; close(): Promise<void> };
  const calls: ConnectorCall[] = [];

  beforeAll(async () => {
    tenant = await startSimulatedTenant({ port: 0 });
    connector = await startFakeConnector(calls);
    app = await startRemediator({
      config: loadConfig({ LOCAL_DEMO: 'true', PORT: '0', LOG_LEVEL: 'silent' }),
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ inMemory: true }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await tenant?.close();
  });

  it('turns "@Remediator compromised @Megan Bowen" into an incident with its cards', async () => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'm1',
        channelId: 'msteams',
        serviceUrl: connector.url,
        text: '<at>Remediator</at> compromised <at>Megan Bowen</at>',
        from: { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' },
        recipient: { id: '28:bot', name: 'Remediator' },
        conversation: { id: 'group-1', isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID },
        channelData: { tenant: { id: TENANT_ID } },
        entities: [
          { type: 'mention', mentioned: { id: '28:bot', name: 'Remediator' }, text: '<at>Remediator</at>' },
          { type: 'mention', mentioned: { id: MEGAN.id, name: MEGAN.name }, text: '<at>Megan Bowen</at>' },
        ],
      }),
    });
    expect(response.status).toBeLessThan(300);
    await app.teams.background.idle();

    const [incident] = await app.engine.listOpenIncidents();
    expect(incident?.target.id).toBe(MEGAN.aadObjectId);
    expect(incident?.status).toBe('awaiting-approval');
    const cards = calls.filter(
      (call) => call.method === 'POST' && call.body.includes('application/vnd.microsoft.card.adaptive'),
    );
    expect(cards).toHaveLength(13);
    expect(calls.some((call) => call.method === 'GET' && call.url.includes('/members/29%3Amegan'))).toBe(
      true,
    );
  });

  it('/readyz sees the store and the tenant', async () => {
    const response = await fetch(`${app.url}/readyz`);
    expect(response.status).toBe(200);
  });
});

describe('start-up refusal', () => {
  it('refuses an anonymous bot that is not explicitly a loopback local demo', async () => {
    await expect(
      startRemediator({
        config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }),
        logger: createSilentLogger(),
      }),
    ).rejects.toBeInstanceOf(StartupRefusedError);
    await expect(
      startRemediator({
        config: loadConfig({ LOCAL_DEMO: 'true', HOST: '0.0.0.0', PORT: '0', LOG_LEVEL: 'silent' }),
        logger: createSilentLogger(),
      }),
    ).rejects.toThrow(/loopback/);
  });
});
