import { describe, expect, it } from 'vitest';
import { ids, startHarness } from './helpers';

async function statusesFor(seed: number, count: number, faultRate = 0.3): Promise<number[]> {
  const harness = await startHarness({ faultRate, seed, throttling: false });
  try {
    const statuses: number[] = [];
    for (let index = 0; index < count; index++)
      statuses.push((await harness.graph(`/users/${ids.megan}`)).status);
    return statuses;
  } finally {
    await harness.tenant.close();
  }
}

describe('fault injection', () => {
  it('fails about the configured share of requests with 429, 503 or 504', async () => {
    const statuses = await statusesFor(7, 200);
    const failed = statuses.filter((status) => status !== 200);
    expect(failed.every((status) => [429, 503, 504].includes(status))).toBe(true);
    expect(failed.length).toBeGreaterThan(30);
    expect(failed.length).toBeLessThan(90);
  });

  it('fails the same requests in the same way for the same seed', async () => {
    const first = await statusesFor(42, 40);
    const second = await statusesFor(42, 40);
    const other = await statusesFor(43, 40);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('never fails with a fault rate of 0, and leaves /_sim alone', async () => {
    expect((await statusesFor(1, 20, 0)).every((status) => status === 200)).toBe(true);
    const harness = await startHarness({ faultRate: 1, seed: 3 });
    try {
      const failed = await harness.graph(`/users/${ids.megan}`);
      expect([429, 503, 504]).toContain(failed.status);
      if (failed.status === 429) expect(failed.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${harness.tenant.url}/_sim/state`)).status).toBe(200);
    } finally {
      await harness.tenant.close();
    }
  });
});
