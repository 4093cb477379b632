import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { createSilentLogger } from '../../src/observability/logger';
import { assertBotMayStart, StartupRefusedError } from '../../src/server';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore } from '../../src/store';
import { startFakeConnector } from './support/fakeConnector';
import type { FakeConnector } from './support/fakeConnector';
import { PEOPLE, mentionMessage, postActivity } from './support/teamsActivities';
import { CHANNEL_ISSUER, startTokenAuthority } from './support/tokenAuthority';
import type { TokenAuthority } from './support/tokenAuthority';

const BOT_ID = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';

describe('start-up: anonymous only as an explicit loopback demo', () => {
  it.each([
    [{}, /BOT_ID is not set.*Set BOT_ID \(and SECRET_BOT_PASSWORD\), or set LOCAL_DEMO=true/s],
    [{ LOCAL_DEMO: 'true', HOST: '0.0.0.0' }, /HOST must be a loopback address/],
    [{ LOCAL_DEMO: 'true', HOST: '192.168.1.20' }, /HOST must be a loopback address/],
    [{ LOCAL_DEMO: 'true', HOST: '127.0.0.1.nip.io' }, /HOST must be a loopback address/],
    [{ LOCAL_DEMO: 'true', HOST: '::' }, /HOST must be a loopback address/],
  ])('%o refuses to start and says what to set', async (env, message) => {
    const start = startRemediator({
      config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }),
      logger: createSilentLogger(),
    });
    await expect(start).rejects.toBeInstanceOf(StartupRefusedError);
    await expect(start).rejects.toThrow(message);
  });

  it('an app id always means authentication, LOCAL_DEMO or not, on any interface', () => {
    expect(() => assertBotMayStart({ appId: BOT_ID, localDemo: true, host: '0.0.0.0' })).not.toThrow();
  });
});

describe('the composed bot with an app id validates every request', () => {
  let authority: TokenAuthority;
  let tenant: SimulatedTenant;
  let connector: FakeConnector;
  let app: RunningRemediator;

  beforeAll(async () => {
    authority = await startTokenAuthority();
    tenant = await startSimulatedTenant({ port: 0 });
    connector = await startFakeConnector({ [PEOPLE.megan.id]: PEOPLE.megan });
    app = await startRemediator({
      config: loadConfig({
        BOT_ID,
        SECRET_BOT_PASSWORD: 'inbound-only-test-password',
        BOT_APP_TYPE: 'MultiTenant',
        PORT: '0',
        LOG_LEVEL: 'silent',
      }),
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ inMemory: true }),
      botAuthenticationEndpoints: authority.endpoints,
    });
    tenant.resetLog();
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await tenant?.close();
    await authority?.close();
  });

  it.each([
    ['no token', undefined],
    ['a forged token', () => `Bearer ${authority.signWithForeignKey({ iss: CHANNEL_ISSUER, aud: BOT_ID })}`],
    [
      'a token for another bot',
      () => `Bearer ${authority.sign({ iss: CHANNEL_ISSUER, aud: 'another-bot' })}`,
    ],
  ])('%s: 401, and neither the tenant, the connector nor the engine sees anything', async (_name, header) => {
    const activity = mentionMessage(connector.url, PEOPLE.alex, 'compromised', [PEOPLE.megan]);
    const response = await postActivity(app.url, activity, header?.());
    expect(response.status).toBe(401);
    await app.teams.background.idle();
    expect(tenant.requestLog()).toEqual([]);
    expect(connector.calls).toEqual([]);
    expect(await app.engine.listOpenIncidents()).toEqual([]);
  });
});
