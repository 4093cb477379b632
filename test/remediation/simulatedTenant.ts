import fs from 'node:fs';
import { createM365Services, createSimulatorCredential } from '../../src/m365';
import type { M365Services } from '../../src/m365/types';
import { defaultFixturePath, startSimulatedTenant } from '../../src/simulator';
import type { FixtureInput, SimulatedTenant, TenantState } from '../../src/simulator';

/** The real service layer pointed at a simulated tenant over real HTTP. */
export function servicesFor(tenant: SimulatedTenant): M365Services {
  return createM365Services({
    graphBaseUrl: tenant.graphBaseUrl,
    exchangeBaseUrl: tenant.exchangeBaseUrl,
    tenantId: tenant.tenantId,
    tenantDomain: 'contoso.com',
    credential: createSimulatorCredential(),
    // Identity Protection allows 1 request/s; the client spaces them out itself.
    retry: { maxRetries: 5 },
  });
}

export async function startTenant(fixture?: FixtureInput): Promise<SimulatedTenant> {
  return startSimulatedTenant({ port: 0, ...(fixture ? { fixture } : {}) });
}

/** The default Contoso fixture as data, for variants (e.g. a single Global Administrator). */
export function contosoFixture(): FixtureInput {
  return JSON.parse(fs.readFileSync(defaultFixturePath, 'utf8')) as FixtureInput;
}

/** Writes that reached the tenant and succeeded (a 429 that was retried is not a write). */
export function successfulWrites(tenant: SimulatedTenant): string[] {
  return tenant
    .requestLog()
    .filter((entry) => entry.write && entry.status < 300)
    .map((entry) => `${entry.method} ${entry.path}${entry.cmdlet ? ` ${entry.cmdlet}` : ''}`);
}

export function mailboxOf(state: TenantState, userId: string) {
  const mailbox = state.mailboxes.find((candidate) => candidate.userId === userId);
  if (!mailbox) throw new Error(`no mailbox for ${userId}`);
  return mailbox;
}
