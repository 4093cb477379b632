import { afterAll, beforeAll, beforeEach } from 'vitest';
import { defaultFixturePath, loadFixtureFile, startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant, SimulatedTenantOptions } from '../../src/simulator';
import { createM365Services, createSimulatorCredential } from '../../src/m365';
import type { M365ServiceLayer, M365ServicesOptions } from '../../src/m365';

/** Fixed ids of the demo tenant (COMMON.md). */
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
  mailSyncPro: 'd89a3cd4-663a-43ff-bdbb-a5a851401977',
  graphResource: '9aeada37-d773-42df-b33d-19287e756b08',
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
} as const;

export const MEGAN = 'MeganB@contoso.com';
export const ISAIAH = 'IsaiahL@contoso.com';

export interface TenantSetup extends Omit<SimulatedTenantOptions, 'fixture'> {
  withheldPermissions?: string[];
  directoryRoles?: string[];
  licenses?: string[];
}

/** The default Contoso fixture on an ephemeral port, optionally with permissions withheld. */
export async function startTenant(setup: TenantSetup = {}): Promise<SimulatedTenant> {
  const { withheldPermissions, directoryRoles, licenses, ...options } = setup;
  const fixture = loadFixtureFile(defaultFixturePath);
  if (withheldPermissions) fixture.app.withheldPermissions = withheldPermissions;
  if (directoryRoles) fixture.app.directoryRoles = directoryRoles;
  if (licenses) fixture.tenant.licenses = licenses;
  return startSimulatedTenant({ port: 0, host: '127.0.0.1', ...options, fixture });
}

/** The real service layer pointed at the simulated tenant, with fast retries. */
export function servicesFor(
  tenant: SimulatedTenant,
  options: Partial<M365ServicesOptions> = {},
): M365ServiceLayer {
  return createM365Services({
    graphBaseUrl: tenant.graphBaseUrl,
    exchangeBaseUrl: tenant.exchangeBaseUrl,
    tenantId: tenant.tenantId,
    tenantDomain: 'contoso.com',
    credential: createSimulatorCredential(),
    retry: { maxRetries: 3, baseDelayInMs: 20 },
    ...options,
  });
}

/** Graph requests (not $batch wrappers, not inspection) the simulator saw. */
export function graphCalls(tenant: SimulatedTenant) {
  return tenant.requestLog().filter((entry) => entry.service === 'graph');
}

/** HTTP requests that reached the simulator: $batch items are logged with a batchId, so leave those out. */
export function httpRequests(tenant: SimulatedTenant) {
  return tenant.requestLog().filter((entry) => entry.service !== 'sim' && entry.batchId === undefined);
}

/**
 * The default tenant and the real service layer for one test file: started once, reset to the
 * fixture (state and request log) before every test.
 */
export function useSimulatedServices(): {
  readonly tenant: SimulatedTenant;
  readonly services: M365ServiceLayer;
} {
  let tenant: SimulatedTenant | undefined;
  let services: M365ServiceLayer | undefined;
  beforeAll(async () => {
    tenant = await startTenant();
    services = servicesFor(tenant);
  });
  afterAll(() => tenant?.close());
  beforeEach(() => {
    tenant?.reset();
    tenant?.resetLog();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the simulated tenant is started in beforeAll');
    return value;
  };
  return {
    get tenant() {
      return started(tenant);
    },
    get services() {
      return started(services);
    },
  };
}
