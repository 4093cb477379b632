import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant, SimulatedTenantOptions } from '../../src/simulator';

export const ids = {
  tenant: 'aedee607-2a8c-4668-8b03-27f2a79988f2',
  alex: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00',
  megan: '14e1ed1f-b4f7-47ee-ae98-d39876f6f691',
  adele: 'a54ff265-58d9-483a-8973-e07982bd7315',
  isaiah: '66c6c932-b922-4196-94cd-f2fbc6386dc3',
  patti: '32dd9542-a763-49ba-b9ec-607b4d542e1f',
  lynne: '3f18b6c1-f525-47a4-a81a-1813061f1773',
  breakGlass: '9c4ef906-6f40-45f0-8925-ec80648f5460',
  socResponders: '3fec47b4-98e3-417a-bfd9-6dc67f18a61e',
  helpdeskAdmins: '57e25af0-7d67-4e82-ba7c-f77f69a71462',
  remediatorApp: '3eadf42a-a745-4fba-b922-8a87b7cdfa94',
  mailSyncPro: 'd89a3cd4-663a-43ff-bdbb-a5a851401977',
  graphResource: '9aeada37-d773-42df-b33d-19287e756b08',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
} as const;

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface Harness {
  tenant: SimulatedTenant;
  graph: (
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ) => Promise<HttpResult>;
  exchange: (
    cmdlet: string,
    parameters?: Record<string, unknown>,
    tenantSegment?: string,
  ) => Promise<HttpResult>;
}

export async function readResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** Starts a simulated tenant on an ephemeral port with small helpers for Graph and Exchange calls. */
export async function startHarness(options: SimulatedTenantOptions = {}): Promise<Harness> {
  const tenant = await startSimulatedTenant({ port: 0, ...options });
  const graph: Harness['graph'] = async (path, init = {}) => {
    const response = await fetch(`${tenant.graphBaseUrl}/v1.0${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: 'Bearer test-token',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return readResult(response);
  };
  const exchange: Harness['exchange'] = async (cmdlet, parameters = {}, tenantSegment = tenant.tenantId) => {
    const response = await fetch(`${tenant.exchangeBaseUrl}/adminapi/beta/${tenantSegment}/InvokeCommand`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
    });
    return readResult(response);
  };
  return { tenant, graph, exchange };
}

export function values(result: HttpResult): Record<string, unknown>[] {
  const value = result.body.value;
  if (!Array.isArray(value)) throw new Error(`expected a collection, got ${JSON.stringify(result.body)}`);
  return value as Record<string, unknown>[];
}

export function errorOf(result: HttpResult): { code: unknown; message: unknown; innerError?: unknown } {
  const error = result.body.error as { code: unknown; message: unknown; innerError?: unknown } | undefined;
  if (!error) throw new Error(`expected an error body, got ${JSON.stringify(result.body)}`);
  return error;
}

/** A copy of the default fixture with changes, for tests that need a different tenant. */
export async function defaultFixtureWith(
  change: (fixture: Record<string, unknown>) => void,
): Promise<Record<string, unknown>> {
  const { readFile } = await import('node:fs/promises');
  const { defaultFixturePath } = await import('../../src/simulator');
  const fixture = JSON.parse(await readFile(defaultFixturePath, 'utf8')) as Record<string, unknown>;
  change(fixture);
  return fixture;
}
