import { describe, expect, it } from 'vitest';
import { ContentionError, RETRY, retryOnContention } from '../../src/concurrency/retryOnContention';

describe('retryOnContention', () => {
  it('retries until the attempt returns a value', async () => {
    let attempts = 0;
    const result = await retryOnContention('op', { timeoutInMs: 5_000 }, async () => {
      attempts += 1;
      return attempts < 4 ? RETRY : 'won';
    });
    expect(result).toBe('won');
    expect(attempts).toBe(4);
  });

  it('gives up with ContentionError once the time budget is spent', async () => {
    await expect(retryOnContention('appendAudit', { timeoutInMs: 0 }, async () => RETRY)).rejects.toThrow(
      ContentionError,
    );
  });

  it('gives up with ContentionError after the last allowed attempt', async () => {
    let attempts = 0;
    const losing = retryOnContention('saveStep', { maxAttempts: 3 }, async () => {
      attempts += 1;
      return RETRY;
    });
    await expect(losing).rejects.toThrow(/saveStep: still losing to concurrent writers after 3 attempts/);
    expect(attempts).toBe(3);
  });

  it('passes other errors through at once, without retrying', async () => {
    let attempts = 0;
    const failing = retryOnContention('op', {}, async () => {
      attempts += 1;
      throw new Error('table gone');
    });
    await expect(failing).rejects.toThrow('table gone');
    expect(attempts).toBe(1);
  });

  it('returns a falsy value as a value, not as a lost race', async () => {
    await expect(retryOnContention('op', {}, async () => undefined)).resolves.toBeUndefined();
  });
});
