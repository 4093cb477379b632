import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface InjectedFault {
  status: 429 | 503 | 504;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

const faults: InjectedFault[] = [
  { status: 429, code: 'TooManyRequests', message: 'Too many requests.', retryAfterSeconds: 1 },
  { status: 503, code: 'serviceNotAvailable', message: 'Service unavailable. Please try again later.' },
  { status: 504, code: 'UnknownError', message: 'Gateway timeout.' },
];

const resolution = 1_000_000;

/**
 * Answers a share (`faultRate`) of requests with a transient failure, chosen by a
 * seeded PRNG so a run with the same seed and the same request order fails the same way.
 */
export class FaultInjector {
  private rng: RandomGenerator;

  constructor(
    private readonly faultRate: number,
    private readonly seed: number,
  ) {
    if (!(faultRate >= 0 && faultRate <= 1)) throw new RangeError('faultRate must be between 0 and 1');
    this.rng = xoroshiro128plus(seed);
  }

  next(): InjectedFault | undefined {
    if (this.faultRate === 0) return undefined;
    const roll = uniformInt(this.rng, 0, resolution - 1);
    if (roll >= this.faultRate * resolution) return undefined;
    return faults[uniformInt(this.rng, 0, faults.length - 1)];
  }

  reset(): void {
    this.rng = xoroshiro128plus(this.seed);
  }
}
