import { invalidInput, isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { odataFilter, pathSegment, requireGuid } from './graph/urls';
import type { RoleAssignmentWire } from './graph/wire';
import { roleAssignmentWire, roleDefinitionOnly, roleEligibilityWire } from './graph/wire';
import type { RoleAssignment, RoleEligibility, RolesClient, WriteResult } from './types';

function toAssignment(wire: RoleAssignmentWire): RoleAssignment {
  return {
    id: wire.id,
    principalId: wire.principalId,
    roleDefinitionId: wire.roleDefinitionId,
    roleName: wire.roleDefinition?.displayName ?? wire.roleDefinitionId,
    directoryScopeId: wire.directoryScopeId ?? '/',
  };
}

function requireJustification(
  operation: 'roles.removeEligibility' | 'roles.createEligibility',
  text: string,
): string {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw invalidInput(operation, 'A justification is required for PIM schedule requests.');
  }
  // PIM rejects justifications over 500 characters.
  return text.slice(0, 500);
}

export class GraphRolesClient implements RolesClient {
  constructor(private readonly api: GraphApi) {}

  async listActiveAssignments(principalId: string): Promise<RoleAssignment[]> {
    requireGuid('roles.listActiveAssignments', principalId, 'Principal id');
    const wires = await this.api.listAll(
      {
        operation: 'roles.listActiveAssignments',
        method: 'GET',
        url: `/roleManagement/directory/roleAssignments?$filter=${odataFilter('principalId', principalId)}&$expand=roleDefinition`,
      },
      roleAssignmentWire,
    );
    return wires.map(toAssignment);
  }

  async listAssignmentsForRole(roleDefinitionId: string): Promise<RoleAssignment[]> {
    requireGuid('roles.listAssignmentsForRole', roleDefinitionId, 'Role definition id');
    const wires = await this.api.listAll(
      {
        operation: 'roles.listAssignmentsForRole',
        method: 'GET',
        url: `/roleManagement/directory/roleAssignments?$filter=${odataFilter('roleDefinitionId', roleDefinitionId)}&$expand=roleDefinition`,
      },
      roleAssignmentWire,
    );
    return wires.map(toAssignment);
  }

  async removeActiveAssignment(assignmentId: string): Promise<WriteResult> {
    const id = pathSegment('roles.removeActiveAssignment', assignmentId, 'Role assignment id');
    const { requestId } = await this.api.call({
      operation: 'roles.removeActiveAssignment',
      method: 'DELETE',
      url: `/roleManagement/directory/roleAssignments/${id}`,
    });
    return { requestId };
  }

  async createActiveAssignment(
    assignment: Pick<RoleAssignment, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>,
  ): Promise<RoleAssignment & WriteResult> {
    requireGuid('roles.createActiveAssignment', assignment.principalId, 'Principal id');
    pathSegment('roles.createActiveAssignment', assignment.roleDefinitionId, 'Role definition id');
    const { body, requestId } = await this.api.read(
      {
        operation: 'roles.createActiveAssignment',
        method: 'POST',
        url: '/roleManagement/directory/roleAssignments',
        body: {
          principalId: assignment.principalId,
          roleDefinitionId: assignment.roleDefinitionId,
          directoryScopeId: assignment.directoryScopeId || '/',
        },
      },
      roleAssignmentWire,
    );
    const created = toAssignment(body);
    return { ...created, roleName: await this.roleName(created.roleDefinitionId), requestId };
  }

  async listEligibilities(principalId: string): Promise<RoleEligibility[]> {
    requireGuid('roles.listEligibilities', principalId, 'Principal id');
    const wires = await this.api.listAll(
      {
        operation: 'roles.listEligibilities',
        method: 'GET',
        url: `/roleManagement/directory/roleEligibilitySchedules?$filter=${odataFilter('principalId', principalId)}&$expand=roleDefinition`,
      },
      roleEligibilityWire,
    );
    return wires.map(toAssignment);
  }

  async removeEligibility(eligibility: RoleEligibility, justification: string): Promise<WriteResult> {
    return this.scheduleRequest('roles.removeEligibility', 'adminRemove', eligibility, justification);
  }

  async createEligibility(
    eligibility: Pick<RoleEligibility, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>,
    justification: string,
  ): Promise<WriteResult> {
    return this.scheduleRequest('roles.createEligibility', 'adminAssign', eligibility, justification);
  }

  private async scheduleRequest(
    operation: 'roles.removeEligibility' | 'roles.createEligibility',
    action: 'adminRemove' | 'adminAssign',
    eligibility: Pick<RoleEligibility, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>,
    justification: string,
  ): Promise<WriteResult> {
    requireGuid(operation, eligibility.principalId, 'Principal id');
    pathSegment(operation, eligibility.roleDefinitionId, 'Role definition id');
    const body: Record<string, unknown> = {
      action,
      principalId: eligibility.principalId,
      roleDefinitionId: eligibility.roleDefinitionId,
      directoryScopeId: eligibility.directoryScopeId || '/',
      justification: requireJustification(operation, justification),
    };
    if (action === 'adminAssign') {
      body.scheduleInfo = { startDateTime: new Date().toISOString(), expiration: { type: 'noExpiration' } };
    }
    const { requestId } = await this.api.call({
      operation,
      method: 'POST',
      url: '/roleManagement/directory/roleEligibilityScheduleRequests',
      body,
    });
    return { requestId };
  }

  /** The role's display name; its id when it cannot be read (cosmetic, so never fatal). */
  private async roleName(roleDefinitionId: string): Promise<string> {
    try {
      const { body } = await this.api.read(
        {
          operation: 'roles.getRoleDefinition',
          method: 'GET',
          url: `/roleManagement/directory/roleDefinitions/${encodeURIComponent(roleDefinitionId)}`,
        },
        roleDefinitionOnly,
      );
      return body.displayName ?? roleDefinitionId;
    } catch (error) {
      if (isM365Error(error)) return roleDefinitionId;
      throw error;
    }
  }
}
