import type { Fixture } from '../fixture';
import { json, notFoundError, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { applyFilter, collection, contextUrl, page, parseFilter } from '../odata';

type SignIn = Fixture['signIns'][number];

/** Sign-in logs need Microsoft Entra ID P1 or P2 (real error code and message). */
function requirePremium(context: RouteContext): void {
  const licenses = context.state.tenant.licenses;
  if (!licenses.includes('AAD_PREMIUM') && !licenses.includes('AAD_PREMIUM_P2')) {
    throw new SimHttpError(
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      "Neither tenant is B2C or tenant doesn't have premium license",
    );
  }
}

const signInWire = (signIn: SignIn): Record<string, unknown> => ({ ...signIn });

export const signInRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/auditLogs/signIns',
    service: 'graph',
    permissions: ['AuditLog.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      requirePremium(context);
      const clauses = parseFilter(context.request.query.get('$filter'));
      const matching = applyFilter(context.state.signIns, clauses, [
        'userId',
        'userPrincipalName',
        'createdDateTime',
        'appId',
        'appDisplayName',
        'ipAddress',
        'status/errorCode',
        'location/countryOrRegion',
      ]).sort((left, right) => Date.parse(right.createdDateTime) - Date.parse(left.createdDateTime));
      const { value, nextLink } = page(context.request, matching, { defaultTop: 1000, maxTop: 1000 });
      return json(200, collection(context.request, 'auditLogs/signIns', value.map(signInWire), nextLink));
    },
  },
  {
    method: 'GET',
    path: '/v1.0/auditLogs/signIns/:signInId',
    service: 'graph',
    permissions: ['AuditLog.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      requirePremium(context);
      const signIn = context.state.signIns.find((candidate) => candidate.id === context.params.signInId);
      if (!signIn) throw notFoundError(context.params.signInId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'auditLogs/signIns/$entity'),
        ...signInWire(signIn),
      });
    },
  },
];
