import type { SimUser } from '../fixture';
import { badRequest, insufficientPrivileges, json, noContent, objectBody } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { activeRoleNamesOf, appHoldsAnyRole, requireUser } from '../lookups';
import { applyFilter, collection, contextUrl, page, parseFilter } from '../odata';

/** Properties Graph returns for a user when no $select is given. */
const defaultUserProperties = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Every property the simulated user resource has on the wire. */
const userWireProperties = [
  ...defaultUserProperties,
  'accountEnabled',
  'onPremisesSyncEnabled',
  'userType',
  'department',
  'usageLocation',
  'createdDateTime',
  'signInSessionsValidFromDateTime',
  'lastPasswordChangeDateTime',
] as const;

const passwordRoles = [
  'User Administrator',
  'Helpdesk Administrator',
  'Privileged Authentication Administrator',
  'Global Administrator',
];
const privilegedTargetRoles = ['Privileged Authentication Administrator', 'Global Administrator'];

function userWire(user: SimUser): Record<string, unknown> {
  return Object.fromEntries(userWireProperties.map((name) => [name, user[name]]));
}

/** $select on users: unknown properties are refused like Graph does. */
export function selectUser(user: SimUser, select: string | null): Record<string, unknown> {
  const wire = userWire(user);
  if (select === null || select.trim() === '') {
    return Object.fromEntries(defaultUserProperties.map((name) => [name, wire[name]]));
  }
  const selected: Record<string, unknown> = {};
  for (const raw of select.split(',')) {
    const requested = raw.trim();
    if (requested === '') continue;
    const property = userWireProperties.find((name) => name.toLowerCase() === requested.toLowerCase());
    if (property === undefined) {
      throw badRequest(`Could not find a property named '${requested}' on type 'microsoft.graph.user'.`);
    }
    selected[property] = wire[property];
  }
  selected.id = user.id;
  return selected;
}

function selectFragment(select: string | null): string {
  return select === null || select.trim() === '' ? 'users' : `users(${select})`;
}

const isComplexPassword = (password: string): boolean => {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  return password.length >= 8 && password.length <= 256 && classes >= 3;
};

function holdsAdminRole(context: RouteContext, user: SimUser): boolean {
  return activeRoleNamesOf(context.state, user.id).length > 0;
}

const editableProfileProperties = [
  'displayName',
  'jobTitle',
  'department',
  'officeLocation',
  'mobilePhone',
  'usageLocation',
] as const;

function patchPermissions(context: RouteContext): string[] {
  const body = context.request.body;
  if (body === null || typeof body !== 'object') return ['User.ReadWrite.All'];
  const keys = Object.keys(body);
  const needed = new Set<string>();
  if (keys.includes('accountEnabled'))
    ['User.EnableDisableAccount.All', 'User.Read.All'].forEach((p) => needed.add(p));
  if (keys.includes('passwordProfile')) needed.add('User-PasswordProfile.ReadWrite.All');
  if (keys.some((key) => key !== 'accountEnabled' && key !== 'passwordProfile'))
    needed.add('User.ReadWrite.All');
  return [...needed];
}

function patchUser(context: RouteContext) {
  const user = requireUser(context.state, context.params.userId ?? '');
  const body = objectBody(context.request);
  const now = context.now().toISOString();
  for (const key of Object.keys(body)) {
    if (
      key !== 'accountEnabled' &&
      key !== 'passwordProfile' &&
      !(editableProfileProperties as readonly string[]).includes(key)
    ) {
      throw badRequest(`Property '${key}' is read-only or not supported by the simulated tenant.`);
    }
  }

  const update: Partial<SimUser> = {};
  if ('accountEnabled' in body) {
    if (typeof body.accountEnabled !== 'boolean') {
      throw badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
    }
    if (holdsAdminRole(context, user) && !appHoldsAnyRole(context.state, privilegedTargetRoles)) {
      throw insufficientPrivileges();
    }
    update.accountEnabled = body.accountEnabled;
  }
  if ('passwordProfile' in body) {
    const profile = body.passwordProfile;
    if (profile === null || typeof profile !== 'object') {
      throw badRequest("Invalid value specified for property 'passwordProfile' of resource 'User'.");
    }
    const { password, forceChangePasswordNextSignIn } = profile as Record<string, unknown>;
    if (
      typeof password !== 'string' ||
      (forceChangePasswordNextSignIn !== undefined && typeof forceChangePasswordNextSignIn !== 'boolean')
    ) {
      throw badRequest("Invalid value specified for property 'passwordProfile' of resource 'User'.");
    }
    if (user.onPremisesSyncEnabled === true) {
      throw badRequest(
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
      );
    }
    if (!appHoldsAnyRole(context.state, passwordRoles)) throw insufficientPrivileges();
    if (holdsAdminRole(context, user) && !appHoldsAnyRole(context.state, privilegedTargetRoles)) {
      throw insufficientPrivileges();
    }
    if (!isComplexPassword(password)) {
      throw badRequest('The specified password does not comply with password complexity requirements.');
    }
    // Only the fact and time of the change are kept: state is readable over HTTP.
    update.lastPasswordChangeDateTime = now;
    update.forceChangePasswordNextSignIn = forceChangePasswordNextSignIn === true;
  }
  for (const key of editableProfileProperties) {
    if (key in body) {
      const value = body[key];
      if (key === 'displayName') {
        if (typeof value !== 'string' || value === '')
          throw badRequest(`Invalid value specified for property '${key}' of resource 'User'.`);
        update.displayName = value;
      } else {
        if (value !== null && typeof value !== 'string')
          throw badRequest(`Invalid value specified for property '${key}' of resource 'User'.`);
        update[key] = value;
      }
    }
  }
  Object.assign(user, update);
  return noContent();
}

export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/users',
    service: 'graph',
    permissions: ['User.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const select = context.request.query.get('$select');
      const clauses = parseFilter(context.request.query.get('$filter'));
      const users = applyFilter(context.state.users, clauses, [
        'id',
        'userPrincipalName',
        'mail',
        'displayName',
        'accountEnabled',
        'userType',
        'onPremisesSyncEnabled',
      ]);
      const { value, nextLink } = page(context.request, users, { defaultTop: 100, maxTop: 999 });
      return json(
        200,
        collection(
          context.request,
          selectFragment(select),
          value.map((user) => selectUser(user, select)),
          nextLink,
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId',
    service: 'graph',
    permissions: ['User.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const select = context.request.query.get('$select');
      return json(200, {
        '@odata.context': contextUrl(context.request, `${selectFragment(select)}/$entity`),
        ...selectUser(user, select),
      });
    },
  },
  {
    method: 'PATCH',
    path: '/v1.0/users/:userId',
    service: 'graph',
    permissions: patchPermissions,
    throttle: { kind: 'budget' },
    handler: patchUser,
  },
  {
    method: 'POST',
    path: '/v1.0/users/:userId/revokeSignInSessions',
    service: 'graph',
    permissions: ['User.RevokeSessions.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      user.signInSessionsValidFromDateTime = context.now().toISOString();
      return json(200, { '@odata.context': contextUrl(context.request, 'Edm.Boolean'), value: true });
    },
  },
  {
    method: 'POST',
    path: '/v1.0/users/:userId/checkMemberGroups',
    service: 'graph',
    permissions: ['GroupMember.Read.All'],
    throttle: { kind: 'budget' },
    write: () => false,
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const body = objectBody(context.request);
      const groupIds = body.groupIds;
      if (!Array.isArray(groupIds) || !groupIds.every((id): id is string => typeof id === 'string')) {
        throw badRequest("Invalid value specified for property 'groupIds'.");
      }
      if (groupIds.length > 20) throw badRequest('The number of groupIds must not exceed 20.');
      const memberOf = new Set(
        context.state.groups
          .filter((group) => group.members.includes(user.id))
          .map((group) => group.id.toLowerCase()),
      );
      return json(200, {
        '@odata.context': contextUrl(context.request, 'Collection(Edm.String)'),
        value: groupIds.filter((id) => memberOf.has(id.toLowerCase())),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/memberOf',
    service: 'graph',
    permissions: ['Directory.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const groups = context.state.groups
        .filter((group) => group.members.includes(user.id))
        .map((group) => ({
          '@odata.type': '#microsoft.graph.group',
          id: group.id,
          displayName: group.displayName,
          description: group.description,
          isAssignableToRole: group.isAssignableToRole,
          securityEnabled: group.securityEnabled,
          mailEnabled: group.mailEnabled,
        }));
      const { value, nextLink } = page(context.request, groups, { defaultTop: 100, maxTop: 999 });
      return json(200, collection(context.request, 'directoryObjects', value, nextLink));
    },
  },
];
