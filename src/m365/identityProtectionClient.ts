import { Coalescer } from './coalescer';
import { invalidInput, isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment, requireGuid } from './graph/urls';
import { riskyUserWire } from './graph/wire';
import type { IdentityProtectionClient, RiskyUser, WriteResult } from './types';

/**
 * Graph documents no maximum for confirmCompromised's userIds; we send at most this many per call
 * so one rejected id (404) fails a bounded number of users.
 */
export const MAX_USER_IDS_PER_CONFIRM = 100;

function toRiskyUser(wire: { id: string; riskState?: string | null; riskLevel?: string | null }): RiskyUser {
  return { id: wire.id, riskState: wire.riskState ?? 'none', riskLevel: wire.riskLevel ?? 'none' };
}

/**
 * Identity Protection (Entra ID P2). Every call goes through the ≤ 1 request/s tenant limiter, so
 * calls for many users are coalesced: while one request waits for its slot, the users asked for
 * meanwhile are collected and go out together (confirmCompromised takes a list of user ids; many
 * riskyUser reads become one read of the riskyUsers collection).
 */
export class GraphIdentityProtectionClient implements IdentityProtectionClient {
  private readonly confirms: Coalescer<string>;
  private readonly reads: Coalescer<RiskyUser | null>;

  constructor(private readonly api: GraphApi) {
    this.confirms = new Coalescer((userIds) => this.confirmMany(userIds), MAX_USER_IDS_PER_CONFIRM);
    this.reads = new Coalescer((userIds) => this.readMany(userIds));
  }

  async confirmCompromised(userIds: string[]): Promise<WriteResult> {
    if (!Array.isArray(userIds) || userIds.length === 0) {
      throw invalidInput('identityProtection.confirmCompromised', 'At least one user id is required.');
    }
    userIds.forEach((id) => requireGuid('identityProtection.confirmCompromised', id, 'User id'));
    const requestIds = await Promise.all(userIds.map((id) => this.confirms.load(id.toLowerCase())));
    return { requestId: requestIds[0] ?? '' };
  }

  /** null when Identity Protection has never seen the user at risk (Graph answers 404). */
  async getRiskyUser(userId: string): Promise<RiskyUser | null> {
    pathSegment('identityProtection.getRiskyUser', userId, 'User id');
    return this.reads.load(userId.toLowerCase());
  }

  private async confirmMany(userIds: string[]): Promise<Map<string, string>> {
    const { requestId } = await this.api.call({
      operation: 'identityProtection.confirmCompromised',
      method: 'POST',
      url: '/identityProtection/riskyUsers/confirmCompromised',
      body: { userIds },
      identityProtection: true,
    });
    return new Map(userIds.map((id) => [id, requestId]));
  }

  private async readMany(userIds: string[]): Promise<Map<string, RiskyUser | null>> {
    const [only] = userIds;
    if (userIds.length === 1 && only !== undefined) return new Map([[only, await this.readOne(only)]]);
    // Many users: one read of the collection (paged) costs fewer 1-per-second slots than one each.
    const all = await this.api.listAll(
      {
        operation: 'identityProtection.listRiskyUsers',
        method: 'GET',
        url: '/identityProtection/riskyUsers',
        identityProtection: true,
      },
      riskyUserWire,
    );
    const byId = new Map(all.map((wire) => [wire.id.toLowerCase(), toRiskyUser(wire)]));
    return new Map(userIds.map((id) => [id, byId.get(id) ?? null]));
  }

  private async readOne(userId: string): Promise<RiskyUser | null> {
    const user = pathSegment('identityProtection.getRiskyUser', userId, 'User id');
    try {
      const { body } = await this.api.read(
        {
          operation: 'identityProtection.getRiskyUser',
          method: 'GET',
          url: `/identityProtection/riskyUsers/${user}`,
          identityProtection: true,
        },
        riskyUserWire,
      );
      return toRiskyUser(body);
    } catch (error) {
      if (isM365Error(error) && error.code === 'NotFound') return null;
      throw error;
    }
  }
}
