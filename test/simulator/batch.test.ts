import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ids, startHarness } from './helpers';
import type { Harness } from './helpers';

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

describe('Graph JSON $batch', () => {
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

  const batch = async (requests: unknown[]) => {
    const result = await harness.graph('/$batch', { method: 'POST', body: { requests } });
    return {
      status: result.status,
      body: result.body,
      responses: (result.body.responses ?? []) as BatchResponse[],
    };
  };
  const byId = (responses: BatchResponse[], id: string) => responses.find((response) => response.id === id);

  it('runs independent requests through the normal routes and answers each', async () => {
    const { status, responses } = await batch([
      { id: '1', method: 'GET', url: `/users/${ids.megan}?$select=id,accountEnabled` },
      { id: '2', method: 'GET', url: `/users/${ids.megan}/authentication/methods` },
      { id: '3', method: 'GET', url: '/users/ghost@contoso.com' },
    ]);
    expect(status).toBe(200);
    expect(responses).toHaveLength(3);
    expect(byId(responses, '1')).toMatchObject({
      status: 200,
      body: { id: ids.megan, accountEnabled: true },
    });
    expect(byId(responses, '1')?.headers['Content-Type']).toContain('application/json');
    expect(byId(responses, '3')).toMatchObject({
      status: 404,
      body: { error: { code: 'Request_ResourceNotFound' } },
    });
  });

  it('orders dependent requests and answers 424 when a dependency failed', async () => {
    const { responses } = await batch([
      {
        id: 'block',
        method: 'PATCH',
        url: `/users/${ids.megan}`,
        headers: { 'Content-Type': 'application/json' },
        body: { accountEnabled: false },
      },
      { id: 'revoke', method: 'POST', url: `/users/${ids.megan}/revokeSignInSessions`, dependsOn: ['block'] },
      { id: 'bad', method: 'GET', url: '/users/ghost@contoso.com' },
      {
        id: 'after-bad',
        method: 'POST',
        url: `/users/${ids.adele}/revokeSignInSessions`,
        dependsOn: ['bad'],
      },
    ]);
    expect(byId(responses, 'block')?.status).toBe(204);
    expect(byId(responses, 'revoke')?.status).toBe(200);
    expect(byId(responses, 'after-bad')?.status).toBe(424);
    const log = harness.tenant.requestLog();
    const items = log.filter((entry) => entry.batchId !== undefined);
    expect(items.map((entry) => entry.method)).toEqual(expect.arrayContaining(['PATCH', 'POST', 'GET']));
    expect(items.findIndex((e) => e.method === 'PATCH')).toBeLessThan(
      items.findIndex((e) => e.path.endsWith('revokeSignInSessions')),
    );
    expect(items.some((entry) => entry.path.includes(ids.adele))).toBe(false);
    const envelope = log.find((entry) => entry.path === '/v1.0/$batch');
    expect(envelope).toMatchObject({ write: false, status: 200 });
    expect(items.every((entry) => entry.batchId === envelope?.requestId)).toBe(true);
    expect(harness.tenant.state().users.find((u) => u.id === ids.megan)?.accountEnabled).toBe(false);
    expect(
      harness.tenant.state().users.find((u) => u.id === ids.adele)?.signInSessionsValidFromDateTime,
    ).toBeNull();
  });

  it('refuses more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, index) => ({
      id: String(index),
      method: 'GET',
      url: `/users/${ids.megan}`,
    }));
    const { status, body } = await batch(requests);
    expect(status).toBe(400);
    expect(body).toHaveProperty('error');
  });

  it('refuses duplicate ids and unknown dependencies', async () => {
    expect(
      (
        await batch([
          { id: 'a', method: 'GET', url: '/users/x' },
          { id: 'a', method: 'GET', url: '/users/y' },
        ])
      ).status,
    ).toBe(400);
    expect((await batch([{ id: 'a', method: 'GET', url: '/users/x', dependsOn: ['zz'] }])).status).toBe(400);
  });

  it('answers 400 for an item with a body but no Content-Type header', async () => {
    const { responses } = await batch([
      { id: '1', method: 'PATCH', url: `/users/${ids.megan}`, body: { accountEnabled: false } },
    ]);
    expect(byId(responses, '1')?.status).toBe(400);
    expect(harness.tenant.state().users.find((u) => u.id === ids.megan)?.accountEnabled).toBe(true);
  });

  it('throttles items one by one: 20 rule reads for one mailbox get some 429s with Retry-After', async () => {
    const requests = Array.from({ length: 20 }, (_, index) => ({
      id: String(index),
      method: 'GET',
      url: `/users/${ids.megan}/mailFolders/inbox/messageRules`,
    }));
    const { status, responses } = await batch(requests);
    expect(status).toBe(200);
    const throttled = responses.filter((response) => response.status === 429);
    const ok = responses.filter((response) => response.status === 200);
    expect(ok.length).toBe(4);
    expect(throttled.length).toBe(16);
    expect(throttled[0]?.headers['Retry-After']).toBe('1');
  });
});
