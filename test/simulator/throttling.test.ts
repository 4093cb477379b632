import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, ids, startHarness } from './helpers';
import type { Harness } from './helpers';

describe('throttling emulation', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.tenant.close();
    harness = undefined;
  });

  const rules = `/users/${ids.megan}/mailFolders/inbox/messageRules`;

  it('allows four concurrent Outlook requests per mailbox and answers the fifth 429 with Retry-After: 1', async () => {
    harness = await startHarness({ throttling: { mailboxHoldMs: 400 } });
    const h = harness;
    const results = await Promise.all(Array.from({ length: 5 }, () => h.graph(rules)));
    const throttled = results.filter((result) => result.status === 429);
    expect(results.filter((result) => result.status === 200)).toHaveLength(4);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]?.headers.get('retry-after')).toBe('1');
    expect(errorOf(throttled[0] ?? results[0]!).code).toBe('ApplicationThrottled');
    // Another mailbox has its own concurrency budget.
    const other = await Promise.all([
      h.graph(rules),
      h.graph(`/users/${ids.isaiah}/mailFolders/inbox/messageRules`),
    ]);
    expect(other.map((result) => result.status)).toEqual([200, 200]);
  });

  it('counts a mailbox the same whether addressed by id or UPN', async () => {
    harness = await startHarness({ throttling: { mailboxHoldMs: 400 } });
    const h = harness;
    const paths = [
      rules,
      rules,
      '/users/MeganB@contoso.com/mailFolders/inbox/messageRules',
      '/users/meganb@contoso.com/mailFolders/inbox/messageRules',
      rules,
    ];
    const results = await Promise.all(paths.map((path) => h.graph(path)));
    expect(results.filter((result) => result.status === 429)).toHaveLength(1);
  });

  it('answers a second Identity Protection request within a second 429 without Retry-After', async () => {
    harness = await startHarness();
    const first = await harness.graph(`/identityProtection/riskyUsers/${ids.megan}`);
    const second = await harness.graph(`/identityProtection/riskyUsers/${ids.megan}`);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
  });

  it('enforces the request budget per window with Retry-After until the window frees', async () => {
    harness = await startHarness({ throttling: { budgetRequests: 3, budgetWindowMs: 5_000 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 4; index++) {
      const result = await harness.graph(`/users/${ids.megan}`);
      statuses.push(result.status);
      retryAfter = result.headers.get('retry-after') ?? retryAfter;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(5);
  });

  it('can be turned off', async () => {
    harness = await startHarness({ throttling: false });
    const h = harness;
    const results = await Promise.all(Array.from({ length: 8 }, () => h.graph(rules)));
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect((await h.graph(`/identityProtection/riskyUsers/${ids.megan}`)).status).toBe(200);
    expect((await h.graph(`/identityProtection/riskyUsers/${ids.megan}`)).status).toBe(200);
  });
});
