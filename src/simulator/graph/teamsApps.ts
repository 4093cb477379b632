import { badRequest, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef, SimResponse } from '../http';
import { newGuid } from '../ids';
import { requireUser } from '../lookups';

const CATALOG_BIND = /\/appCatalogs\/teamsApps\/([0-9a-fA-F-]{36})$/;

/**
 * POST /users/{id}/teamwork/installedApps: install an app in a user's personal scope (Graph answers
 * 201 with no body). The simulator's own choices, which Microsoft does not document: an app already
 * installed for the user is 409 Conflict; a catalog id other than the app's own (the
 * ReadWriteSelfForUser permission covers only the calling app itself) is 404.
 */
function installForUser(context: RouteContext): SimResponse {
  const user = requireUser(context.state, context.params.userId ?? '');
  const bind = objectBody(context.request)['teamsApp@odata.bind'];
  const catalogId = typeof bind === 'string' ? CATALOG_BIND.exec(bind)?.[1]?.toLowerCase() : undefined;
  if (!catalogId) {
    throw badRequest(
      "The request body must bind 'teamsApp@odata.bind' to an app catalog entry.",
      'BadRequest',
    );
  }
  if (catalogId !== context.state.app.teamsAppCatalogId.toLowerCase()) {
    throw new SimHttpError(
      404,
      'NotFound',
      `The app ${catalogId} is not in the tenant app catalog, or only this app can be installed with the granted permission.`,
    );
  }
  const installations = context.state.teamsAppInstallations;
  if (installations.some((entry) => entry.userId === user.id && entry.teamsAppId === catalogId)) {
    throw new SimHttpError(409, 'Conflict', 'The app is already installed for this user.');
  }
  installations.push({ id: newGuid(), userId: user.id, teamsAppId: catalogId });
  return { status: 201 };
}

export const teamsAppRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/v1.0/users/:userId/teamwork/installedApps',
    service: 'graph',
    permissions: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    throttle: { kind: 'budget' },
    handler: installForUser,
  },
];
