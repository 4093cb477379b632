import type { Fixture } from '../fixture';
import { badRequest, json, noContent, notFoundError, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { newOpaqueId } from '../ids';
import { requireUser } from '../lookups';
import { applyFilter, applySelect, collection, contextUrl, page, parseFilter } from '../odata';

type Grant = Fixture['oauth2PermissionGrants'][number];
type ServicePrincipal = Fixture['servicePrincipals'][number];
type AppRoleAssignment = Fixture['appRoleAssignments'][number];

const grantWire = (grant: Grant): Record<string, unknown> => ({ ...grant });

function servicePrincipalWire(sp: ServicePrincipal): Record<string, unknown> {
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    servicePrincipalType: sp.servicePrincipalType,
    accountEnabled: sp.accountEnabled,
    verifiedPublisher: sp.verifiedPublisher,
  };
}

function appRoleAssignmentWire(assignment: AppRoleAssignment): Record<string, unknown> {
  return {
    id: assignment.id,
    appRoleId: assignment.appRoleId,
    createdDateTime: assignment.createdDateTime,
    deletedDateTime: null,
    principalDisplayName: assignment.principalDisplayName,
    principalId: assignment.principalId,
    principalType: assignment.principalType,
    resourceDisplayName: assignment.resourceDisplayName,
    resourceId: assignment.resourceId,
  };
}

function findServicePrincipal(context: RouteContext, id: string): ServicePrincipal | undefined {
  const key = id.toLowerCase();
  return context.state.servicePrincipals.find((sp) => sp.id.toLowerCase() === key);
}

function createGrant(context: RouteContext) {
  const body = objectBody(context.request);
  const { clientId, resourceId, consentType, principalId, scope } = body;
  if (typeof clientId !== 'string' || typeof resourceId !== 'string' || typeof scope !== 'string') {
    throw badRequest('clientId, resourceId and scope are required.');
  }
  if (consentType !== 'Principal' && consentType !== 'AllPrincipals') {
    throw badRequest("Invalid value specified for property 'consentType'.");
  }
  if (consentType === 'Principal' && typeof principalId !== 'string') {
    throw badRequest("principalId is required when consentType is 'Principal'.");
  }
  if (!findServicePrincipal(context, clientId)) throw notFoundError(clientId);
  if (!findServicePrincipal(context, resourceId)) throw notFoundError(resourceId);
  const principal = consentType === 'Principal' ? requireUser(context.state, principalId as string).id : null;
  const grants = context.state.oauth2PermissionGrants;
  if (
    grants.some(
      (grant) =>
        grant.clientId === clientId && grant.resourceId === resourceId && grant.principalId === principal,
    )
  ) {
    throw new SimHttpError(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      'Permission entry already exists.',
    );
  }
  const grant: Grant = {
    id: newOpaqueId(32),
    clientId,
    consentType,
    principalId: principal,
    resourceId,
    scope,
  };
  grants.push(grant);
  return json(201, {
    '@odata.context': contextUrl(context.request, 'oauth2PermissionGrants/$entity'),
    ...grantWire(grant),
  });
}

export const consentRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/oauth2PermissionGrants',
    service: 'graph',
    permissions: ['Directory.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const clauses = parseFilter(context.request.query.get('$filter'));
      const grants = applyFilter(context.state.oauth2PermissionGrants, clauses, [
        'principalId',
        'clientId',
        'resourceId',
        'consentType',
        'id',
      ]);
      const { value, nextLink } = page(context.request, grants, { defaultTop: 100, maxTop: 999 });
      return json(200, collection(context.request, 'oauth2PermissionGrants', value.map(grantWire), nextLink));
    },
  },
  {
    method: 'GET',
    path: '/v1.0/oauth2PermissionGrants/:grantId',
    service: 'graph',
    permissions: ['Directory.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const grant = context.state.oauth2PermissionGrants.find(
        (candidate) => candidate.id === context.params.grantId,
      );
      if (!grant) throw notFoundError(context.params.grantId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'oauth2PermissionGrants/$entity'),
        ...grantWire(grant),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1.0/oauth2PermissionGrants',
    service: 'graph',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    throttle: { kind: 'budget' },
    handler: createGrant,
  },
  {
    method: 'DELETE',
    path: '/v1.0/oauth2PermissionGrants/:grantId',
    service: 'graph',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const grants = context.state.oauth2PermissionGrants;
      const index = grants.findIndex((candidate) => candidate.id === context.params.grantId);
      if (index < 0) throw notFoundError(context.params.grantId ?? '');
      grants.splice(index, 1);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1.0/servicePrincipals',
    service: 'graph',
    permissions: ['Application.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const clauses = parseFilter(context.request.query.get('$filter'));
      const sps = applyFilter(context.state.servicePrincipals, clauses, ['appId', 'displayName', 'id']);
      const select = context.request.query.get('$select');
      return json(
        200,
        collection(
          context.request,
          'servicePrincipals',
          sps.map((sp) => applySelect(servicePrincipalWire(sp), select)),
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1.0/servicePrincipals/:servicePrincipalId',
    service: 'graph',
    permissions: ['Application.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const sp = findServicePrincipal(context, context.params.servicePrincipalId ?? '');
      if (!sp) throw notFoundError(context.params.servicePrincipalId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'servicePrincipals/$entity'),
        ...applySelect(servicePrincipalWire(sp), context.request.query.get('$select')),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/appRoleAssignments',
    service: 'graph',
    permissions: ['Directory.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const assignments = context.state.appRoleAssignments.filter(
        (assignment) => assignment.principalId === user.id,
      );
      const { value, nextLink } = page(context.request, assignments, { defaultTop: 100, maxTop: 999 });
      return json(
        200,
        collection(
          context.request,
          `users('${user.id}')/appRoleAssignments`,
          value.map(appRoleAssignmentWire),
          nextLink,
        ),
      );
    },
  },
  {
    method: 'DELETE',
    path: '/v1.0/users/:userId/appRoleAssignments/:assignmentId',
    service: 'graph',
    permissions: ['AppRoleAssignment.ReadWrite.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const assignments = context.state.appRoleAssignments;
      const index = assignments.findIndex(
        (candidate) => candidate.id === context.params.assignmentId && candidate.principalId === user.id,
      );
      if (index < 0) throw notFoundError(context.params.assignmentId ?? '');
      assignments.splice(index, 1);
      return noContent();
    },
  },
];
