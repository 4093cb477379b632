import type { SimGroup } from '../fixture';
import { badRequest, json, noContent, notFoundError, objectBody } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { collection, contextUrl, page } from '../odata';

function requireGroup(context: RouteContext): SimGroup {
  const id = (context.params.groupId ?? '').toLowerCase();
  const group = context.state.groups.find((candidate) => candidate.id.toLowerCase() === id);
  if (!group) throw notFoundError(context.params.groupId ?? '');
  return group;
}

function groupWire(group: SimGroup): Record<string, unknown> {
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    isAssignableToRole: group.isAssignableToRole,
    securityEnabled: group.securityEnabled,
    mailEnabled: group.mailEnabled,
  };
}

/** Changing members of a role-assignable group also needs RoleManagement.ReadWrite.Directory. */
function memberWritePermissions(context: RouteContext): string[] {
  const id = (context.params.groupId ?? '').toLowerCase();
  const group = context.state.groups.find((candidate) => candidate.id.toLowerCase() === id);
  return group?.isAssignableToRole === true
    ? ['GroupMember.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']
    : ['GroupMember.ReadWrite.All'];
}

const directoryObjectRef = /directoryObjects\/([0-9a-f-]{36})\/?$/i;

export const groupRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/groups/:groupId',
    service: 'graph',
    permissions: ['GroupMember.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) =>
      json(200, {
        '@odata.context': contextUrl(context.request, 'groups/$entity'),
        ...groupWire(requireGroup(context)),
      }),
  },
  {
    method: 'GET',
    path: '/v1.0/groups/:groupId/members',
    service: 'graph',
    permissions: ['GroupMember.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const group = requireGroup(context);
      const members = group.members.flatMap((memberId) => {
        const user = context.state.users.find((candidate) => candidate.id === memberId);
        return user
          ? [
              {
                '@odata.type': '#microsoft.graph.user',
                id: user.id,
                displayName: user.displayName,
                userPrincipalName: user.userPrincipalName,
              },
            ]
          : [];
      });
      const { value, nextLink } = page(context.request, members, { defaultTop: 100, maxTop: 999 });
      return json(200, collection(context.request, 'directoryObjects', value, nextLink));
    },
  },
  {
    method: 'POST',
    path: '/v1.0/groups/:groupId/members/$ref',
    service: 'graph',
    permissions: memberWritePermissions,
    throttle: { kind: 'budget' },
    handler: (context) => {
      const group = requireGroup(context);
      const reference = objectBody(context.request)['@odata.id'];
      const match = typeof reference === 'string' ? directoryObjectRef.exec(reference) : null;
      if (!match?.[1]) throw badRequest("Invalid value specified for property '@odata.id'.");
      const memberId = match[1].toLowerCase();
      const user = context.state.users.find((candidate) => candidate.id.toLowerCase() === memberId);
      if (!user) throw notFoundError(match[1]);
      if (group.members.includes(user.id)) {
        throw badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      }
      group.members.push(user.id);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/v1.0/groups/:groupId/members/:memberId/$ref',
    service: 'graph',
    permissions: memberWritePermissions,
    throttle: { kind: 'budget' },
    handler: (context) => {
      const group = requireGroup(context);
      const memberId = (context.params.memberId ?? '').toLowerCase();
      const index = group.members.findIndex((id) => id.toLowerCase() === memberId);
      if (index < 0) throw notFoundError(context.params.memberId ?? '');
      group.members.splice(index, 1);
      return noContent();
    },
  },
];
