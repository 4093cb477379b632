import type { Fixture } from '../fixture';
import { badRequest, json, noContent, notFoundError, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { findUser } from '../lookups';
import { applyFilter, collection, contextUrl, parseFilter } from '../odata';

type RiskyUser = Fixture['riskyUsers'][number];

/** Identity Protection needs Microsoft Entra ID P2; the message is the simulator's wording. */
function requireP2(context: RouteContext): void {
  if (!context.state.tenant.licenses.includes('AAD_PREMIUM_P2')) {
    throw new SimHttpError(
      403,
      'Forbidden',
      'Your tenant is not licensed for this feature. The riskyUsers API requires a Microsoft Entra ID P2 license.',
    );
  }
}

const riskyUserWire = (user: RiskyUser): Record<string, unknown> => ({ ...user });

function confirmCompromised(context: RouteContext) {
  requireP2(context);
  const userIds = objectBody(context.request).userIds;
  if (
    !Array.isArray(userIds) ||
    userIds.length === 0 ||
    !userIds.every((id): id is string => typeof id === 'string')
  ) {
    throw badRequest("Invalid value specified for property 'userIds'.", 'BadRequest');
  }
  const now = context.now().toISOString();
  for (const id of userIds) {
    const user = findUser(context.state, id);
    if (!user) throw notFoundError(id);
    const fields = {
      riskLevel: 'high',
      riskState: 'confirmedCompromised',
      riskDetail: 'adminConfirmedUserCompromised',
      riskLastUpdatedDateTime: now,
    } as const;
    const existing = context.state.riskyUsers.find((risky) => risky.id === user.id);
    if (existing) Object.assign(existing, fields);
    else
      context.state.riskyUsers.push({
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        userDisplayName: user.displayName,
        isDeleted: false,
        isProcessing: false,
        ...fields,
      });
  }
  return noContent();
}

const identityProtection = { kind: 'identityProtection' } as const;

export const identityProtectionRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/v1.0/identityProtection/riskyUsers/confirmCompromised',
    service: 'graph',
    permissions: ['IdentityRiskyUser.ReadWrite.All'],
    throttle: identityProtection,
    handler: confirmCompromised,
  },
  {
    method: 'GET',
    path: '/v1.0/identityProtection/riskyUsers',
    service: 'graph',
    permissions: ['IdentityRiskyUser.Read.All'],
    throttle: identityProtection,
    handler: (context) => {
      requireP2(context);
      const clauses = parseFilter(context.request.query.get('$filter'));
      const users = applyFilter(context.state.riskyUsers, clauses, [
        'id',
        'userPrincipalName',
        'riskLevel',
        'riskState',
      ]);
      return json(
        200,
        collection(context.request, 'identityProtection/riskyUsers', users.map(riskyUserWire)),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1.0/identityProtection/riskyUsers/:riskyUserId',
    service: 'graph',
    permissions: ['IdentityRiskyUser.Read.All'],
    throttle: identityProtection,
    handler: (context) => {
      requireP2(context);
      const key = (context.params.riskyUserId ?? '').toLowerCase();
      const risky = context.state.riskyUsers.find((candidate) => candidate.id.toLowerCase() === key);
      if (!risky) throw notFoundError(context.params.riskyUserId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'identityProtection/riskyUsers/$entity'),
        ...riskyUserWire(risky),
      });
    },
  },
];
