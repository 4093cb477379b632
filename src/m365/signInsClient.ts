import { z } from 'zod';
import { Coalescer } from './coalescer';
import { invalidInput } from './errors';
import type { GraphApi } from './graph/graphApi';
import { odataFilter, requireGuid } from './graph/urls';
import { signInWire } from './graph/wire';
import type { SignInEvent, SignInsClient } from './types';

/** Graph's documented maximum page size for signIns. */
const MAX_TOP = 1000;

const tenantSignInWire = signInWire.extend({ userId: z.string().nullish() });
type SignInWire = z.output<typeof signInWire>;

export interface SignInsClientOptions {
  /**
   * When many users' sign-ins are wanted at once (a mass incident), one tenant-wide read of this
   * window replaces one read per user: the sign-in log allows only 5 requests per 10 s.
   * Default 24 h.
   */
  tenantWideWindowInMs?: number;
  now?: () => Date;
}

function toSignInEvent(wire: SignInWire): SignInEvent {
  return {
    id: wire.id,
    createdDateTime: wire.createdDateTime,
    ipAddress: wire.ipAddress ?? '',
    city: wire.location?.city ?? undefined,
    countryOrRegion: wire.location?.countryOrRegion ?? undefined,
    appDisplayName: wire.appDisplayName ?? '',
    clientAppUsed: wire.clientAppUsed ?? undefined,
    succeeded: (wire.status?.errorCode ?? 0) === 0,
    failureReason: wire.status?.errorCode ? (wire.status.failureReason ?? undefined) : undefined,
    riskLevel: wire.riskLevelDuringSignIn ?? undefined,
  };
}

export class GraphSignInsClient implements SignInsClient {
  private readonly reads: Coalescer<SignInEvent[]>;
  private readonly windowInMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly api: GraphApi,
    options: SignInsClientOptions = {},
  ) {
    this.windowInMs = options.tenantWideWindowInMs ?? 24 * 60 * 60 * 1000;
    this.now = options.now ?? (() => new Date());
    this.reads = new Coalescer((keys) => this.readMany(keys));
  }

  /**
   * The newest `top` sign-ins (Graph returns them newest first); one page, no paging. Requests
   * for several users made while another is in flight share one tenant-wide read of the last
   * `tenantWideWindowInMs` (then a user's older sign-ins are not included).
   */
  async listRecentSignIns(userId: string, top: number): Promise<SignInEvent[]> {
    requireGuid('signIns.listRecentSignIns', userId, 'User id');
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      throw invalidInput('signIns.listRecentSignIns', `top must be a whole number from 1 to ${MAX_TOP}.`);
    }
    const events = await this.reads.load(`${userId.toLowerCase()}|${top}`);
    return events.slice(0, top);
  }

  private async readMany(keys: string[]): Promise<Map<string, SignInEvent[]>> {
    const [only] = keys;
    if (keys.length === 1 && only !== undefined) {
      const [userId = '', top = '1'] = only.split('|');
      return new Map([[only, await this.readOne(userId, Number(top))]]);
    }
    const since = new Date(this.now().getTime() - this.windowInMs).toISOString();
    const all = await this.api.listAll(
      {
        operation: 'signIns.listRecentSignIns',
        method: 'GET',
        url: `/auditLogs/signIns?$filter=${encodeURIComponent(`createdDateTime ge ${since}`)}&$top=${MAX_TOP}`,
        signInLog: true,
      },
      tenantSignInWire,
    );
    const byUser = new Map<string, SignInEvent[]>();
    for (const wire of all) {
      const user = (wire.userId ?? '').toLowerCase();
      byUser.set(user, [...(byUser.get(user) ?? []), toSignInEvent(wire)]);
    }
    return new Map(
      keys.map((key) => {
        const [userId = '', top = '1'] = key.split('|');
        return [key, (byUser.get(userId) ?? []).slice(0, Number(top))];
      }),
    );
  }

  private async readOne(userId: string, top: number): Promise<SignInEvent[]> {
    const { body } = await this.api.read(
      {
        operation: 'signIns.listRecentSignIns',
        method: 'GET',
        url: `/auditLogs/signIns?$filter=${odataFilter('userId', userId)}&$top=${top}`,
        signInLog: true,
      },
      z.object({ value: z.array(signInWire) }),
    );
    return body.value.slice(0, top).map(toSignInEvent);
  }
}
