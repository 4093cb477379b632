import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  HTTPMessageHandler,
} from '@microsoft/microsoft-graph-client';
import type { Context, Middleware, PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { ids } from './helpers';

/**
 * The SDK's own AuthenticationHandler only attaches tokens to https:// URLs (even with
 * customHosts), so against the plain-http simulator a middleware must add the header.
 */
class StaticBearerToken implements Middleware {
  private next?: Middleware;
  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers);
    headers.set('Authorization', 'Bearer simulated-token');
    context.options = { ...context.options, headers };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The real Microsoft Graph JS client against the simulator, as the service layer will use it. */
describe('Microsoft Graph client against the simulated tenant', () => {
  let tenant: SimulatedTenant;
  let client: Client;
  beforeAll(async () => {
    tenant = await startSimulatedTenant({ port: 0 });
    client = Client.initWithMiddleware({
      middleware: [new StaticBearerToken(), new HTTPMessageHandler()],
      baseUrl: tenant.graphBaseUrl,
      defaultVersion: 'v1.0',
    });
  });
  afterAll(async () => {
    await tenant.close();
  });

  it("does not get a token from the SDK's own AuthenticationHandler on plain http", async () => {
    const sdkDefault = Client.initWithMiddleware({
      authProvider: { getAccessToken: () => Promise.resolve('simulated-token') },
      baseUrl: tenant.graphBaseUrl,
      defaultVersion: 'v1.0',
      customHosts: new Set(['127.0.0.1']),
    });
    const error = await sdkDefault
      .api(`/users/${ids.megan}`)
      .get()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect((error as GraphError).statusCode).toBe(401);
  });

  it('reads a user with $select', async () => {
    const user = (await client
      .api('/users/MeganB@contoso.com')
      .select(['id', 'accountEnabled', 'onPremisesSyncEnabled'])
      .get()) as Record<string, unknown>;
    expect(user).toMatchObject({ id: ids.megan, accountEnabled: true, onPremisesSyncEnabled: null });
  });

  it('surfaces Graph errors with status, code and request id', async () => {
    const error = await client
      .api('/users/ghost@contoso.com')
      .get()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError.statusCode).toBe(404);
    expect(graphError.code).toBe('Request_ResourceNotFound');
    expect(graphError.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('follows absolute @odata.nextLink pages once made relative', async () => {
    // GraphRequest's path parser only strips https:// origins, so PageIterator cannot follow an
    // http:// nextLink; callers turn it back into a path under the version first.
    const names: string[] = [];
    let path: string | undefined = `/users/${ids.isaiah}/mailFolders/inbox/messageRules?$top=10`;
    while (path) {
      const page = (await client.api(path).get()) as PageCollection;
      names.push(...(page.value as { displayName: string }[]).map((rule) => rule.displayName));
      const next = page['@odata.nextLink'];
      path = next === undefined ? undefined : next.slice(`${tenant.graphBaseUrl}/v1.0`.length);
    }
    expect(names.length).toBe(
      tenant.state().mailboxes.find((m) => m.userId === ids.isaiah)?.inboxRules.length,
    );
  });

  it('runs a JSON batch built with BatchRequestContent', async () => {
    const base = tenant.graphBaseUrl;
    const content = new BatchRequestContent([
      {
        id: '1',
        request: new Request(`${base}/v1.0/users/${ids.megan}/authentication/methods`, { method: 'GET' }),
      },
      {
        id: '2',
        request: new Request(`${base}/v1.0/users/${ids.megan}/revokeSignInSessions`, { method: 'POST' }),
        dependsOn: ['1'],
      },
    ]);
    const payload = await content.getContent();
    const response = new BatchResponseContent(await client.api('/$batch').post(payload));
    expect(response.getResponseById('1').status).toBe(200);
    expect(response.getResponseById('2').status).toBe(200);
  });
});
