import type { TurnContext } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/config';
import { createSilentLogger } from '../../src/observability/logger';
import { channelTokensOnly, createBotFrameworkAuthentication } from '../../src/server/botAuthentication';
import { createBotServer, createCloudAdapter, listen } from '../../src/server';
import type { RunningServer } from '../../src/server';
import type { AuditEvent } from '../../src/store/types';
import { CHANNEL_ISSUER, EMULATOR_ISSUER, startTokenAuthority } from './support/tokenAuthority';
import type { TokenAuthority } from './support/tokenAuthority';

const BOT_ID = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';
const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const BOT: BotConfig = {
  appId: BOT_ID,
  appPassword: 'not-used-inbound',
  appType: 'MultiTenant',
  localDemo: false,
  host: '127.0.0.1',
  port: 0,
};

function activity(overrides: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: 'a1',
    text: 'status',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' },
    recipient: { id: `28:${BOT_ID}`, name: 'Remediator' },
    conversation: { id: 'group-1', conversationType: 'groupChat', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    ...overrides,
  };
}

const validClaims = { iss: CHANNEL_ISSUER, aud: BOT_ID, serviceurl: SERVICE_URL };

let authority: TokenAuthority;
let running: RunningServer | undefined;
let turns: string[];
let audit: AuditEvent[];

beforeAll(async () => {
  authority = await startTokenAuthority();
});
afterAll(async () => authority.close());
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function startServer(): Promise<string> {
  turns = [];
  audit = [];
  const server = createBotServer({
    adapter: createCloudAdapter(BOT, TENANT_ID, authority.endpoints),
    runTurn: async (context: TurnContext) => {
      turns.push(context.activity.text ?? context.activity.type);
    },
    probes: [],
    logger: createSilentLogger(),
    allowedTenantId: TENANT_ID,
    audit: { appendAudit: async (event) => void audit.push(event) },
  });
  running = await listen(server, 0, '127.0.0.1');
  return running.url;
}

async function post(url: string, body: unknown, authorization?: string) {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization !== undefined ? { authorization } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('Bot Framework token validation on /api/messages (an app id is configured)', () => {
  it('a valid Teams channel token passes and the bot runs', async () => {
    const url = await startServer();
    const response = await post(url, activity(), `Bearer ${authority.sign(validClaims)}`);
    expect(response.status).toBe(200);
    expect(turns).toEqual(['status']);
  });

  const forged: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty Authorization header', () => ''],
    ['a Basic header', () => 'Basic YWxleDpwYXNzd29yZA=='],
    ['"Bearer" without a token', () => 'Bearer'],
    ['a malformed token', () => 'Bearer not-a-jwt'],
    ['three garbage segments', () => 'Bearer eyJhbGciOi.eyJpc3Mi.sig'],
    ['a token in two parts', () => `Bearer ${authority.sign(validClaims).split('.').slice(0, 2).join('.')}`],
    ['a bad signature (same kid, another key)', () => `Bearer ${authority.signWithForeignKey(validClaims)}`],
    ['alg "none"', () => `Bearer ${authority.unsigned(validClaims)}`],
    ['HS256 keyed with the public key', () => `Bearer ${authority.hmacWithPublicKey(validClaims)}`],
    ['a wrong audience', () => `Bearer ${authority.sign({ ...validClaims, aud: 'another-bot' })}`],
    ['no audience', () => `Bearer ${authority.sign({ iss: CHANNEL_ISSUER, serviceurl: SERVICE_URL })}`],
    ['a wrong issuer', () => `Bearer ${authority.sign({ ...validClaims, iss: 'https://evil.example.com' })}`],
    ['an expired token', () => `Bearer ${authority.sign(validClaims, { expiresInSeconds: -600 })}`],
    [
      'a serviceUrl claim that does not match the activity',
      () => `Bearer ${authority.sign({ ...validClaims, serviceurl: 'https://attacker.example.com/' })}`,
    ],
    [
      'an Emulator token for this bot',
      () => `Bearer ${authority.sign({ iss: EMULATOR_ISSUER, aud: BOT_ID, appid: BOT_ID, ver: '1.0' })}`,
    ],
    [
      'a skill token from another bot',
      () =>
        `Bearer ${authority.sign({ iss: EMULATOR_ISSUER, aud: BOT_ID, appid: 'c1f0f6d3-0000-4000-8000-000000000001', ver: '1.0' })}`,
    ],
    [
      'a valid token twice in the header',
      () => `Bearer ${authority.sign(validClaims)} ${authority.sign(validClaims)}`,
    ],
  ];

  it.each(forged)('%s is a 401 and runs no bot logic', async (_name, header) => {
    const url = await startServer();
    const response = await post(url, activity(), header());
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: 'Unauthorized' });
    expect(turns).toEqual([]);
    // Unauthenticated noise is not audited (only the log sees it), so it cannot fill the store.
    expect(audit).toEqual([]);
  });

  it('the refusal never echoes botbuilder internals to the caller', async () => {
    const url = await startServer();
    const response = await post(url, activity(), `Bearer ${authority.sign({ ...validClaims, aud: 'x' })}`);
    expect(response.text).not.toMatch(/AppId|audience|claim|stack/i);
  });
});

describe('only Teams channel tokens: the Emulator and skill paths are closed', () => {
  it('botbuilder alone would accept an Emulator token; channelTokensOnly refuses it', async () => {
    const emulatorToken = `Bearer ${authority.sign({ iss: EMULATOR_ISSUER, aud: BOT_ID, appid: BOT_ID, ver: '1.0' })}`;
    const settings = {
      MicrosoftAppId: BOT_ID,
      MicrosoftAppPassword: 'x',
      MicrosoftAppType: 'MultiTenant',
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      OAuthUrl: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: authority.endpoints.channelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: authority.endpoints.emulatorOpenIdMetadataUrl,
      CallerId: 'urn:botframework:azure',
    };
    const stock = new ConfigurationBotFrameworkAuthentication(settings);
    const a = activity() as never;
    await expect(stock.authenticateRequest(a, emulatorToken)).resolves.toBeDefined();

    const pinned = new ConfigurationBotFrameworkAuthentication(
      settings,
      undefined,
      channelTokensOnly(CHANNEL_ISSUER),
    );
    await expect(pinned.authenticateRequest(a, emulatorToken)).rejects.toThrow(/channel tokens/);
    const ours = createBotFrameworkAuthentication({ bot: BOT, endpoints: authority.endpoints });
    await expect(ours.authenticateRequest(a, emulatorToken)).rejects.toThrow();
    await expect(ours.authenticateRequest(a, `Bearer ${authority.sign(validClaims)}`)).resolves.toBeDefined();
  });
});

describe('channel and tenant pinning (authenticated requests)', () => {
  const bearer = () => `Bearer ${authority.sign(validClaims)}`;

  it.each([
    [
      'another tenant in channelData and conversation',
      {
        channelData: { tenant: { id: 'b0b0b0b0-0000-4000-8000-000000000000' } },
        conversation: { id: 'c', tenantId: 'b0b0b0b0-0000-4000-8000-000000000000' },
      },
      'WrongTenant',
    ],
    [
      'another tenant in channelData only',
      { channelData: { tenant: { id: 'b0b0b0b0-0000-4000-8000-000000000000' } }, conversation: { id: 'c' } },
      'WrongTenant',
    ],
    [
      'conversation and channelData disagreeing',
      { channelData: { tenant: { id: 'b0b0b0b0-0000-4000-8000-000000000000' } } },
      'TenantMismatch',
    ],
    ['no tenant at all', { channelData: {}, conversation: { id: 'c' } }, 'NoTenant'],
    [
      'a Web Chat activity (the sender identity is not vouched for)',
      { channelId: 'webchat' },
      'WrongChannel',
    ],
    ['a Direct Line activity', { channelId: 'directline' }, 'WrongChannel'],
  ])('%s is refused (403), audited, and runs no bot logic', async (_name, overrides, code) => {
    const url = await startServer();
    const response = await post(url, activity(overrides), bearer());
    expect(response.status).toBe(403);
    expect(turns).toEqual([]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ event: 'request.refused', outcome: 'refused' });
    expect(audit[0]?.detail).toContain(code);
  });

  it('the configured tenant, in any letter case, passes', async () => {
    const url = await startServer();
    const upper = TENANT_ID.toUpperCase();
    const response = await post(
      url,
      activity({ channelData: { tenant: { id: upper } }, conversation: { id: 'c', tenantId: upper } }),
      bearer(),
    );
    expect(response.status).toBe(200);
    expect(turns).toHaveLength(1);
  });
});

describe('request bodies', () => {
  it.each([
    ['malformed JSON', '{"type": "message",', 400],
    ['a JSON array', '[1,2,3]', 400],
    ['a JSON string', '"message"', 400],
    ['an activity without a type', '{"text":"hi"}', 400],
    [
      'an activity with a 50 000 character text',
      JSON.stringify({ type: 'message', text: 'x'.repeat(50_000) }),
      400,
    ],
    ['a body over the size limit', JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }), 413],
  ])('%s is refused before authentication and the bot', async (_name, body, status) => {
    const url = await startServer();
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer() },
      body,
    });
    expect(response.status).toBe(status);
    expect(turns).toEqual([]);
  });

  const bearer = () => `Bearer ${authority.sign(validClaims)}`;
});
