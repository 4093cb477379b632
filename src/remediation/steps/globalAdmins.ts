import type { RoleAssignment } from '../../m365/types';
import { m365Code } from '../errors';
import { STEP_IDS, refusal } from '../contract';
import { english } from '../../i18n/findings';
import { message } from '../../i18n/message';
import type { Message } from '../../i18n/message';
import type { StepContext } from './types';

/** Built-in role ids equal their template ids in Entra. */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Global Administrators other than `excludedIds` who can actually sign in: user principals whose
 * account is enabled and who are not being contained. An assignment to a disabled account is not
 * an administrator anyone can use. Group assignments are not counted: their members (and whether
 * those can sign in) are not read here, so counting them could leave nobody.
 */
export async function usableGlobalAdministrators(
  ctx: StepContext,
  excludedIds: readonly string[],
  contained: ReadonlySet<string> = new Set(),
  known?: readonly RoleAssignment[],
): Promise<string[]> {
  const excluded = new Set(excludedIds.map((id) => id.toLowerCase()));
  const assignments =
    known ?? (await ctx.services.roles.listAssignmentsForRole(GLOBAL_ADMINISTRATOR_ROLE_ID));
  const principals = [
    ...new Set(assignments.map((assignment) => assignment.principalId.toLowerCase())),
  ].filter((id) => !excluded.has(id) && !contained.has(id));
  const usable = await Promise.all(
    principals.map(async (id) => {
      try {
        return (await ctx.services.users.getUser(id)).accountEnabled ? id : undefined;
      } catch (error) {
        // Not a user (a role-assignable group) or gone: not an administrator who can sign in.
        if (m365Code(error) === 'NotFound') return undefined;
        throw error;
      }
    }),
  );
  return usable.filter((id): id is string => id !== undefined);
}

/** Whether the target holds Global Administrator, directly or through one of its role-assignable groups. */
export function holdsGlobalAdministrator(
  targetId: string,
  assignments: readonly RoleAssignment[],
  roleGroupIds: readonly string[],
): boolean {
  const principals = new Set([targetId, ...roleGroupIds].map((id) => id.toLowerCase()));
  return assignments.some((assignment) => principals.has(assignment.principalId.toLowerCase()));
}

/** The target's role-assignable groups (their role assignments apply to the target). */
export async function roleGroupsOf(ctx: StepContext): Promise<string[]> {
  const memberships = await ctx.services.users.listGroupMemberships(ctx.target.id);
  return memberships.filter((group) => group.isAssignableToRole).map((group) => group.groupId);
}

/** A step's title as data (callers name the step by its English title). */
function titleMessage(stepTitle: string): Message | string {
  const id = STEP_IDS.find((step) => english(message(`steps.${step}.title`)) === stepTitle);
  return id === undefined ? stepTitle : message(`steps.${id}.title`);
}

/**
 * Refuses a step that would leave the tenant without a Global Administrator who can sign in:
 * blocking, resetting or signing out the last one. Reads everything afresh.
 */
export async function assertNotLastUsableGlobalAdministrator(
  ctx: StepContext,
  stepTitle: string,
  contained: ReadonlySet<string> = new Set(),
): Promise<void> {
  const [assignments, roleGroupIds] = await Promise.all([
    ctx.services.roles.listAssignmentsForRole(GLOBAL_ADMINISTRATOR_ROLE_ID),
    roleGroupsOf(ctx),
  ]);
  if (!holdsGlobalAdministrator(ctx.target.id, assignments, roleGroupIds)) return;
  const others = await usableGlobalAdministrators(
    ctx,
    [ctx.target.id, ...roleGroupIds],
    contained,
    assignments,
  );
  if (others.length > 0) return;
  throw refusal(
    'LastGlobalAdministrator',
    message('refusal.lastGlobalAdminLockout', {
      step: titleMessage(stepTitle),
      name: ctx.target.displayName,
    }),
  );
}
