import { describe, expect, it } from 'vitest';
import { ids, useSimulatedServices } from './support';

const sim = useSimulatedServices();

describe('AuthMethodsClient over HTTP', () => {
  it("lists Megan's methods with kinds, details and creation times", async () => {
    const methods = await sim.services.authMethods.listMethods(ids.megan);
    expect(methods.map((method) => method.kind).sort()).toEqual([
      'microsoftAuthenticator',
      'password',
      'phone',
    ]);
    const phone = methods.find((method) => method.kind === 'phone');
    expect(phone?.detail).toContain('+1 5550100');
    // The attacker's phone was added about two hours ago.
    const ageInHours = (Date.now() - Date.parse(phone?.createdDateTime ?? '')) / 3_600_000;
    expect(ageInHours).toBeGreaterThan(1.9);
    expect(ageInHours).toBeLessThan(2.1);
  });

  it('fails to list methods of an unknown user', async () => {
    await expect(sim.services.authMethods.listMethods('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('deletes the attacker phone through phoneMethods', async () => {
    const phone = (await sim.services.authMethods.listMethods(ids.megan)).find(
      (method) => method.kind === 'phone',
    );
    expect(phone).toBeDefined();
    await sim.services.authMethods.deleteMethod(ids.megan, phone!);
    expect(
      (await sim.services.authMethods.listMethods(ids.megan)).map((method) => method.kind),
    ).not.toContain('phone');
    expect(
      sim.tenant
        .requestLog()
        .some((entry) => entry.method === 'DELETE' && entry.path.includes('/phoneMethods/')),
    ).toBe(true);
  });

  it('refuses to delete the default method while others exist, saying what to do', async () => {
    const authenticator = (await sim.services.authMethods.listMethods(ids.megan)).find(
      (method) => method.kind === 'microsoftAuthenticator',
    );
    const error = await sim.services.authMethods
      .deleteMethod(ids.megan, authenticator!)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DefaultMethodInUse', status: 400 });
    expect((error as { remedy: string }).remedy).toMatch(/default sign-in method first/);
  });

  it('fails to delete a method that does not exist', async () => {
    await expect(
      sim.services.authMethods.deleteMethod(ids.megan, {
        id: '00000000-0000-0000-0000-00000000dead',
        kind: 'phone',
      }),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('never sends a password-method delete (Graph cannot delete it)', async () => {
    sim.tenant.resetLog();
    await expect(
      sim.services.authMethods.deleteMethod(ids.megan, {
        id: '28c10230-6103-485e-b985-444c60001490',
        kind: 'password',
      }),
    ).rejects.toMatchObject({ code: 'BadRequest' });
    expect(sim.tenant.requestLog()).toHaveLength(0);
  });

  it('creates a Temporary Access Pass that is returned once and never stored in clear', async () => {
    const tap = await sim.services.authMethods.createTemporaryAccessPass(ids.megan, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(tap.temporaryAccessPass.length).toBeGreaterThanOrEqual(8);
    expect(tap).toMatchObject({
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      requestId: expect.stringMatching(/.+/),
    });
    expect(JSON.stringify(sim.tenant.state())).not.toContain(tap.temporaryAccessPass);
    expect((await sim.services.authMethods.listMethods(ids.megan)).map((method) => method.kind)).toContain(
      'temporaryAccessPass',
    );
  });

  it('rejects a TAP lifetime outside what Entra ID accepts, before sending', async () => {
    sim.tenant.resetLog();
    await expect(
      sim.services.authMethods.createTemporaryAccessPass(ids.megan, {
        lifetimeInMinutes: 5,
        isUsableOnce: true,
      }),
    ).rejects.toMatchObject({ code: 'BadRequest' });
    expect(sim.tenant.requestLog()).toHaveLength(0);
  });

  it('fails to create a TAP for an unknown user', async () => {
    await expect(
      sim.services.authMethods.createTemporaryAccessPass('ghost@contoso.com', {
        lifetimeInMinutes: 60,
        isUsableOnce: true,
      }),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });
});
