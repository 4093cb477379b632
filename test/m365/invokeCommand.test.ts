import { describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { InvokeCommandTransport } from '../../src/m365/exchange/invokeCommand';
import { RequestLimits } from '../../src/m365/limits';
import { createStats } from '../../src/m365/stats';
import { createM365Services, createSimulatorCredential } from '../../src/m365';
import { createSilentLogger } from '../../src/observability/logger';

interface RecordedRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records requests and answers from a script, one answer per call. */
function scriptedFetch(answers: Array<() => Response>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({
      url: String(input),
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: JSON.parse(String(init?.body)) as unknown,
    });
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    return answer();
  };
  return { requests, fetchImpl: fetchImpl as typeof fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function transport(
  fetchImpl: typeof fetch,
  credential: TokenCredential = createSimulatorCredential('tok-123'),
) {
  const stats = createStats();
  return {
    stats,
    transport: new InvokeCommandTransport({
      exchangeBaseUrl: 'https://outlook.office365.com',
      tenantId: 'aedee607-2a8c-4668-8b03-27f2a79988f2',
      tenantDomain: 'contoso.onmicrosoft.com',
      credential,
      retry: { maxRetries: 2, baseDelayInMs: 1 },
      stats,
      limits: new RequestLimits(),
      logger: createSilentLogger(),
      fetch: fetchImpl,
    }),
  };
}

describe('InvokeCommandTransport', () => {
  it('posts the cmdlet with the token, the anchor mailbox and JSON headers', async () => {
    const { requests, fetchImpl } = scriptedFetch([
      () => json(200, { value: [{ Identity: 'x' }] }, { 'request-id': 'r1' }),
    ]);
    const { transport: exchange } = transport(fetchImpl);
    const result = await exchange.run('exchange.getMailbox', 'Get-Mailbox', {
      Identity: 'MeganB@contoso.com',
    });
    expect(result).toEqual({ value: [{ Identity: 'x' }], requestId: 'r1' });
    expect(requests[0]).toMatchObject({
      url: 'https://outlook.office365.com/adminapi/beta/aedee607-2a8c-4668-8b03-27f2a79988f2/InvokeCommand',
      headers: {
        Authorization: 'Bearer tok-123',
        'Content-Type': 'application/json',
        'X-AnchorMailbox': 'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com',
      },
      body: { CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: 'MeganB@contoso.com' } } },
    });
  });

  it('asks the credential for an Exchange Online token, not a Graph one', async () => {
    const scopes: unknown[] = [];
    const recording: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(scope);
        return { token: 't', expiresOnTimestamp: Date.now() + 60_000 };
      },
    };
    const { fetchImpl } = scriptedFetch([() => json(200, { value: [] })]);
    await transport(fetchImpl, recording).transport.run(
      'exchange.getBlockedSenderAddress',
      'Get-BlockedSenderAddress',
      {},
    );
    expect(scopes).toEqual(['https://outlook.office365.com/.default']);
  });

  it('follows @odata.nextLink on the same host and concatenates pages', async () => {
    const next =
      'https://outlook.office365.com/adminapi/beta/aedee607-2a8c-4668-8b03-27f2a79988f2/InvokeCommand?$skiptoken=2';
    const { requests, fetchImpl } = scriptedFetch([
      () => json(200, { value: [1, 2], '@odata.nextLink': next }),
      () => json(200, { value: [3] }),
    ]);
    const { transport: exchange } = transport(fetchImpl);
    expect((await exchange.run('exchange.getInboxRule', 'Get-InboxRule', { Mailbox: 'm' })).value).toEqual([
      1, 2, 3,
    ]);
    expect(requests[1]?.url).toBe(next);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
  });

  it('refuses a nextLink to another host (the token must not leave)', async () => {
    const { requests, fetchImpl } = scriptedFetch([
      () => json(200, { value: [1], '@odata.nextLink': 'https://evil.example/steal' }),
    ]);
    const { transport: exchange } = transport(fetchImpl);
    await expect(exchange.run('exchange.getInboxRule', 'Get-InboxRule', { Mailbox: 'm' })).rejects.toThrow(
      /another host/,
    );
    expect(requests).toHaveLength(1);
  });

  it('retries 429 honouring Retry-After, counting retries and requests', async () => {
    const { fetchImpl } = scriptedFetch([
      () => json(429, { error: { code: 'TooManyRequests', message: 'slow' } }, { 'retry-after': '0' }),
      () => json(503, { error: { code: 'Unavailable', message: 'down' } }),
      () => json(200, { value: [] }),
    ]);
    const { transport: exchange, stats } = transport(fetchImpl);
    await exchange.run('exchange.getBlockedSenderAddress', 'Get-BlockedSenderAddress', {});
    expect(stats).toMatchObject({ httpRequests: 3, retries: 2 });
  });

  it('maps ManagementObjectNotFound to NotFound even when the status is not 404', async () => {
    const { fetchImpl } = scriptedFetch([
      () =>
        json(400, {
          error: {
            code: 'ManagementObjectNotFound',
            message: "The operation couldn't be performed because object 'x' couldn't be found.",
          },
        }),
    ]);
    const { transport: exchange } = transport(fetchImpl);
    await expect(exchange.run('exchange.getMailbox', 'Get-Mailbox', { Identity: 'x' })).rejects.toMatchObject(
      {
        code: 'NotFound',
        operation: 'exchange.getMailbox',
      },
    );
  });
});

describe('token failures', () => {
  const failing: TokenCredential = {
    getToken: () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')),
  };

  it('surface as Unauthenticated for Graph and Exchange, never as an outage', async () => {
    const services = createM365Services({
      graphBaseUrl: 'https://graph.microsoft.com',
      exchangeBaseUrl: 'https://outlook.office365.com',
      tenantId: 'aedee607-2a8c-4668-8b03-27f2a79988f2',
      credential: failing,
      retry: { maxRetries: 0, baseDelayInMs: 1 },
    });
    const graphError = await services.users.getUser('MeganB@contoso.com').catch((caught: unknown) => caught);
    expect(graphError).toMatchObject({ code: 'Unauthenticated' });
    expect((graphError as Error).message).toContain('AADSTS7000215');
    await expect(services.exchange.getMailbox('MeganB@contoso.com')).rejects.toMatchObject({
      code: 'Unauthenticated',
    });
  });
});
