import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/observability/logger';
import {
  ALERT_SIGNATURE_HEADER,
  ALERT_TIMESTAMP_HEADER,
  AlertWebhook,
  signAlert,
} from '../../src/teams/alerts';
import type { Alert } from '../../src/teams/alerts';
import type { AuditEvent } from '../../src/store/types';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const NOW = Date.parse('2026-11-25T22:00:00Z');
const seconds = (ms: number) => String(Math.floor(ms / 1000));

const validAlert = {
  users: ['MeganB@contoso.com', '14e1ed1f-b4f7-47ee-ae98-d39876f6f691'],
  alertId: 'sentinel-4711',
  source: 'Microsoft Sentinel',
  severity: 'High',
  title: 'Impossible travel and a new inbox forwarding rule',
  link: 'https://security.microsoft.com/incidents/4711',
};

function setup(options: { secret?: string; failSink?: number } = {}) {
  const raised: Alert[] = [];
  const audit: AuditEvent[] = [];
  let clock = NOW;
  let failures = options.failSink ?? 0;
  const webhook = new AlertWebhook({
    secret: 'secret' in options ? options.secret : SECRET,
    sink: {
      raise: async (alert) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('Teams is unreachable');
        }
        raised.push(alert);
        return { reference: `ref-${raised.length}` };
      },
    },
    audit: { appendAudit: async (event) => void audit.push(event) },
    logger: createSilentLogger(),
    clock: () => clock,
  });
  const signed = (body: unknown, at = NOW, secret = SECRET) => {
    const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = seconds(at);
    return {
      rawBody,
      headers: {
        [ALERT_TIMESTAMP_HEADER]: timestamp,
        [ALERT_SIGNATURE_HEADER]: signAlert(secret, timestamp, rawBody),
      } as Record<string, string>,
    };
  };
  return { webhook, raised, audit, signed, setClock: (value: number) => (clock = value) };
}

describe('the signed alert webhook', () => {
  it('accepts a correctly signed alert and only raises it (202, awaiting a responder)', async () => {
    const { webhook, raised, signed, audit } = setup();
    const answer = await webhook.handle(signed(validAlert));
    expect(answer).toEqual({ status: 202, body: { status: 'awaiting-responder', reference: 'ref-1' } });
    expect(raised).toEqual([{ ...validAlert, severity: 'high' }]);
    expect(audit).toEqual([expect.objectContaining({ event: 'alert.received', outcome: 'info' })]);
  });

  it.each([
    [
      'no headers',
      (s: ReturnType<typeof setup>['signed']) => ({ ...s(validAlert), headers: {} }),
      'MissingSignature',
    ],
    [
      'a signature from another secret',
      (s: ReturnType<typeof setup>['signed']) => s(validAlert, NOW, 'another-secret-another-secret-another'),
      'BadSignature',
    ],
    [
      'a body changed after signing',
      (s: ReturnType<typeof setup>['signed']) => ({
        ...s(validAlert),
        rawBody: JSON.stringify({ ...validAlert, users: ['PattiF@contoso.com'] }),
      }),
      'BadSignature',
    ],
    [
      'a timestamp changed after signing',
      (s: ReturnType<typeof setup>['signed']) => {
        const request = s(validAlert);
        return { ...request, headers: { ...request.headers, [ALERT_TIMESTAMP_HEADER]: seconds(NOW + 1000) } };
      },
      'BadSignature',
    ],
    [
      'a signature without the sha256= prefix',
      (s: ReturnType<typeof setup>['signed']) => {
        const request = s(validAlert);
        const signature = request.headers[ALERT_SIGNATURE_HEADER] ?? '';
        return { ...request, headers: { ...request.headers, [ALERT_SIGNATURE_HEADER]: signature.slice(7) } };
      },
      'BadSignature',
    ],
    [
      'a truncated signature',
      (s: ReturnType<typeof setup>['signed']) => {
        const request = s(validAlert);
        const signature = request.headers[ALERT_SIGNATURE_HEADER] ?? '';
        return {
          ...request,
          headers: { ...request.headers, [ALERT_SIGNATURE_HEADER]: signature.slice(0, 20) },
        };
      },
      'BadSignature',
    ],
    [
      'a timestamp that is not unix seconds',
      (s: ReturnType<typeof setup>['signed']) => {
        const request = s(validAlert);
        return {
          ...request,
          headers: { ...request.headers, [ALERT_TIMESTAMP_HEADER]: '2026-11-25T22:00:00Z' },
        };
      },
      'BadSignature',
    ],
    [
      'a request signed 6 minutes ago',
      (s: ReturnType<typeof setup>['signed']) => s(validAlert, NOW - 6 * 60_000),
      'StaleTimestamp',
    ],
    [
      'a request signed 6 minutes in the future',
      (s: ReturnType<typeof setup>['signed']) => s(validAlert, NOW + 6 * 60_000),
      'StaleTimestamp',
    ],
  ])('refuses %s with 401 and raises nothing', async (_name, build, code) => {
    const context = setup();
    const answer = await context.webhook.handle(build(context.signed));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe(code);
    expect(context.raised).toEqual([]);
    expect(context.audit).toEqual([expect.objectContaining({ event: 'alert.refused', outcome: 'refused' })]);
  });

  it('accepts a request signed 4 minutes ago (inside the window)', async () => {
    const { webhook, signed } = setup();
    expect((await webhook.handle(signed(validAlert, NOW - 4 * 60_000))).status).toBe(202);
  });

  it('refuses a replay of an accepted request within the window (409), raising once', async () => {
    const { webhook, raised, signed } = setup();
    const request = signed(validAlert);
    expect((await webhook.handle(request)).status).toBe(202);
    expect((await webhook.handle(request)).status).toBe(409);
    expect(
      (
        await webhook.handle({
          ...request,
          headers: {
            ...request.headers,
            [ALERT_SIGNATURE_HEADER]: request.headers[ALERT_SIGNATURE_HEADER]?.toUpperCase(),
          },
        })
      ).status,
    ).not.toBe(202);
    expect(raised).toHaveLength(1);
  });

  it('a replay after the window is refused as stale, so forgetting old signatures is safe', async () => {
    const { webhook, signed, setClock } = setup();
    const request = signed(validAlert);
    expect((await webhook.handle(request)).status).toBe(202);
    setClock(NOW + 5 * 60_000 + 1);
    expect((await webhook.handle(request)).body.error).toBe('StaleTimestamp');
  });

  it.each([
    ['not JSON', 'users=megan'],
    ['no users', { ...validAlert, users: [] }],
    ['501 users', { ...validAlert, users: Array.from({ length: 501 }, (_, n) => `user${n}@contoso.com`) }],
    [
      'a user that is neither a UPN nor an object id',
      { ...validAlert, users: ['<script>alert(1)</script>'] },
    ],
    ['a javascript: link', { ...validAlert, link: 'javascript:alert(1)' }],
    ['a plain http link', { ...validAlert, link: 'http://security.example.com/x' }],
    ['an unknown severity', { ...validAlert, severity: 'apocalyptic' }],
    ['an unexpected field (an instruction to act)', { ...validAlert, approve: true }],
    ['a missing alert id', { ...validAlert, alertId: undefined }],
    ['a 600 character title', { ...validAlert, title: 't'.repeat(600) }],
  ])('refuses a signed body with %s (400) and raises nothing', async (_name, body) => {
    const { webhook, raised, signed } = setup();
    const answer = await webhook.handle(signed(body));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('InvalidBody');
    expect(raised).toEqual([]);
  });

  it('accepts 500 users, the documented maximum', async () => {
    const { webhook, raised, signed } = setup();
    const users = Array.from({ length: 500 }, (_, n) => `user${n}@contoso.com`);
    expect((await webhook.handle(signed({ ...validAlert, users }))).status).toBe(202);
    expect(raised[0]?.users).toHaveLength(500);
  });

  it('refuses everything (503) while no secret is configured', async () => {
    const { webhook, raised, signed } = setup({ secret: undefined });
    const answer = await webhook.handle(signed(validAlert));
    expect(answer).toMatchObject({ status: 503, body: { error: 'NotConfigured' } });
    expect(raised).toEqual([]);
  });

  it('when the card cannot be posted the SIEM is told (503) and its retry of the same request succeeds', async () => {
    const { webhook, raised, signed, audit } = setup({ failSink: 1 });
    const request = signed(validAlert);
    expect((await webhook.handle(request)).status).toBe(503);
    expect((await webhook.handle(request)).status).toBe(202);
    expect(raised).toHaveLength(1);
    expect(audit.map((event) => event.event)).toEqual(['alert.failed', 'alert.received']);
  });

  it('audits at most 30 refusals a minute, so junk cannot flood the audit log', async () => {
    const { webhook, audit, setClock } = setup();
    for (let n = 0; n < 100; n += 1) await webhook.handle({ headers: {}, rawBody: '{}' });
    expect(audit).toHaveLength(30);
    setClock(NOW + 60_000);
    await webhook.handle({ headers: {}, rawBody: '{}' });
    expect(audit).toHaveLength(31);
  });
});
