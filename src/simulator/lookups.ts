import type { SimMailbox, SimUser, TenantState } from './fixture';
import { notFoundError } from './http';

/** Graph resolves users by object id or UPN, case-insensitively. */
export function findUser(state: TenantState, idOrUpn: string): SimUser | undefined {
  const key = idOrUpn.toLowerCase();
  return state.users.find(
    (user) => user.id.toLowerCase() === key || user.userPrincipalName.toLowerCase() === key,
  );
}

export function requireUser(state: TenantState, idOrUpn: string): SimUser {
  const user = findUser(state, idOrUpn);
  if (!user) throw notFoundError(idOrUpn);
  return user;
}

export function aliasOf(state: TenantState, mailbox: SimMailbox): string {
  const user = state.users.find((candidate) => candidate.id === mailbox.userId);
  return (
    mailbox.alias ?? user?.userPrincipalName.split('@')[0] ?? mailbox.primarySmtpAddress.split('@')[0] ?? ''
  );
}

export function upnOf(state: TenantState, mailbox: SimMailbox): string {
  return (
    state.users.find((candidate) => candidate.id === mailbox.userId)?.userPrincipalName ??
    mailbox.primarySmtpAddress
  );
}

/** Exchange resolves -Identity by UPN, SMTP address, alias, display name or object id. */
export function findMailbox(state: TenantState, identity: string): SimMailbox | undefined {
  const key = identity
    .trim()
    .toLowerCase()
    .replace(/^smtp:/, '');
  return state.mailboxes.find((mailbox) => {
    const user = state.users.find((candidate) => candidate.id === mailbox.userId);
    return [
      mailbox.userId,
      mailbox.primarySmtpAddress,
      aliasOf(state, mailbox),
      user?.userPrincipalName,
      user?.displayName,
    ].some((candidate) => candidate?.toLowerCase() === key);
  });
}

export function groupIdsOf(state: TenantState, userId: string): string[] {
  return state.groups.filter((group) => group.members.includes(userId)).map((group) => group.id);
}

/** Active directory roles of a user, directly or through role-assignable groups. */
export function activeRoleNamesOf(state: TenantState, userId: string): string[] {
  const principals = new Set([userId, ...groupIdsOf(state, userId)]);
  return state.roleAssignments
    .filter((assignment) => principals.has(assignment.principalId))
    .map(
      (assignment) =>
        state.roleDefinitions.find((definition) => definition.id === assignment.roleDefinitionId)
          ?.displayName ?? assignment.roleDefinitionId,
    );
}

export function appHoldsAnyRole(state: TenantState, roleNames: string[]): boolean {
  const held = new Set(state.app.directoryRoles.map((name) => name.toLowerCase()));
  return roleNames.some((name) => held.has(name.toLowerCase()));
}
