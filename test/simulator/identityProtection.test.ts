import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../src/simulator';
import { defaultFixtureWith, errorOf, ids, readResult, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Identity Protection and sign-in logs', () => {
  let harness: Harness;
  beforeAll(async () => {
    // Identity Protection allows one request per second; throttling has its own tests.
    harness = await startHarness({ throttling: false });
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  it('confirms a user compromised: risk state confirmedCompromised, level high', async () => {
    const result = await harness.graph('/identityProtection/riskyUsers/confirmCompromised', {
      method: 'POST',
      body: { userIds: [ids.megan] },
    });
    expect(result.status).toBe(204);
    const risky = await harness.graph(`/identityProtection/riskyUsers/${ids.megan}`);
    expect(risky.body).toMatchObject({ id: ids.megan, riskState: 'confirmedCompromised', riskLevel: 'high' });
  });

  it('answers 404 for a user who has never been risky, until confirmed', async () => {
    const before = await harness.graph(`/identityProtection/riskyUsers/${ids.adele}`);
    expect(before.status).toBe(404);
    expect(errorOf(before).code).toBe('Request_ResourceNotFound');
    await harness.graph('/identityProtection/riskyUsers/confirmCompromised', {
      method: 'POST',
      body: { userIds: [ids.adele] },
    });
    expect((await harness.graph(`/identityProtection/riskyUsers/${ids.adele}`)).body.riskState).toBe(
      'confirmedCompromised',
    );
  });

  it("lists a user's sign-ins newest first with location and status", async () => {
    const signIns = values(
      await harness.graph(`/auditLogs/signIns?$filter=userId eq '${ids.megan}'&$top=50`),
    );
    expect(signIns.length).toBeGreaterThan(3);
    expect(signIns.every((signIn) => signIn.userId === ids.megan)).toBe(true);
    const times = signIns.map((signIn) => Date.parse(String(signIn.createdDateTime)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const countries = new Set(
      signIns.map((signIn) => (signIn.location as { countryOrRegion: string }).countryOrRegion),
    );
    expect(countries.has('NO')).toBe(true);
    expect([...countries].some((country) => country === 'NG' || country === 'RU')).toBe(true);
    expect(signIns[0]).toMatchObject({
      ipAddress: expect.any(String),
      appDisplayName: expect.any(String),
      status: { errorCode: expect.any(Number) },
      riskLevelDuringSignIn: expect.any(String),
    });
    const top2 = values(await harness.graph(`/auditLogs/signIns?$filter=userId eq '${ids.megan}'&$top=2`));
    expect(top2.map((s) => s.id)).toEqual(signIns.slice(0, 2).map((s) => s.id));
  });

  it('refuses Identity Protection without Entra ID P2 and sign-in logs without P1/P2', async () => {
    const fixture = await defaultFixtureWith((f) => {
      (f.tenant as Record<string, unknown>).licenses = ['EXCHANGE_S_ENTERPRISE'];
    });
    const tenant = await startSimulatedTenant({ port: 0, fixture, throttling: false });
    try {
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const confirm = await readResult(
        await fetch(`${tenant.url}/v1.0/identityProtection/riskyUsers/confirmCompromised`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ userIds: [ids.megan] }),
        }),
      );
      expect(confirm.status).toBe(403);
      expect(String(errorOf(confirm).message)).toContain('P2');
      const signIns = await readResult(
        await fetch(`${tenant.url}/v1.0/auditLogs/signIns?$filter=userId eq '${ids.megan}'`, { headers }),
      );
      expect(signIns.status).toBe(403);
      expect(errorOf(signIns).code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    } finally {
      await tenant.close();
    }
  });
});
