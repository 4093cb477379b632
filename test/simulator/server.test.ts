import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../src/simulator';
import { defaultFixtureWith, errorOf, ids, readResult, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('simulated tenant server', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => {
    harness.tenant.reset();
    harness.tenant.resetLog();
  });

  it('listens on an ephemeral loopback port', () => {
    expect(harness.tenant.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(harness.tenant.port).toBeGreaterThan(0);
    expect(harness.tenant.tenantId).toBe(ids.tenant);
  });

  it('refuses requests without a bearer token with InvalidAuthenticationToken', async () => {
    const result = await readResult(await fetch(`${harness.tenant.url}/v1.0/users/${ids.megan}`));
    expect(result.status).toBe(401);
    expect(errorOf(result).code).toBe('InvalidAuthenticationToken');
  });

  it('puts a request-id on every response and echoes client-request-id in header and error body', async () => {
    const result = await harness.graph('/users/nobody@contoso.com', {
      headers: { 'client-request-id': 'abc-123' },
    });
    expect(result.status).toBe(404);
    expect(result.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.headers.get('client-request-id')).toBe('abc-123');
    const innerError = errorOf(result).innerError as Record<string, unknown>;
    expect(innerError['request-id']).toBe(result.headers.get('request-id'));
    expect(innerError['client-request-id']).toBe('abc-123');
    expect(typeof innerError.date).toBe('string');
  });

  it('answers an unknown Graph segment like Graph does', async () => {
    const result = await harness.graph('/users/x/noSuchThing/here');
    expect(result.status).toBe(400);
    expect(errorOf(result).message).toContain("Resource not found for the segment 'here'");
  });

  it('answers malformed JSON with 400 BadRequest', async () => {
    const response = await fetch(`${harness.tenant.url}/v1.0/users/${ids.megan}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{not json',
    });
    const result = await readResult(response);
    expect(result.status).toBe(400);
    expect(errorOf(result).code).toBe('BadRequest');
  });

  it('logs each request with service, path and query, status, request id and whether it wrote', async () => {
    const read = await harness.graph(`/users/${ids.megan}?$select=id,accountEnabled`);
    await harness.graph(`/users/${ids.megan}/checkMemberGroups`, {
      method: 'POST',
      body: { groupIds: [ids.socResponders] },
    });
    await harness.graph(`/users/${ids.megan}/revokeSignInSessions`, { method: 'POST' });
    const log = harness.tenant.requestLog();
    expect(log.map((entry) => [entry.service, entry.method, entry.status, entry.write])).toEqual([
      ['graph', 'GET', 200, false],
      ['graph', 'POST', 200, false],
      ['graph', 'POST', 200, true],
    ]);
    expect(log[0]?.path).toBe(`/v1.0/users/${ids.megan}?$select=id,accountEnabled`);
    expect(log[0]?.requestId).toBe(read.headers.get('request-id'));
    expect(Date.parse(log[0]?.time ?? '')).not.toBeNaN();
  });

  it('exposes state, the request log and reset over /_sim', async () => {
    await harness.graph(`/users/${ids.megan}`, { method: 'PATCH', body: { accountEnabled: false } });
    const state = await readResult(await fetch(`${harness.tenant.url}/_sim/state`));
    const users = state.body.users as { id: string; accountEnabled: boolean }[];
    expect(users.find((user) => user.id === ids.megan)?.accountEnabled).toBe(false);

    const requests = await readResult(await fetch(`${harness.tenant.url}/_sim/requests`));
    expect((requests.body.value as { method: string }[]).some((entry) => entry.method === 'PATCH')).toBe(
      true,
    );

    expect((await fetch(`${harness.tenant.url}/_sim/requests`, { method: 'DELETE' })).status).toBe(204);
    const cleared = await readResult(await fetch(`${harness.tenant.url}/_sim/requests`));
    expect((cleared.body.value as { service: string }[]).filter((entry) => entry.service !== 'sim')).toEqual(
      [],
    );

    expect((await fetch(`${harness.tenant.url}/_sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(harness.tenant.state().users.find((user) => user.id === ids.megan)?.accountEnabled).toBe(true);
  });

  it('state() is a deep copy that callers cannot use to change the tenant', () => {
    const copy = harness.tenant.state();
    copy.users.length = 0;
    expect(harness.tenant.state().users.length).toBeGreaterThan(0);
  });

  it('accepts only the configured tokens when the fixture lists acceptedTokens', async () => {
    const fixture = await defaultFixtureWith((f) => {
      (f.app as Record<string, unknown>).acceptedTokens = ['good-token'];
    });
    const tenant = await startSimulatedTenant({ port: 0, fixture });
    try {
      const call = (token: string) =>
        fetch(`${tenant.url}/v1.0/users/${ids.megan}`, { headers: { authorization: `Bearer ${token}` } });
      expect((await call('good-token')).status).toBe(200);
      const refused = await readResult(await call('other-token'));
      expect(refused.status).toBe(401);
      expect(errorOf(refused).code).toBe('InvalidAuthenticationToken');
      // Tokens are secrets: they never appear in the state exposed over HTTP.
      expect(JSON.stringify(tenant.state())).not.toContain('good-token');
      expect(await (await fetch(`${tenant.url}/_sim/state`)).text()).not.toContain('good-token');
      await fetch(`${tenant.url}/_sim/reset`, { method: 'POST' });
      expect((await call('other-token')).status).toBe(401);
    } finally {
      await tenant.close();
    }
  });

  it('adds the configured latency to each request', async () => {
    const slow = await startSimulatedTenant({ port: 0, latencyMs: 120 });
    try {
      const started = performance.now();
      await fetch(`${slow.url}/v1.0/users/${ids.megan}`, { headers: { authorization: 'Bearer t' } });
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });
});
