import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, ids, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Graph authentication methods', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  const methodsOf = async (userId: string) =>
    values(await harness.graph(`/users/${userId}/authentication/methods`));

  it("lists Megan's methods with their Graph types, the attacker's phone added two hours ago", async () => {
    const methods = await methodsOf(ids.megan);
    expect(methods.map((method) => method['@odata.type']).sort()).toEqual([
      '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      '#microsoft.graph.passwordAuthenticationMethod',
      '#microsoft.graph.phoneAuthenticationMethod',
    ]);
    const phone = methods.find(
      (method) => method['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod',
    );
    expect(phone).toMatchObject({ phoneNumber: expect.stringMatching(/^\+1 555/), phoneType: 'mobile' });
    const ageHours = (Date.now() - Date.parse(String(phone?.createdDateTime))) / 3_600_000;
    expect(ageHours).toBeGreaterThan(1.9);
    expect(ageHours).toBeLessThan(2.1);
    const authenticator = methods.find(
      (m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    );
    expect(authenticator).toMatchObject({ displayName: expect.any(String), deviceTag: expect.any(String) });
  });

  it('lists the methods of one kind and reads one by id', async () => {
    const phones = values(await harness.graph(`/users/${ids.megan}/authentication/phoneMethods`));
    expect(phones).toHaveLength(1);
    const one = await harness.graph(
      `/users/${ids.megan}/authentication/phoneMethods/${String(phones[0]?.id)}`,
    );
    expect(one.body).toMatchObject({ id: phones[0]?.id, phoneType: 'mobile' });
    expect((await harness.graph(`/users/${ids.megan}/authentication/noSuchMethods`)).status).toBe(400);
  });

  it('deletes a non-default phone method', async () => {
    const phone = (await methodsOf(ids.megan)).find(
      (m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod',
    );
    const result = await harness.graph(
      `/users/${ids.megan}/authentication/phoneMethods/${String(phone?.id)}`,
      { method: 'DELETE' },
    );
    expect(result.status).toBe(204);
    expect((await methodsOf(ids.megan)).some((m) => m.id === phone?.id)).toBe(false);
    const again = await harness.graph(
      `/users/${ids.megan}/authentication/phoneMethods/${String(phone?.id)}`,
      { method: 'DELETE' },
    );
    expect(again.status).toBe(404);
  });

  it('refuses to delete the default method while other methods exist', async () => {
    const authenticator = (await methodsOf(ids.megan)).find(
      (m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    );
    const result = await harness.graph(
      `/users/${ids.megan}/authentication/microsoftAuthenticatorMethods/${String(authenticator?.id)}`,
      {
        method: 'DELETE',
      },
    );
    expect(result.status).toBe(400);
    expect(errorOf(result)).toMatchObject({
      code: 'badRequest',
      message: expect.stringContaining('Cannot delete default method'),
    });
    expect((await methodsOf(ids.megan)).some((m) => m.id === authenticator?.id)).toBe(true);
  });

  it('refuses to delete the password method', async () => {
    const password = (await methodsOf(ids.megan)).find(
      (m) => m['@odata.type'] === '#microsoft.graph.passwordAuthenticationMethod',
    );
    const result = await harness.graph(
      `/users/${ids.megan}/authentication/passwordMethods/${String(password?.id)}`,
      { method: 'DELETE' },
    );
    expect(result.status).toBe(400);
  });

  it('creates a Temporary Access Pass shown once and never kept in state', async () => {
    const result = await harness.graph(`/users/${ids.megan}/authentication/temporaryAccessPassMethods`, {
      method: 'POST',
      body: { lifetimeInMinutes: 60, isUsableOnce: true },
    });
    expect(result.status).toBe(201);
    const pass = String(result.body.temporaryAccessPass);
    expect(pass.length).toBeGreaterThanOrEqual(8);
    expect(result.body).toMatchObject({
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    });
    expect(typeof result.body.startDateTime).toBe('string');
    expect(JSON.stringify(harness.tenant.state())).not.toContain(pass);
    const listed = (await methodsOf(ids.megan)).find((m) => m.id === result.body.id);
    expect(listed).toMatchObject({
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      temporaryAccessPass: null,
    });
    const logged = JSON.stringify(harness.tenant.requestLog());
    expect(logged).not.toContain(pass);
  });

  it('refuses a TAP lifetime outside 10..43200 minutes', async () => {
    const result = await harness.graph(`/users/${ids.megan}/authentication/temporaryAccessPassMethods`, {
      method: 'POST',
      body: { lifetimeInMinutes: 5, isUsableOnce: true },
    });
    expect(result.status).toBe(400);
  });
});
