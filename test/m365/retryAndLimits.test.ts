import { describe, expect, it } from 'vitest';
import { KeyedSemaphore, RequestLimits, SlidingWindowLimiter } from '../../src/m365/limits';
import { retryDelayInMs } from '../../src/m365/retry';

describe('retryDelayInMs', () => {
  it('honours Retry-After in seconds', () => {
    expect(retryDelayInMs('2', 0, 100)).toBe(2000);
  });

  it('honours Retry-After as an HTTP date', () => {
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    const delay = retryDelayInMs(inFiveSeconds, 0, 100);
    expect(delay).toBeGreaterThan(3000);
    expect(delay).toBeLessThanOrEqual(5000);
  });

  it('backs off exponentially with jitter when Retry-After is absent', () => {
    expect(retryDelayInMs(undefined, 0, 100, () => 0)).toBe(50);
    expect(retryDelayInMs(undefined, 0, 100, () => 1)).toBe(100);
    expect(retryDelayInMs(undefined, 3, 100, () => 0)).toBe(400);
    expect(retryDelayInMs(undefined, 3, 100, () => 1)).toBe(800);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedSemaphore', () => {
  it('never runs more than the limit per key, and keys are independent', async () => {
    const semaphore = new KeyedSemaphore(2);
    let running = 0;
    let peak = 0;
    const gate = deferred();
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await gate.promise;
      running -= 1;
    };
    const all = [1, 2, 3, 4, 5].map(() => semaphore.run('a', work));
    const other = semaphore.run('b', async () => 'b done');
    expect(await other).toBe('b done');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(running).toBe(2);
    gate.resolve();
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(semaphore.peakConcurrency).toBe(2);
  });

  it('releases the slot when the work throws', async () => {
    const semaphore = new KeyedSemaphore(1);
    await expect(semaphore.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run('a', async () => 'next')).toBe('next');
  });
});

describe('RequestLimits', () => {
  it('spaces Identity Protection requests by the configured interval', async () => {
    const limits = new RequestLimits({ identityProtectionMinIntervalInMs: 100 });
    const started: number[] = [];
    await Promise.all(
      [1, 2, 3].map(() =>
        limits.run({ identityProtection: true }, async () => void started.push(Date.now())),
      ),
    );
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(90);
    expect(started[2]! - started[1]!).toBeGreaterThanOrEqual(90);
  });

  it('treats mailbox keys case-insensitively', async () => {
    const limits = new RequestLimits({ maxConcurrentPerMailbox: 1 });
    const gate = deferred();
    const first = limits.run({ mailbox: 'MeganB@contoso.com' }, () => gate.promise);
    let secondStarted = false;
    const second = limits.run({ mailbox: 'meganb@contoso.com' }, async () => void (secondStarted = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(secondStarted).toBe(false);
    gate.resolve();
    await Promise.all([first, second]);
    expect(secondStarted).toBe(true);
  });
});

describe('SlidingWindowLimiter', () => {
  it('starts up to the limit at once, then waits for the window to free a slot', async () => {
    const limiter = new SlidingWindowLimiter(2, 100);
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all([1, 2, 3].map(() => limiter.run(async () => void started.push(Date.now() - t0))));
    expect(started[0]).toBeLessThan(20);
    expect(started[1]).toBeLessThan(20);
    expect(started[2]).toBeGreaterThanOrEqual(95);
  });

  it('starts synchronously under the limit (so same-tick requests still batch)', () => {
    const limiter = new SlidingWindowLimiter(5, 10_000);
    let ran = false;
    void limiter.run(async () => void (ran = true));
    expect(ran).toBe(true);
  });
});

describe('RequestLimits app-wide Outlook cap', () => {
  it('caps Outlook requests across mailboxes when configured, leaving other requests alone', async () => {
    const limits = new RequestLimits({ maxConcurrentOutlookRequests: 2 });
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await gate.promise;
      running -= 1;
    };
    const outlook = ['a', 'b', 'c', 'd'].map((mailbox) => limits.run({ mailbox, outlook: true }, work));
    let otherRan = false;
    await limits.run({}, async () => void (otherRan = true));
    expect(otherRan).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(running).toBe(2);
    gate.resolve();
    await Promise.all(outlook);
    expect(peak).toBe(2);
  });
});
