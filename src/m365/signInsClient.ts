import { z } from 'zod';
import { invalidInput } from './errors';
import type { GraphApi } from './graph/graphApi';
import { odataFilter, requireGuid } from './graph/urls';
import { signInWire } from './graph/wire';
import type { SignInEvent, SignInsClient } from './types';

/** Graph's documented maximum page size for signIns. */
const MAX_TOP = 1000;

export class GraphSignInsClient implements SignInsClient {
  constructor(private readonly api: GraphApi) {}

  /** The newest `top` sign-ins (Graph returns them newest first); one page, no paging. */
  async listRecentSignIns(userId: string, top: number): Promise<SignInEvent[]> {
    requireGuid('signIns.listRecentSignIns', userId, 'User id');
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      throw invalidInput('signIns.listRecentSignIns', `top must be a whole number from 1 to ${MAX_TOP}.`);
    }
    const { body } = await this.api.read(
      {
        operation: 'signIns.listRecentSignIns',
        method: 'GET',
        url: `/auditLogs/signIns?$filter=${odataFilter('userId', userId)}&$top=${top}`,
        signInLog: true,
      },
      z.object({ value: z.array(signInWire) }),
    );
    return body.value.slice(0, top).map((wire) => ({
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
    }));
  }
}
