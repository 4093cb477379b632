import { describe, expect, it } from 'vitest';
import { defaultThrottlingOptions, Throttler } from '../../src/simulator/throttling';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Throttler', () => {
  it('frees a mailbox slot when a request finishes, and only for that mailbox', () => {
    const throttler = new Throttler({ ...defaultThrottlingOptions, mailboxConcurrency: 2 });
    const first = throttler.admit({ kind: 'outlook', mailbox: 'a' });
    const second = throttler.admit({ kind: 'outlook', mailbox: 'A' });
    expect(throttler.admit({ kind: 'outlook', mailbox: 'a' }).allowed).toBe(false);
    expect(throttler.admit({ kind: 'outlook', mailbox: 'b' }).allowed).toBe(true);
    if (first.allowed) first.release();
    if (first.allowed) first.release(); // releasing twice must not free a second slot
    expect(second.allowed).toBe(true);
    expect(throttler.admit({ kind: 'outlook', mailbox: 'a' }).allowed).toBe(true);
    expect(throttler.admit({ kind: 'outlook', mailbox: 'a' }).allowed).toBe(false);
  });

  it('lets one Identity Protection request through per interval, with no Retry-After', () => {
    const clock = fakeClock();
    const throttler = new Throttler(defaultThrottlingOptions, clock.now);
    expect(throttler.admit({ kind: 'identityProtection' }).allowed).toBe(true);
    clock.advance(999);
    const refused = throttler.admit({ kind: 'identityProtection' });
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeUndefined();
    clock.advance(1);
    expect(throttler.admit({ kind: 'identityProtection' }).allowed).toBe(true);
  });

  it('refuses over the budget with Retry-After until the oldest request leaves the window', () => {
    const clock = fakeClock();
    const throttler = new Throttler(
      { ...defaultThrottlingOptions, budgetRequests: 2, budgetWindowMs: 10_000 },
      clock.now,
    );
    throttler.admit({ kind: 'budget' });
    clock.advance(3_000);
    throttler.admit({ kind: 'budget' });
    const refused = throttler.admit({ kind: 'budget' });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 7 });
    clock.advance(7_001);
    expect(throttler.admit({ kind: 'budget' }).allowed).toBe(true);
  });

  it('admits everything when turned off', () => {
    const throttler = new Throttler(null);
    for (let index = 0; index < 10; index++) {
      expect(throttler.admit({ kind: 'outlook', mailbox: 'a' }).allowed).toBe(true);
      expect(throttler.admit({ kind: 'identityProtection' }).allowed).toBe(true);
    }
  });
});
