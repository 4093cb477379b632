import fc from 'fast-check';
import { TestAdapter } from 'botbuilder';
import type { Activity, TurnContext } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/observability/logger';
import {
  AlertWebhook,
  ALERT_SIGNATURE_HEADER,
  ALERT_TIMESTAMP_HEADER,
  alertSchema,
  signAlert,
} from '../../src/teams/alerts';
import type { Alert } from '../../src/teams/alerts';
import { createBotServer, createCloudAdapter, listen } from '../../src/server';
import type { RunningServer } from '../../src/server';
import { createSqliteStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { createTeamsBot, VERBS } from '../../src/teams';
import type { TeamsBot } from '../../src/teams';
import { FakeMemberResolver, FakeRemediationEngine, MEGAN, RecordingGateway } from '../support-teams/fakes';

/**
 * Property-based fuzzing of everything a caller controls: message text, mention entities,
 * card action payloads and webhook bodies. Properties: no crash, no unhandled rejection,
 * every reply well-formed. Thousands of cases, well under a minute.
 */

const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const BOT = { id: '28:bot', name: 'Remediator' };
const ALEX = { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' };
const ADELE = { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a54ff265-58d9-483a-8973-e07982bd7315' };
const GROUP = { id: 'group-chat-soc', isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID };

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

interface BotUnderTest {
  teams: TeamsBot;
  adapter: TestAdapter;
  engine: FakeRemediationEngine;
  store: Store;
  turnErrors: unknown[];
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
}

function botUnderTest(): BotUnderTest {
  const engine = new FakeRemediationEngine();
  const store = createSqliteStore({ inMemory: true });
  const turnErrors: unknown[] = [];
  const teams = createTeamsBot({
    engine,
    store,
    gateway: new RecordingGateway(),
    members: new FakeMemberResolver({
      '29:megan': {
        aadObjectId: MEGAN.id,
        userPrincipalName: MEGAN.userPrincipalName,
        name: MEGAN.displayName,
      },
    }),
    logger: createSilentLogger(),
    simulated: true,
    fourEyes: true,
    allowedTenantId: TENANT_ID,
    audit: store,
    fastAnswerMs: 50,
  });
  const adapter = new TestAdapter(async (context: TurnContext) => teams.bot.run(context));
  adapter.onTurnError = async (_context, error) => void turnErrors.push(error);
  return {
    teams,
    adapter,
    engine,
    store,
    turnErrors,
    send: async (activity) => {
      adapter.activeQueue.splice(0);
      await adapter.processActivity({
        channelId: 'msteams',
        serviceUrl: 'https://smba.example/',
        recipient: BOT,
        conversation: GROUP as Activity['conversation'],
        channelData: { tenant: { id: TENANT_ID } },
        locale: 'en-US',
        ...activity,
      });
      return [...adapter.activeQueue];
    },
  };
}

/** A reply Teams can render: a message with text and/or attachments, or an invoke response. */
function assertWellFormed(reply: Partial<Activity>): void {
  if (reply.type === 'invokeResponse') {
    const value = reply.value as { status?: unknown; body?: unknown };
    expect([200, 400]).toContain(value.status);
    const body = value.body as { type?: unknown; statusCode?: unknown };
    expect([
      'application/vnd.microsoft.card.adaptive',
      'application/vnd.microsoft.activity.message',
      'application/vnd.microsoft.error',
    ]).toContain(body.type);
    return;
  }
  if (reply.type === 'typing') return;
  expect(reply.type).toBe('message');
  const hasText = typeof reply.text === 'string' && reply.text.length > 0;
  const hasCard = Array.isArray(reply.attachments) && reply.attachments.length > 0;
  expect(hasText || hasCard).toBe(true);
  if (hasText) {
    expect(reply.text).not.toMatch(/\[object Object\]|\bundefined\b|^\s*at .*\(.*:\d+:\d+\)/m);
    expect((reply.text ?? '').length).toBeLessThan(30_000);
  }
}

const COMMAND_PREFIXES = [
  '',
  'compromised ',
  'history ',
  'report ',
  'cancel ',
  'status',
  'help',
  'restore roles ',
];

const mentionArbitrary = fc.record({
  type: fc.constantFrom('mention', 'clientInfo', 'Mention', ''),
  mentioned: fc.oneof(
    fc.record({
      id: fc.oneof(fc.constant('29:megan'), fc.string({ maxLength: 40 })),
      name: fc.string({ maxLength: 40 }),
    }),
    fc.constant(undefined),
    fc.anything(),
  ),
  text: fc.oneof(fc.string({ maxLength: 60 }), fc.constant('<at>Megan Bowen</at>'), fc.anything()),
});

describe('fuzzing the Teams edge', () => {
  let bot: BotUnderTest;
  beforeAll(() => {
    bot = botUnderTest();
  });
  afterAll(async () => {
    await bot.teams.background.idle();
    await bot.store.close();
  });

  it('message text: any text after any command word gets a well-formed answer and never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMAND_PREFIXES),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.constantFrom(
            '<at>',
            '</at>',
            '<at><at>x</at>',
            '@',
            'megan@contoso.com',
            '\u0000',
            '`'.repeat(50),
          ),
        ),
        fc.constantFrom(ALEX, ADELE, { id: '29:nobody', name: 'Nobody' }),
        async (prefix, text, from) => {
          const replies = await bot.send({
            type: 'message',
            text: `<at>Remediator</at> ${prefix}${text}`,
            from,
            entities: [{ type: 'mention', mentioned: BOT, text: '<at>Remediator</at>' }],
          });
          replies.forEach(assertWellFormed);
        },
      ),
      { numRuns: 1_500 },
    );
    await bot.teams.background.idle();
    expect(bot.turnErrors).toEqual([]);
  }, 60_000);

  it('mention entities: malformed, foreign or hostile mentions never crash the bot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('compromised', 'history', 'restore roles', ''),
        fc.array(mentionArbitrary, { maxLength: 6 }),
        fc.string({ maxLength: 80 }),
        async (command, mentions, tail) => {
          const replies = await bot.send({
            type: 'message',
            text: `<at>Remediator</at> ${command} ${tail}`,
            from: ALEX,
            entities: [{ type: 'mention', mentioned: BOT, text: '<at>Remediator</at>' }, ...mentions],
          });
          replies.forEach(assertWellFormed);
        },
      ),
      { numRuns: 800 },
    );
    await bot.teams.background.idle();
    expect(bot.turnErrors).toEqual([]);
  }, 60_000);

  it('card action payloads: any verb and any data get a well-formed invoke response', async () => {
    // Some real incidents, so payloads can name them.
    await bot.send({
      type: 'message',
      text: '<at>Remediator</at> compromised megan@contoso.com',
      from: ALEX,
      entities: [{ type: 'mention', mentioned: BOT, text: '<at>Remediator</at>' }],
    });
    await bot.teams.background.idle();
    const incidentIds = [...bot.engine.incidents.keys()];
    const idArbitrary = fc.oneof(
      fc.constantFrom(...incidentIds),
      fc.string({ maxLength: 120 }),
      fc.anything(),
    );
    const dataArbitrary = fc.oneof(
      fc.record(
        {
          i: idArbitrary,
          s: fc.oneof(
            fc.constantFrom('block-sign-in', 'reset-password', 'inbox-rules'),
            fc.string({ maxLength: 30 }),
            fc.anything(),
          ),
          v: fc.oneof(fc.string({ maxLength: 20 }), fc.anything()),
          credentialKind: fc.oneof(fc.constantFrom('password', 'temporaryAccessPass'), fc.anything()),
          'finding:rule-1': fc.oneof(fc.constantFrom('true', 'false'), fc.anything()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...Object.values(VERBS)), fc.string({ maxLength: 30 })),
        dataArbitrary,
        fc.constantFrom(ALEX, ADELE, { id: '29:x', name: 'No Entra id' }),
        async (verb, data, from) => {
          const replies = await bot.send({
            type: 'invoke',
            name: 'adaptiveCard/action',
            from,
            replyToId: 'card-activity',
            value: { action: { type: 'Action.Execute', verb, data } },
          });
          const response = replies.find((reply) => reply.type === 'invokeResponse');
          expect(response).toBeDefined();
          replies.forEach(assertWellFormed);
        },
      ),
      { numRuns: 1_500 },
    );
    await bot.teams.background.idle();
    expect(bot.turnErrors).toEqual([]);
  }, 60_000);
});

describe('fuzzing the alert webhook', () => {
  const SECRET = 'fuzzing-secret-of-sufficient-length-0123';
  const raised: Alert[] = [];
  let now = Date.parse('2026-11-25T22:00:00Z');
  const webhook = new AlertWebhook({
    secret: SECRET,
    sink: { raise: async (alert) => (raised.push(alert), { reference: 'r' }) },
    audit: { appendAudit: async () => undefined },
    logger: createSilentLogger(),
    clock: () => (now += 1),
  });

  const userArbitrary = fc.oneof(fc.emailAddress(), fc.uuid(), fc.string({ maxLength: 40 }));
  const alertLike = fc.record(
    {
      users: fc.oneof(fc.array(userArbitrary, { maxLength: 8 }), fc.anything()),
      alertId: fc.oneof(fc.string({ maxLength: 30 }), fc.anything()),
      source: fc.oneof(fc.constantFrom('Microsoft Sentinel', 'Defender XDR'), fc.string(), fc.anything()),
      severity: fc.oneof(fc.constantFrom('High', 'medium', 'LOW', 'Informational'), fc.string()),
      title: fc.oneof(fc.string({ maxLength: 80 }), fc.anything()),
      link: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'data:text/html,x'), fc.anything()),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('signed bodies: any JSON is answered 202 or 400, and only schema-valid alerts are raised', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(alertLike, fc.jsonValue()), async (body) => {
        const rawBody = JSON.stringify(body) ?? 'null';
        const timestamp = String(Math.floor(now / 1000));
        const before = raised.length;
        const answer = await webhook.handle({
          rawBody,
          headers: {
            [ALERT_TIMESTAMP_HEADER]: timestamp,
            [ALERT_SIGNATURE_HEADER]: signAlert(SECRET, timestamp, rawBody),
          },
        });
        expect([202, 400, 409]).toContain(answer.status);
        if (answer.status === 202) {
          expect(raised.length).toBe(before + 1);
          expect(alertSchema.safeParse(JSON.parse(rawBody)).success).toBe(true);
        } else {
          expect(raised.length).toBe(before);
        }
      }),
      { numRuns: 2_500 },
    );
  });

  it('unsigned or wrongly signed requests: any headers and body are refused, nothing raised', async () => {
    const before = raised.length;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(ALERT_SIGNATURE_HEADER, ALERT_TIMESTAMP_HEADER, 'x-other'),
          fc.oneof(fc.string(), fc.array(fc.string())),
        ),
        fc.oneof(fc.string(), fc.constant(undefined)),
        async (headers, rawBody) => {
          const answer = await webhook.handle({ headers, rawBody });
          expect(answer.status).toBe(401);
        },
      ),
      { numRuns: 2_000 },
    );
    expect(raised.length).toBe(before);
  });
});

describe('fuzzing /api/messages over HTTP', () => {
  let running: RunningServer;
  let turns = 0;
  beforeAll(async () => {
    const server = createBotServer({
      adapter: createCloudAdapter(
        { localDemo: true, host: '127.0.0.1', port: 0, appType: 'MultiTenant' },
        TENANT_ID,
      ),
      runTurn: async () => void (turns += 1),
      probes: [],
      logger: createSilentLogger(),
      allowedTenantId: TENANT_ID,
    });
    running = await listen(server, 0, '127.0.0.1');
  });
  afterAll(async () => running.close());

  it('any JSON body is answered with a 2xx or 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              type: fc.oneof(fc.string(), fc.anything()),
              channelId: fc.constantFrom('msteams', 'webchat'),
              text: fc.anything(),
              channelData: fc.anything(),
              conversation: fc.anything(),
              from: fc.anything(),
            },
            { requiredKeys: [] },
          ),
        ),
        async (body) => {
          const response = await fetch(`${running.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body) ?? 'null',
          });
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    expect(turns).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
