import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../src/m365/coalescer';

/** A fetcher that records each call's keys and answers when released. */
function recordingFetcher() {
  const calls: string[][] = [];
  const releases: Array<() => void> = [];
  const fetchMany = (keys: string[]) => {
    calls.push(keys);
    return new Promise<Map<string, string>>((resolve) => {
      releases.push(() => resolve(new Map(keys.map((key) => [key, `value-of-${key}`]))));
    });
  };
  const releaseNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  };
  return { calls, fetchMany, releaseNext };
}

describe('Coalescer: one request in flight, the keys asked for meanwhile travel together', () => {
  it('sends keys asked in the same tick together, and later ones in the next request', async () => {
    const fetcher = recordingFetcher();
    const coalescer = new Coalescer(fetcher.fetchMany);
    const first = [coalescer.load('a'), coalescer.load('b')];
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['c', 'd', 'e'].map((key) => coalescer.load(key));
    await fetcher.releaseNext();
    await fetcher.releaseNext();
    expect(await Promise.all([...first, ...later])).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((key) => `value-of-${key}`),
    );
    expect(fetcher.calls).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('asks for a key once however many callers wait for it', async () => {
    const fetcher = recordingFetcher();
    const coalescer = new Coalescer(fetcher.fetchMany);
    const answers = [coalescer.load('a'), coalescer.load('a')];
    await fetcher.releaseNext();
    expect(await Promise.all(answers)).toEqual(['value-of-a', 'value-of-a']);
    expect(fetcher.calls).toEqual([['a']]);
  });

  it('splits into requests of at most maxKeysPerRequest keys', async () => {
    const fetcher = recordingFetcher();
    const coalescer = new Coalescer(fetcher.fetchMany, 2);
    const answers = ['a', 'b', 'c'].map((key) => coalescer.load(key));
    await fetcher.releaseNext();
    await fetcher.releaseNext();
    await Promise.all(answers);
    expect(fetcher.calls).toEqual([['a', 'b'], ['c']]);
  });

  it('fails every caller of a failed request, and keeps serving later ones', async () => {
    let fail = true;
    const coalescer = new Coalescer(async (keys: string[]) => {
      if (fail) throw new Error('throttled');
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    const failed = [coalescer.load('a'), coalescer.load('b')];
    await expect(Promise.all(failed)).rejects.toThrow('throttled');
    await expect(failed[1]).rejects.toThrow('throttled');
    fail = false;
    await expect(coalescer.load('c')).resolves.toBe('C');
  });

  it('rejects a key the answer leaves out', async () => {
    const coalescer = new Coalescer(async () => new Map<string, string>());
    await expect(coalescer.load('missing')).rejects.toThrow('no answer for missing');
  });
});
