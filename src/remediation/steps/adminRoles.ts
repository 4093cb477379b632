import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { GroupMembership, RoleAssignment, RoleEligibility } from '../../m365/types';
import { refusal } from '../contract';
import type { Finding } from '../contract';
import type { ActionRecord } from '../storage';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, usableGlobalAdministrators } from './globalAdmins';
import { groupMembershipSchema, roleAssignmentSchema, toJson } from './payloads';
import type { StepContext, StepModule } from './types';

export { GLOBAL_ADMINISTRATOR_ROLE_ID } from './globalAdmins';

const JUSTIFICATION = 'Remediator: account compromised, roles removed until the account is trusted again.';
const RESTORE_JUSTIFICATION = 'Remediator: undo of a compromised-account remediation.';

function payloadRecord(action: ActionRecord): Record<string, unknown> {
  const payload = action.payload;
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
}

/**
 * Whether removing the target's Global Administrator assignments would leave no Global
 * Administrator who can sign in: assignments to disabled accounts and to groups do not count.
 */
async function isLastGlobalAdministrator(ctx: StepContext, targetGroupIds: string[]): Promise<boolean> {
  return (await usableGlobalAdministrators(ctx, [ctx.target.id, ...targetGroupIds])).length === 0;
}

/** The role definitions an action removes (an assignment, an eligibility, or a group's roles). */
function removedRoles(action: ActionRecord): string[] {
  const payload = payloadRecord(action);
  const one = roleAssignmentSchema.safeParse(payload.assignment ?? payload.eligibility);
  if (one.success) return [one.data.roleDefinitionId];
  const roles = roleAssignmentSchema.array().safeParse(payload.roles);
  return roles.success ? roles.data.map((role) => role.roleDefinitionId) : [];
}

/** Step 7: active, PIM-eligible and group-based directory roles; removed now, restorable later. */
export const adminRoles: StepModule = {
  id: 'admin-roles',
  ...stepTexts('admin-roles'),
  undoable: true,
  // Global Administrator removals are serialized by the engine (last-GA check, then write).
  concurrentActions: true,
  needsAdminLock: (action) => removedRoles(action).includes(GLOBAL_ADMINISTRATOR_ROLE_ID),

  async discover(ctx) {
    const [active, eligible, memberships] = await Promise.all([
      ctx.services.roles.listActiveAssignments(ctx.target.id),
      ctx.services.roles.listEligibilities(ctx.target.id),
      ctx.services.users.listGroupMemberships(ctx.target.id),
    ]);
    const roleGroups = memberships.filter((group) => group.isAssignableToRole);
    const groupRoles = await Promise.all(
      roleGroups.map(async (group) => ({
        group,
        roles: await ctx.services.roles.listActiveAssignments(group.groupId),
      })),
    );
    const holdsGlobalAdmin =
      active.some((role) => role.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID) ||
      groupRoles.some(({ roles }) =>
        roles.some((role) => role.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID),
      );
    const lastGlobalAdmin =
      holdsGlobalAdmin &&
      (await isLastGlobalAdministrator(
        ctx,
        roleGroups.map((group) => group.groupId),
      ));
    const keptReason = message('adminRoles.kept', { name: ctx.target.displayName });

    const findings: Finding[] = [];
    const candidates: ActionRecord[] = [];
    active.forEach((role: RoleAssignment, index) => {
      const findingId = `active-${index + 1}`;
      const isGa = role.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID;
      const kept = isGa && lastGlobalAdmin;
      findings.push(
        finding(
          { id: findingId, suspicion: 'high', selectedByDefault: !kept },
          message('adminRoles.findingActive', { role: role.roleName }),
          [
            message('adminRoles.reasonActive', { role: role.roleName, scope: role.directoryScopeId }),
            ...(kept ? [keptReason] : []),
          ],
        ),
      );
      if (!kept) {
        candidates.push({
          id: `remove-${findingId}`,
          findingId,
          kind: 'remove-active-role',
          ...described(message('adminRoles.actionActive', { role: role.roleName })),
          payload: { assignment: toJson(role) },
        });
      }
    });
    eligible.forEach((role: RoleEligibility, index) => {
      const findingId = `eligible-${index + 1}`;
      findings.push(
        finding(
          { id: findingId, suspicion: 'high', selectedByDefault: true },
          message('adminRoles.findingEligible', { role: role.roleName }),
          [message('adminRoles.reasonEligible', { role: role.roleName })],
        ),
      );
      candidates.push({
        id: `remove-${findingId}`,
        findingId,
        kind: 'remove-eligible-role',
        ...described(message('adminRoles.actionEligible', { role: role.roleName })),
        payload: { eligibility: toJson(role) },
      });
    });
    groupRoles.forEach(({ group, roles }: { group: GroupMembership; roles: RoleAssignment[] }, index) => {
      const findingId = `group-${index + 1}`;
      const holdsGa = roles.some((role) => role.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID);
      const kept = holdsGa && lastGlobalAdmin;
      const roleNames = roles.map((role) => role.roleName);
      findings.push(
        finding(
          {
            id: findingId,
            suspicion: roleNames.length > 0 ? 'high' : 'low',
            selectedByDefault: roleNames.length > 0 && !kept,
          },
          message('adminRoles.findingGroup', { group: group.displayName }),
          [
            roleNames.length > 0
              ? message('adminRoles.reasonGroupRoles', { roles: roleNames, group: group.displayName })
              : message('adminRoles.reasonGroupEmpty', { group: group.displayName }),
            ...(kept ? [keptReason] : []),
          ],
        ),
      );
      if (!kept) {
        candidates.push({
          id: `remove-${findingId}`,
          findingId,
          kind: 'remove-group-membership',
          ...described(
            message('adminRoles.actionGroup', {
              name: ctx.target.displayName,
              group: group.displayName,
              roles: roleNames,
            }),
          ),
          payload: { group: toJson(group), roles: toJson(roles) },
        });
      }
    });
    return { findings, candidates };
  },

  plan(candidates, findings, selection) {
    const chosen = new Set(selection);
    const refused = findings.find(
      (finding) =>
        chosen.has(finding.id) && !candidates.some((candidate) => candidate.findingId === finding.id),
    );
    if (refused && isKept(refused)) {
      throw refusal('LastGlobalAdministrator', message('refusal.lastGlobalAdminRole'));
    }
    return candidates.filter(
      (candidate) => candidate.findingId !== undefined && chosen.has(candidate.findingId),
    );
  },

  async execute(ctx, action) {
    const payload = payloadRecord(action);
    if (action.kind === 'remove-active-role') {
      const assignment = roleAssignmentSchema.parse(payload.assignment);
      if (assignment.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID) await refuseLastGlobalAdmin(ctx);
      const result = await ctx.services.roles.removeActiveAssignment(assignment.id);
      return { requestIds: [result.requestId] };
    }
    if (action.kind === 'remove-eligible-role') {
      const eligibility = roleAssignmentSchema.parse(payload.eligibility);
      const result = await ctx.services.roles.removeEligibility(eligibility, JUSTIFICATION);
      return { requestIds: [result.requestId] };
    }
    const group = groupMembershipSchema.parse(payload.group);
    const roles = roleAssignmentSchema.array().parse(payload.roles);
    if (roles.some((role) => role.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID))
      await refuseLastGlobalAdmin(ctx);
    const result = await ctx.services.users.removeGroupMember(group.groupId, ctx.target.id);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    return (await holds(ctx, action)) ? 'missing' : 'applied';
  },

  async undo(ctx, action) {
    const payload = payloadRecord(action);
    if (action.kind === 'remove-active-role') {
      const assignment = roleAssignmentSchema.parse(payload.assignment);
      const result = await ctx.services.roles.createActiveAssignment({
        principalId: ctx.target.id,
        roleDefinitionId: assignment.roleDefinitionId,
        directoryScopeId: assignment.directoryScopeId,
      });
      return { requestIds: [result.requestId] };
    }
    if (action.kind === 'remove-eligible-role') {
      const eligibility = roleAssignmentSchema.parse(payload.eligibility);
      const result = await ctx.services.roles.createEligibility(
        {
          principalId: ctx.target.id,
          roleDefinitionId: eligibility.roleDefinitionId,
          directoryScopeId: eligibility.directoryScopeId,
        },
        RESTORE_JUSTIFICATION,
      );
      return { requestIds: [result.requestId] };
    }
    const group = groupMembershipSchema.parse(payload.group);
    const result = await ctx.services.users.addGroupMember(group.groupId, ctx.target.id);
    return { requestIds: [result.requestId] };
  },

  async verifyUndo(ctx, action) {
    return (await holds(ctx, action)) ? 'applied' : 'missing';
  },
};

async function refuseLastGlobalAdmin(ctx: StepContext): Promise<void> {
  const memberships = await ctx.services.users.listGroupMemberships(ctx.target.id);
  const groupIds = memberships.filter((group) => group.isAssignableToRole).map((group) => group.groupId);
  if (await isLastGlobalAdministrator(ctx, groupIds)) {
    throw refusal('LastGlobalAdministrator', message('refusal.lastGlobalAdminRole'));
  }
}

/** A finding kept because it is the last Global Administrator (records from before messages say "kept:"). */
function isKept(candidate: Finding): boolean {
  return (
    (candidate.reasonMessages ?? []).some((reason) => reason.code === 'adminRoles.kept') ||
    candidate.reasons.some((reason) => reason.startsWith('kept:'))
  );
}

/** Whether the target still holds what the action removes (same role and scope, or group membership). */
async function holds(ctx: StepContext, action: ActionRecord): Promise<boolean> {
  const payload = payloadRecord(action);
  if (action.kind === 'remove-active-role') {
    const assignment = roleAssignmentSchema.parse(payload.assignment);
    const current = await ctx.services.roles.listActiveAssignments(ctx.target.id);
    return current.some(
      (role) =>
        role.roleDefinitionId === assignment.roleDefinitionId &&
        role.directoryScopeId === assignment.directoryScopeId,
    );
  }
  if (action.kind === 'remove-eligible-role') {
    const eligibility = roleAssignmentSchema.parse(payload.eligibility);
    const current = await ctx.services.roles.listEligibilities(ctx.target.id);
    return current.some(
      (role) =>
        role.roleDefinitionId === eligibility.roleDefinitionId &&
        role.directoryScopeId === eligibility.directoryScopeId,
    );
  }
  const group = groupMembershipSchema.parse(payload.group);
  const memberships = await ctx.services.users.listGroupMemberships(ctx.target.id);
  return memberships.some((membership) => membership.groupId === group.groupId);
}
