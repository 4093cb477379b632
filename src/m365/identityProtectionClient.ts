import { invalidInput, isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment, requireGuid } from './graph/urls';
import { riskyUserWire } from './graph/wire';
import type { IdentityProtectionClient, RiskyUser, WriteResult } from './types';

/** Identity Protection (Entra ID P2). Every call goes through the ≤ 1 request/s tenant limiter. */
export class GraphIdentityProtectionClient implements IdentityProtectionClient {
  constructor(private readonly api: GraphApi) {}

  async confirmCompromised(userIds: string[]): Promise<WriteResult> {
    if (!Array.isArray(userIds) || userIds.length === 0) {
      throw invalidInput('identityProtection.confirmCompromised', 'At least one user id is required.');
    }
    userIds.forEach((id) => requireGuid('identityProtection.confirmCompromised', id, 'User id'));
    const { requestId } = await this.api.call({
      operation: 'identityProtection.confirmCompromised',
      method: 'POST',
      url: '/identityProtection/riskyUsers/confirmCompromised',
      body: { userIds },
      identityProtection: true,
    });
    return { requestId };
  }

  /** null when Identity Protection has never seen the user at risk (Graph answers 404). */
  async getRiskyUser(userId: string): Promise<RiskyUser | null> {
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
      return { id: body.id, riskState: body.riskState ?? 'none', riskLevel: body.riskLevel ?? 'none' };
    } catch (error) {
      if (isM365Error(error) && error.code === 'NotFound') return null;
      throw error;
    }
  }
}
