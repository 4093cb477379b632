import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedTenant } from '../../src/simulator';
import type { M365ServiceLayer } from '../../src/m365';
import { ids, servicesFor, startTenant } from './support';

let tenant: SimulatedTenant;
let services: M365ServiceLayer;

beforeAll(async () => {
  tenant = await startTenant();
  services = servicesFor(tenant);
});
afterAll(() => tenant.close());

describe('IdentityProtectionClient over HTTP', () => {
  it('confirms Megan compromised and reads the new risk state, one request per second', async () => {
    expect(await services.identityProtection.getRiskyUser(ids.megan)).toMatchObject({ riskState: 'atRisk' });
    await services.identityProtection.confirmCompromised([ids.megan]);
    expect(await services.identityProtection.getRiskyUser(ids.megan)).toEqual({
      id: ids.megan,
      riskState: 'confirmedCompromised',
      riskLevel: 'high',
    });
    const calls = tenant.requestLog().filter((entry) => entry.path.includes('/identityProtection/'));
    expect(calls.every((entry) => entry.status !== 429)).toBe(true);
    const times = calls.map((entry) => Date.parse(entry.time));
    for (let index = 1; index < times.length; index += 1) {
      expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(900);
    }
  });

  it('answers null for a user Identity Protection has never seen at risk', async () => {
    expect(await services.identityProtection.getRiskyUser(ids.patti)).toBeNull();
  });

  it('explains a missing Entra ID P2 licence', async () => {
    const unlicensed = await startTenant({ licenses: ['AAD_PREMIUM', 'EXCHANGE_S_ENTERPRISE'] });
    try {
      const error = await servicesFor(unlicensed)
        .identityProtection.confirmCompromised([ids.megan])
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'PermissionDenied' });
      expect((error as { remedy: string }).remedy).toMatch(/P2/);
    } finally {
      await unlicensed.close();
    }
  });

  it('rejects an empty or malformed user list before sending', async () => {
    await expect(services.identityProtection.confirmCompromised([])).rejects.toMatchObject({
      code: 'BadRequest',
    });
    await expect(
      services.identityProtection.confirmCompromised(['MeganB@contoso.com']),
    ).rejects.toMatchObject({
      code: 'BadRequest',
    });
  });
});

describe('SignInsClient over HTTP', () => {
  it("lists Megan's recent sign-ins newest first, including the foreign ones", async () => {
    const signIns = await services.signIns.listRecentSignIns(ids.megan, 50);
    expect(signIns.length).toBeGreaterThan(3);
    const times = signIns.map((signIn) => Date.parse(signIn.createdDateTime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const countries = new Set(signIns.map((signIn) => signIn.countryOrRegion));
    expect(countries.size).toBeGreaterThan(1);
    expect(
      signIns.every((signIn) => signIn.ipAddress.length > 0 && typeof signIn.succeeded === 'boolean'),
    ).toBe(true);
  });

  it('honours top', async () => {
    expect(await services.signIns.listRecentSignIns(ids.megan, 2)).toHaveLength(2);
  });

  it('rejects a top outside 1..1000 before sending', async () => {
    await expect(services.signIns.listRecentSignIns(ids.megan, 0)).rejects.toMatchObject({
      code: 'BadRequest',
    });
  });

  it('needs Entra ID P1/P2 for sign-in logs', async () => {
    const unlicensed = await startTenant({ licenses: ['EXCHANGE_S_ENTERPRISE'] });
    try {
      await expect(servicesFor(unlicensed).signIns.listRecentSignIns(ids.megan, 10)).rejects.toMatchObject({
        code: 'PermissionDenied',
      });
    } finally {
      await unlicensed.close();
    }
  });
});
