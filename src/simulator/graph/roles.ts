import type { Fixture, SimRoleDefinition } from '../fixture';
import { badRequest, json, noContent, notFoundError, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { newGuid, newOpaqueId } from '../ids';
import { applyFilter, collection, contextUrl, page, parseFilter } from '../odata';

type RoleAssignment = Fixture['roleAssignments'][number];
type RoleEligibility = Fixture['roleEligibilitySchedules'][number];
type EligibilityRequest = Fixture['roleEligibilityScheduleRequests'][number];

const base = '/v1.0/roleManagement/directory';

function roleDefinitionWire(definition: SimRoleDefinition): Record<string, unknown> {
  return {
    id: definition.id,
    description: definition.description,
    displayName: definition.displayName,
    isBuiltIn: definition.isBuiltIn,
    isEnabled: definition.isEnabled,
    resourceScopes: ['/'],
    templateId: definition.templateId,
    version: '1',
    rolePermissions: [],
  };
}

function findRoleDefinition(context: RouteContext, id: string): SimRoleDefinition | undefined {
  const key = id.toLowerCase();
  return context.state.roleDefinitions.find(
    (definition) => definition.id.toLowerCase() === key || definition.templateId.toLowerCase() === key,
  );
}

/** $expand=roleDefinition embeds the definition; other expansions are refused. */
function expandsRoleDefinition(context: RouteContext): boolean {
  const expand = context.request.query.get('$expand');
  if (expand === null || expand.trim() === '') return false;
  const names = expand.split(',').map((name) => name.trim().toLowerCase());
  for (const name of names) {
    if (name !== 'roledefinition' && name !== 'principal') {
      throw badRequest(
        `Could not find a property named '${name}' on type 'microsoft.graph.unifiedRoleAssignment'.`,
        'BadRequest',
      );
    }
  }
  return names.includes('roledefinition');
}

function withExpansion(
  context: RouteContext,
  item: Record<string, unknown>,
  roleDefinitionId: string,
): Record<string, unknown> {
  if (!expandsRoleDefinition(context)) return item;
  const definition = findRoleDefinition(context, roleDefinitionId);
  return { ...item, roleDefinition: definition ? roleDefinitionWire(definition) : null };
}

function assignmentWire(assignment: RoleAssignment): Record<string, unknown> {
  return {
    id: assignment.id,
    principalId: assignment.principalId,
    roleDefinitionId: assignment.roleDefinitionId,
    directoryScopeId: assignment.directoryScopeId,
    appScopeId: null,
    condition: null,
  };
}

function eligibilityWire(eligibility: RoleEligibility): Record<string, unknown> {
  return {
    id: eligibility.id,
    principalId: eligibility.principalId,
    roleDefinitionId: eligibility.roleDefinitionId,
    directoryScopeId: eligibility.directoryScopeId,
    appScopeId: null,
    createdUsing: eligibility.id,
    createdDateTime: eligibility.createdDateTime,
    modifiedDateTime: null,
    status: eligibility.status,
    memberType: eligibility.memberType,
    scheduleInfo: eligibility.scheduleInfo,
  };
}

function principalExists(context: RouteContext, principalId: string): boolean {
  const key = principalId.toLowerCase();
  return (
    context.state.users.some((user) => user.id.toLowerCase() === key) ||
    context.state.groups.some((group) => group.id.toLowerCase() === key) ||
    context.state.servicePrincipals.some((sp) => sp.id.toLowerCase() === key)
  );
}

function requireString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw badRequest(`The request is missing the required property '${name}'.`, 'BadRequest');
  return value;
}

function createAssignment(context: RouteContext) {
  const body = objectBody(context.request);
  const principalId = requireString(body, 'principalId');
  const roleDefinitionId = requireString(body, 'roleDefinitionId');
  const directoryScopeId = typeof body.directoryScopeId === 'string' ? body.directoryScopeId : '/';
  const definition = findRoleDefinition(context, roleDefinitionId);
  if (!definition) throw notFoundError(roleDefinitionId);
  if (!principalExists(context, principalId)) throw notFoundError(principalId);
  const duplicate = context.state.roleAssignments.some(
    (assignment) =>
      assignment.principalId.toLowerCase() === principalId.toLowerCase() &&
      assignment.roleDefinitionId === definition.id &&
      assignment.directoryScopeId === directoryScopeId,
  );
  if (duplicate) {
    throw badRequest(
      'A conflicting object with one or more of the specified property values is present in the directory.',
    );
  }
  const assignment: RoleAssignment = {
    id: newOpaqueId(),
    principalId,
    roleDefinitionId: definition.id,
    directoryScopeId,
  };
  context.state.roleAssignments.push(assignment);
  return json(201, {
    '@odata.context': contextUrl(context.request, 'roleManagement/directory/roleAssignments/$entity'),
    ...assignmentWire(assignment),
  });
}

function scheduleInfoFrom(value: unknown, now: string): RoleEligibility['scheduleInfo'] {
  const info = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const expiration =
    info.expiration !== null && typeof info.expiration === 'object'
      ? (info.expiration as Record<string, unknown>)
      : {};
  const type = expiration.type;
  return {
    startDateTime: typeof info.startDateTime === 'string' ? info.startDateTime : now,
    expiration: {
      type:
        type === 'afterDateTime' || type === 'afterDuration' || type === 'notSpecified'
          ? type
          : 'noExpiration',
      endDateTime: typeof expiration.endDateTime === 'string' ? expiration.endDateTime : null,
      duration: typeof expiration.duration === 'string' ? expiration.duration : null,
    },
  };
}

function createEligibilityRequest(context: RouteContext) {
  const body = objectBody(context.request);
  const action = requireString(body, 'action');
  const principalId = requireString(body, 'principalId');
  const roleDefinitionId = requireString(body, 'roleDefinitionId');
  const directoryScopeId = typeof body.directoryScopeId === 'string' ? body.directoryScopeId : '/';
  const justification = typeof body.justification === 'string' ? body.justification : null;
  const definition = findRoleDefinition(context, roleDefinitionId);
  if (!definition) throw notFoundError(roleDefinitionId);
  if (!principalExists(context, principalId)) throw notFoundError(principalId);
  const now = context.now().toISOString();
  const schedules = context.state.roleEligibilitySchedules;
  const matching = schedules.findIndex(
    (schedule) =>
      schedule.principalId.toLowerCase() === principalId.toLowerCase() &&
      schedule.roleDefinitionId === definition.id &&
      schedule.directoryScopeId === directoryScopeId,
  );

  let status: string;
  let targetScheduleId: string;
  let scheduleInfo: RoleEligibility['scheduleInfo'] | null = null;
  if (action === 'adminRemove') {
    const existing = schedules[matching];
    if (!existing)
      throw new SimHttpError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
    schedules.splice(matching, 1);
    status = 'Revoked';
    targetScheduleId = existing.id;
  } else if (action === 'adminAssign') {
    if (matching >= 0)
      throw new SimHttpError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
    scheduleInfo = scheduleInfoFrom(body.scheduleInfo, now);
    targetScheduleId = newGuid();
    schedules.push({
      id: targetScheduleId,
      principalId,
      roleDefinitionId: definition.id,
      directoryScopeId,
      memberType: 'Direct',
      status: 'Provisioned',
      createdDateTime: now,
      scheduleInfo,
    });
    status = 'Provisioned';
  } else {
    throw badRequest(
      `The simulated tenant supports the actions adminAssign and adminRemove, not '${action}'.`,
      'BadRequest',
    );
  }
  const request: EligibilityRequest = {
    id: newGuid(),
    action,
    principalId,
    roleDefinitionId: definition.id,
    directoryScopeId,
    justification,
    status,
    createdDateTime: now,
    scheduleInfo,
  };
  context.state.roleEligibilityScheduleRequests.push(request);
  return json(201, {
    '@odata.context': contextUrl(
      context.request,
      'roleManagement/directory/roleEligibilityScheduleRequests/$entity',
    ),
    id: request.id,
    status,
    createdDateTime: now,
    completedDateTime: now,
    approvalId: null,
    customData: null,
    action,
    principalId,
    roleDefinitionId: definition.id,
    directoryScopeId,
    appScopeId: null,
    isValidationOnly: false,
    targetScheduleId,
    justification,
    createdBy: {
      application: { id: context.state.app.appId, displayName: context.state.app.displayName },
      user: null,
    },
    scheduleInfo,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
  });
}

/** Role assignments and eligibility schedules are listed alike: `$filter` on the principal or role, paged, `$expand=roleDefinition`. */
function filteredRoleCollection<
  T extends { id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string },
>(
  context: RouteContext,
  items: T[],
  entitySet: 'roleAssignments' | 'roleEligibilitySchedules',
  wire: (item: T) => Record<string, unknown>,
) {
  const clauses = parseFilter(context.request.query.get('$filter'));
  const filtered = applyFilter(items, clauses, ['principalId', 'roleDefinitionId', 'directoryScopeId', 'id']);
  const { value, nextLink } = page(context.request, filtered, { defaultTop: 100, maxTop: 999 });
  return json(
    200,
    collection(
      context.request,
      `roleManagement/directory/${entitySet}`,
      value.map((item) => withExpansion(context, wire(item), item.roleDefinitionId)),
      nextLink,
    ),
  );
}

export const roleRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: `${base}/roleAssignments`,
    service: 'graph',
    permissions: ['RoleManagement.Read.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) =>
      filteredRoleCollection(context, context.state.roleAssignments, 'roleAssignments', assignmentWire),
  },
  {
    method: 'GET',
    path: `${base}/roleAssignments/:assignmentId`,
    service: 'graph',
    permissions: ['RoleManagement.Read.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const assignment = context.state.roleAssignments.find(
        (candidate) => candidate.id === context.params.assignmentId,
      );
      if (!assignment) throw notFoundError(context.params.assignmentId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'roleManagement/directory/roleAssignments/$entity'),
        ...withExpansion(context, assignmentWire(assignment), assignment.roleDefinitionId),
      });
    },
  },
  {
    method: 'POST',
    path: `${base}/roleAssignments`,
    service: 'graph',
    permissions: ['RoleManagement.ReadWrite.Directory'],
    throttle: { kind: 'budget' },
    handler: createAssignment,
  },
  {
    method: 'DELETE',
    path: `${base}/roleAssignments/:assignmentId`,
    service: 'graph',
    permissions: ['RoleManagement.ReadWrite.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const index = context.state.roleAssignments.findIndex(
        (candidate) => candidate.id === context.params.assignmentId,
      );
      if (index < 0) throw notFoundError(context.params.assignmentId ?? '');
      context.state.roleAssignments.splice(index, 1);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: `${base}/roleEligibilitySchedules`,
    service: 'graph',
    permissions: ['RoleEligibilitySchedule.Read.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) =>
      filteredRoleCollection(
        context,
        context.state.roleEligibilitySchedules,
        'roleEligibilitySchedules',
        eligibilityWire,
      ),
  },
  {
    method: 'POST',
    path: `${base}/roleEligibilityScheduleRequests`,
    service: 'graph',
    permissions: ['RoleEligibilitySchedule.ReadWrite.Directory'],
    throttle: { kind: 'budget' },
    handler: createEligibilityRequest,
  },
  {
    method: 'GET',
    path: `${base}/roleDefinitions`,
    service: 'graph',
    permissions: ['RoleManagement.Read.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const clauses = parseFilter(context.request.query.get('$filter'));
      const filtered = applyFilter(context.state.roleDefinitions, clauses, [
        'displayName',
        'templateId',
        'id',
        'isBuiltIn',
      ]);
      return json(
        200,
        collection(
          context.request,
          'roleManagement/directory/roleDefinitions',
          filtered.map(roleDefinitionWire),
        ),
      );
    },
  },
  {
    method: 'GET',
    path: `${base}/roleDefinitions/:roleDefinitionId`,
    service: 'graph',
    permissions: ['RoleManagement.Read.Directory'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const definition = findRoleDefinition(context, context.params.roleDefinitionId ?? '');
      if (!definition) throw notFoundError(context.params.roleDefinitionId ?? '');
      return json(200, {
        '@odata.context': contextUrl(context.request, 'roleManagement/directory/roleDefinitions/$entity'),
        ...roleDefinitionWire(definition),
      });
    },
  },
];
