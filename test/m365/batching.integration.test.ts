import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedTenant } from '../../src/simulator';
import type { M365ServiceLayer } from '../../src/m365';
import { httpRequests, ids, MEGAN, servicesFor, startTenant } from './support';

let tenant: SimulatedTenant | undefined;
afterEach(async () => {
  await tenant?.close();
  tenant = undefined;
});

/** The reads the engine's discovery phase issues together for one user. */
function discoveryReads(services: M365ServiceLayer) {
  return Promise.all([
    services.users.getUser(ids.megan),
    services.roles.listActiveAssignments(ids.megan),
    services.roles.listEligibilities(ids.megan),
    services.users.listGroupMemberships(ids.megan),
    services.authMethods.listMethods(ids.megan),
    services.consents.listAppRoleAssignments(ids.megan),
    services.signIns.listRecentSignIns(ids.megan, 20),
  ]);
}

describe('JSON batching against the simulated tenant', () => {
  it('turns N parallel reads into one HTTP request', async () => {
    tenant = await startTenant();
    const services = servicesFor(tenant);
    const [user, roles, eligibilities, groups, methods, appRoles, signIns] = await discoveryReads(services);
    expect(user.id).toBe(ids.megan);
    expect(roles.map((role) => role.roleName)).toEqual(['Exchange Administrator']);
    expect(eligibilities).toHaveLength(1);
    expect(groups.map((group) => group.groupId)).toContain(ids.helpdeskAdmins);
    expect(methods.length).toBeGreaterThan(0);
    expect(appRoles).toHaveLength(1);
    expect(signIns.length).toBeGreaterThan(0);

    const http = httpRequests(tenant);
    expect(http).toHaveLength(1);
    expect(http[0]?.path).toContain('$batch');
    expect(tenant.requestLog().filter((entry) => entry.batchId !== undefined)).toHaveLength(7);
    expect(services.stats).toMatchObject({ httpRequests: 1, batches: 1, batchedItems: 7, retries: 0 });
  });

  it('sends one HTTP request per call when batching is off (the sequential baseline)', async () => {
    tenant = await startTenant();
    const services = servicesFor(tenant, { batching: false, concurrency: 1 });
    await discoveryReads(services);
    expect(httpRequests(tenant)).toHaveLength(7);
    expect(tenant.requestLog().some((entry) => entry.path.includes('$batch'))).toBe(false);
    expect(services.stats).toMatchObject({ httpRequests: 7, batches: 0, batchedItems: 0 });
  });

  it('batches independent writes issued together', async () => {
    tenant = await startTenant();
    const services = servicesFor(tenant);
    await Promise.all([
      services.users.setAccountEnabled(ids.megan, false),
      services.users.revokeSignInSessions(ids.megan),
      services.roles.removeActiveAssignment((await services.roles.listActiveAssignments(ids.megan))[0]!.id),
    ]);
    const state = tenant.state();
    expect(state.users.find((user) => user.id === ids.megan)?.accountEnabled).toBe(false);
    expect(state.roleAssignments.some((assignment) => assignment.principalId === ids.megan)).toBe(false);
    expect(httpRequests(tenant).filter((entry) => entry.path.includes('$batch'))).toHaveLength(1);
  });

  it('retries the items of a batch that came back 429, and only those', async () => {
    tenant = await startTenant();
    // Deliberately allow more than Outlook's 4 per mailbox so the tenant throttles some items.
    const services = servicesFor(tenant, { maxConcurrentPerMailbox: 20 });
    // The listing (rules plus their folders' identities) goes through a correctly limited client.
    const rules = await servicesFor(tenant).mailRules.listInboxRules(ids.isaiah);
    tenant.resetLog();
    services.resetStats();
    const reads = await Promise.all(
      rules.slice(0, 10).map((rule) => services.mailRules.getInboxRule(ids.isaiah, rule.id)),
    );
    expect(reads.map((rule) => rule.id)).toEqual(rules.slice(0, 10).map((rule) => rule.id));
    const throttledItems = tenant
      .requestLog()
      .filter((entry) => entry.status === 429 && entry.batchId !== undefined);
    expect(throttledItems.length).toBeGreaterThan(0);
    expect(services.stats.retries).toBeGreaterThanOrEqual(throttledItems.length);
  });

  it('keeps a mailbox at 4 concurrent requests by default, so the same reads never meet a 429', async () => {
    tenant = await startTenant();
    const services = servicesFor(tenant);
    const rules = await services.mailRules.listInboxRules(ids.isaiah);
    tenant.resetLog();
    await Promise.all(rules.slice(0, 10).map((rule) => services.mailRules.getInboxRule(ids.isaiah, rule.id)));
    expect(tenant.requestLog().filter((entry) => entry.status === 429)).toEqual([]);
    expect(services.peakMailboxConcurrency).toBe(4);
  });
});

describe('faults and throttling', () => {
  it('rides out injected 429/503/504 answers (seeded) and still returns every result', async () => {
    tenant = await startTenant({ faultRate: 0.25, seed: 7 });
    const services = servicesFor(tenant, { batching: false });
    const users = [ids.megan, ids.alex, ids.adele, ids.isaiah, ids.patti, ids.lynne];
    const results = [];
    for (const id of users) results.push(await services.users.getUser(id));
    expect(results.map((user) => user.id)).toEqual(users);
    const faults = tenant.requestLog().filter((entry) => [429, 503, 504].includes(entry.status));
    expect(faults.length).toBeGreaterThan(0);
    expect(services.stats.retries).toBe(faults.length);
  });

  it('rides out faults on $batch items too', async () => {
    tenant = await startTenant({ faultRate: 0.25, seed: 11 });
    const services = servicesFor(tenant);
    const [user, roles] = await Promise.all([
      services.users.getUser(ids.megan),
      services.roles.listActiveAssignments(ids.megan),
      services.users.getUser(ids.alex),
      services.users.getUser(ids.adele),
      services.exchange.getMailbox(MEGAN),
    ]);
    expect(user.id).toBe(ids.megan);
    expect(roles).toHaveLength(1);
    expect(tenant.requestLog().some((entry) => [429, 503, 504].includes(entry.status))).toBe(true);
  });

  it('gives up with Throttled or ServiceUnavailable when every answer is a fault', async () => {
    tenant = await startTenant({ faultRate: 1, seed: 3 });
    const services = servicesFor(tenant, { retry: { maxRetries: 1, baseDelayInMs: 10 } });
    const error = await services.users.getUser(ids.megan).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(Throttled|ServiceUnavailable)$/) });
    const exchangeError = await services.exchange.getMailbox(MEGAN).catch((caught: unknown) => caught);
    expect(exchangeError).toMatchObject({ code: expect.stringMatching(/^(Throttled|ServiceUnavailable)$/) });
  });
});
