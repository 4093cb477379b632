/**
 * The catalogue of every Microsoft 365 operation Remediator performs: the HTTP call, the
 * least-privileged application permission (and directory role where Entra ID requires one on
 * top), and what the bot does when it is withheld. Errors use it to say exactly what to grant;
 * docs/PERMISSIONS.md is rendered from it (a test keeps the two in step).
 */

export interface OperationInfo {
  /** What the operation does, in a responder's words ("block sign-in"). */
  description: string;
  /** The HTTP call (Graph v1.0 or the Exchange InvokeCommand cmdlet). */
  call: string;
  /** Least-privileged application permission(s) needed, all of them. */
  permissions: readonly string[];
  /** Directory role the app's service principal must also hold, when Entra ID requires one. */
  directoryRole?: string;
  /** What Remediator does when the permission is withheld (the 403 path). */
  whenWithheld: string;
}

const EXCHANGE_ROLE = 'Exchange Administrator (Entra role on the app), or an Exchange RBAC role group';
const EXCHANGE_PERMISSION = ['Exchange.ManageAsApp'] as const;
const STEP_FAILS = 'The step card shows "failed" with the permission to grant; other steps go on.';

export const OPERATIONS = {
  'users.getUser': {
    description: 'read the user',
    call: 'GET /users/{id|UPN}?$select=id,displayName,userPrincipalName,accountEnabled,onPremisesSyncEnabled,userType,jobTitle,mail,signInSessionsValidFromDateTime',
    permissions: ['User.Read.All'],
    whenWithheld:
      'The incident cannot start: the bot replies that it cannot resolve the user and names User.Read.All.',
  },
  'users.setAccountEnabled': {
    description: 'block or re-enable sign-in',
    call: 'PATCH /users/{id} {"accountEnabled":false|true}',
    permissions: ['User.EnableDisableAccount.All', 'User.Read.All'],
    directoryRole: 'Privileged Authentication Administrator (only when the target holds an admin role)',
    whenWithheld: STEP_FAILS,
  },
  'users.resetPassword': {
    description: 'reset the password',
    call: 'PATCH /users/{id} {"passwordProfile":{"password":"…","forceChangePasswordNextSignIn":true}}',
    permissions: ['User-PasswordProfile.ReadWrite.All'],
    directoryRole:
      'User Administrator (Privileged Authentication Administrator when the target holds an admin role)',
    whenWithheld: `${STEP_FAILS} A Temporary Access Pass can be issued instead.`,
  },
  'users.revokeSignInSessions': {
    description: 'revoke sign-in sessions',
    call: 'POST /users/{id}/revokeSignInSessions',
    permissions: ['User.RevokeSessions.All'],
    whenWithheld: STEP_FAILS,
  },
  'users.checkMemberGroups': {
    description: "check the responder's group membership",
    call: 'POST /users/{id}/checkMemberGroups {"groupIds":[…]}',
    permissions: ['GroupMember.Read.All'],
    whenWithheld: 'Nobody is authorised: the bot refuses every request and names the permission.',
  },
  'users.listGroupMemberships': {
    description: "list the user's groups (group-based admin roles)",
    call: 'GET /users/{id}/memberOf?$select=id,displayName,isAssignableToRole',
    // Microsoft publishes no GroupMember.* application permission narrower than Directory.Read.All for
    // this path (GroupMember.Read.All is delegated-only here); the app holds Directory.Read.All anyway.
    permissions: ['Directory.Read.All'],
    whenWithheld: 'Group-based roles are not listed; the roles card says so and names the permission.',
  },
  'users.addGroupMember': {
    description: 'add the user back to a group (undo)',
    call: 'POST /groups/{groupId}/members/$ref {"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/{id}"}',
    permissions: ['GroupMember.ReadWrite.All', 'RoleManagement.ReadWrite.Directory (role-assignable groups)'],
    whenWithheld: 'Undo fails; the card shows the membership to restore by hand.',
  },
  'users.removeGroupMember': {
    description: 'remove the user from a role-assignable group',
    call: 'DELETE /groups/{groupId}/members/{id}/$ref',
    permissions: ['GroupMember.ReadWrite.All', 'RoleManagement.ReadWrite.Directory (role-assignable groups)'],
    whenWithheld: STEP_FAILS,
  },
  'authMethods.listMethods': {
    description: 'list authentication methods',
    call: 'GET /users/{id}/authentication/methods',
    permissions: ['UserAuthenticationMethod.Read.All'],
    whenWithheld: 'The MFA step shows that methods could not be read and names the permission.',
  },
  'authMethods.deleteMethod': {
    description: 'delete an authentication method',
    call: 'DELETE /users/{id}/authentication/{phoneMethods|microsoftAuthenticatorMethods|fido2Methods|emailMethods|softwareOathMethods|temporaryAccessPassMethods|…}/{methodId}',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    whenWithheld: STEP_FAILS,
  },
  'authMethods.createTemporaryAccessPass': {
    description: 'issue a Temporary Access Pass',
    call: 'POST /users/{id}/authentication/temporaryAccessPassMethods {"lifetimeInMinutes":60,"isUsableOnce":true}',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    whenWithheld: `${STEP_FAILS} A password reset can be used instead.`,
  },
  'mailRules.listInboxRules': {
    description: 'list inbox rules (Graph)',
    call: 'GET /users/{id}/mailFolders/inbox/messageRules (following @odata.nextLink)',
    permissions: ['MailboxSettings.Read'],
    whenWithheld: 'Rules are read through Exchange Get-InboxRule instead (which also sees hidden rules).',
  },
  'mailRules.getInboxRule': {
    description: 'read one inbox rule (verify)',
    call: 'GET /users/{id}/mailFolders/inbox/messageRules/{ruleId}',
    permissions: ['MailboxSettings.Read'],
    whenWithheld: 'Verification fails; the card says the effect could not be confirmed.',
  },
  'mailRules.getMailFolder': {
    description: "resolve a rule's target folder name",
    call: 'GET /users/{id}/mailFolders/{folderId}?$select=id,displayName',
    permissions: ['Mail.ReadBasic.All'],
    whenWithheld: 'The rule is still listed; its target folder is shown by id instead of by name.',
  },
  'mailRules.getWellKnownFolder': {
    description: "identify a rule's target folder in any mailbox language",
    call: 'GET /users/{id}/mailFolders/{wellKnownName}?$select=id,displayName,parentFolderId',
    permissions: ['Mail.ReadBasic.All'],
    whenWithheld: 'Target folders are judged by their names only.',
  },
  'mailRules.listTenantDomains': {
    description: "read the tenant's accepted domains (inside or outside)",
    call: 'GET /domains?$select=id,isVerified,supportedServices',
    permissions: ['Domain.Read.All'],
    whenWithheld: "Only the user's own mail domain counts as inside the tenant.",
  },
  'mailRules.disableInboxRule': {
    description: 'disable an inbox rule',
    call: 'PATCH /users/{id}/mailFolders/inbox/messageRules/{ruleId} {"isEnabled":false}',
    permissions: ['MailboxSettings.ReadWrite'],
    whenWithheld: STEP_FAILS,
  },
  'mailRules.deleteInboxRule': {
    description: 'delete an inbox rule',
    call: 'DELETE /users/{id}/mailFolders/inbox/messageRules/{ruleId}',
    permissions: ['MailboxSettings.ReadWrite'],
    whenWithheld: STEP_FAILS,
  },
  'roles.listActiveAssignments': {
    description: "list the user's active directory roles",
    call: "GET /roleManagement/directory/roleAssignments?$filter=principalId eq '{id}'&$expand=roleDefinition",
    permissions: ['RoleManagement.Read.Directory'],
    whenWithheld: 'The roles step shows that roles could not be read and names the permission.',
  },
  'roles.listAssignmentsForRole': {
    description: 'list holders of a role (last Global Administrator check)',
    call: "GET /roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{roleId}'&$expand=roleDefinition",
    permissions: ['RoleManagement.Read.Directory'],
    whenWithheld: 'Removing Global Administrator is refused (the last-GA guard cannot be checked).',
  },
  'roles.getRoleDefinition': {
    description: 'read a role definition (name of a re-created role)',
    call: 'GET /roleManagement/directory/roleDefinitions/{roleDefinitionId}',
    permissions: ['RoleManagement.Read.Directory'],
    whenWithheld: 'The role is shown by its id instead of its name.',
  },
  'roles.removeActiveAssignment': {
    description: 'remove an active directory role',
    call: 'DELETE /roleManagement/directory/roleAssignments/{assignmentId}',
    permissions: ['RoleManagement.ReadWrite.Directory'],
    whenWithheld: STEP_FAILS,
  },
  'roles.createActiveAssignment': {
    description: 'restore an active directory role (undo)',
    call: 'POST /roleManagement/directory/roleAssignments {"principalId","roleDefinitionId","directoryScopeId"}',
    permissions: ['RoleManagement.ReadWrite.Directory'],
    whenWithheld: 'Undo fails; the card shows the role to restore by hand.',
  },
  'roles.listEligibilities': {
    description: "list the user's PIM-eligible roles",
    call: "GET /roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '{id}'&$expand=roleDefinition",
    permissions: ['RoleEligibilitySchedule.Read.Directory'],
    whenWithheld: 'Eligible roles are not listed; the roles card says so and names the permission.',
  },
  'roles.removeEligibility': {
    description: 'remove a PIM-eligible role',
    call: 'POST /roleManagement/directory/roleEligibilityScheduleRequests {"action":"adminRemove",…}',
    permissions: ['RoleEligibilitySchedule.ReadWrite.Directory'],
    whenWithheld: STEP_FAILS,
  },
  'roles.createEligibility': {
    description: 'restore a PIM-eligible role (undo)',
    call: 'POST /roleManagement/directory/roleEligibilityScheduleRequests {"action":"adminAssign",…}',
    permissions: ['RoleEligibilitySchedule.ReadWrite.Directory'],
    whenWithheld: 'Undo fails; the card shows the eligibility to restore by hand.',
  },
  'consents.listPermissionGrants': {
    description: "list the user's delegated app consents",
    call: "GET /oauth2PermissionGrants?$filter=principalId eq '{id}'",
    permissions: ['Directory.Read.All'],
    whenWithheld: 'The consents step shows that grants could not be read and names the permission.',
  },
  'consents.getServicePrincipal': {
    description: 'resolve the app behind a consent (name, verified publisher)',
    call: 'GET /servicePrincipals/{id}?$select=id,appId,displayName,verifiedPublisher',
    permissions: ['Application.Read.All'],
    whenWithheld: 'Grants are still listed; apps are shown by id and the publisher as unknown.',
  },
  'consents.deletePermissionGrant': {
    description: 'revoke a delegated app consent',
    call: 'DELETE /oauth2PermissionGrants/{grantId}',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    whenWithheld: STEP_FAILS,
  },
  'consents.createPermissionGrant': {
    description: 'restore a delegated app consent (undo)',
    call: 'POST /oauth2PermissionGrants {"clientId","consentType","principalId","resourceId","scope"}',
    permissions: ['DelegatedPermissionGrant.ReadWrite.All'],
    whenWithheld: 'Undo fails; the card shows the consent to restore by hand.',
  },
  'consents.listAppRoleAssignments': {
    description: "list the user's app role assignments",
    call: 'GET /users/{id}/appRoleAssignments',
    permissions: ['Directory.Read.All'],
    whenWithheld: 'App role assignments are not listed; the card names the permission.',
  },
  'consents.deleteAppRoleAssignment': {
    description: 'remove an app role assignment',
    call: 'DELETE /users/{id}/appRoleAssignments/{assignmentId}',
    permissions: ['AppRoleAssignment.ReadWrite.All'],
    whenWithheld: STEP_FAILS,
  },
  'identityProtection.confirmCompromised': {
    description: 'confirm the user compromised in Identity Protection',
    call: 'POST /identityProtection/riskyUsers/confirmCompromised {"userIds":[…]}',
    permissions: ['IdentityRiskyUser.ReadWrite.All'],
    whenWithheld: `${STEP_FAILS} Also needs Microsoft Entra ID P2.`,
  },
  'identityProtection.getRiskyUser': {
    description: "read the user's risk state",
    call: 'GET /identityProtection/riskyUsers/{id}',
    permissions: ['IdentityRiskyUser.Read.All'],
    whenWithheld: 'The risk state is shown as unknown; needs Microsoft Entra ID P2.',
  },
  'identityProtection.listRiskyUsers': {
    description: 'read the risk state of many users at once (mass incidents)',
    call: 'GET /identityProtection/riskyUsers (following @odata.nextLink)',
    permissions: ['IdentityRiskyUser.Read.All'],
    whenWithheld: 'Risk states are shown as unknown; needs Microsoft Entra ID P2.',
  },
  'signIns.listRecentSignIns': {
    description: 'read recent sign-ins (evidence)',
    call: "GET /auditLogs/signIns?$filter=userId eq '{id}'&$top=N",
    permissions: ['AuditLog.Read.All'],
    whenWithheld: 'The evidence card says sign-ins could not be read (also needs Microsoft Entra ID P1/P2).',
  },
  'teamsApps.installForUser': {
    description:
      "install Remediator as the approver's personal app (so a credential can reach their 1:1 chat)",
    call: 'POST /users/{id}/teamwork/installedApps {"teamsApp@odata.bind":"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{catalogAppId}"}',
    permissions: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    whenWithheld:
      'A new password or Temporary Access Pass is refused (nothing is reset) until the approver adds Remediator in Teams; the card says so.',
  },
  'exchange.getMailbox': {
    description: 'read mailbox forwarding and send-on-behalf delegates',
    call: 'POST /adminapi/beta/{tenantId}/InvokeCommand Get-Mailbox -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Forwarding and delegates cannot be read (Graph has no API for them); the cards say so.',
  },
  'exchange.setMailbox': {
    description: 'remove mailbox forwarding or change send-on-behalf delegates',
    call: 'InvokeCommand Set-Mailbox -Identity -ForwardingSmtpAddress $null -ForwardingAddress $null -DeliverToMailboxAndForward $false | -GrantSendOnBehalfTo',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.getInboxRule': {
    description: 'list inbox rules including hidden ones',
    call: 'InvokeCommand Get-InboxRule -Mailbox [-IncludeHidden]',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Rules are read through Graph instead, which cannot see hidden rules; the card warns.',
  },
  'exchange.disableInboxRule': {
    description: 'disable an inbox rule (also hidden ones)',
    call: 'InvokeCommand Disable-InboxRule -Mailbox -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.enableInboxRule': {
    description: 're-enable an inbox rule (undo)',
    call: 'InvokeCommand Enable-InboxRule -Mailbox -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Undo fails; the card shows the rule to re-enable by hand.',
  },
  'exchange.removeInboxRule': {
    description: 'delete an inbox rule (also hidden ones)',
    call: 'InvokeCommand Remove-InboxRule -Mailbox -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.newInboxRule': {
    description: 're-create a deleted inbox rule (undo)',
    call: 'InvokeCommand New-InboxRule -Mailbox -Name …',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Undo fails; the card shows the saved rule to re-create by hand.',
  },
  'exchange.searchUnifiedAuditLog': {
    description: 'read when inbox rules were created or changed (audit log)',
    call: 'InvokeCommand Search-UnifiedAuditLog -StartDate -EndDate -UserIds -Operations New-InboxRule,Set-InboxRule',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: `${EXCHANGE_ROLE} holding the View-Only Audit Logs role`,
    whenWithheld: 'Rules are scored without their creation time; nothing else changes.',
  },
  'exchange.getBlockedSenderAddress': {
    description: 'list users blocked from sending',
    call: 'InvokeCommand Get-BlockedSenderAddress [-SenderAddress]',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'The unblock step says the restricted-users list could not be read.',
  },
  'exchange.removeBlockedSenderAddress': {
    description: 'unblock the user from sending',
    call: 'InvokeCommand Remove-BlockedSenderAddress -SenderAddress',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.getMailboxPermission': {
    description: 'list FullAccess delegates',
    call: 'InvokeCommand Get-MailboxPermission -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'The delegates card says FullAccess could not be read.',
  },
  'exchange.getRecipientPermission': {
    description: 'list SendAs delegates',
    call: 'InvokeCommand Get-RecipientPermission -Identity',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'The delegates card says SendAs could not be read.',
  },
  'exchange.removeMailboxPermission': {
    description: 'remove a FullAccess delegate',
    call: 'InvokeCommand Remove-MailboxPermission -Identity -User -AccessRights FullAccess',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.addMailboxPermission': {
    description: 'restore a FullAccess delegate (undo)',
    call: 'InvokeCommand Add-MailboxPermission -Identity -User -AccessRights FullAccess',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Undo fails; the card shows the delegate to restore by hand.',
  },
  'exchange.removeRecipientPermission': {
    description: 'remove a SendAs delegate',
    call: 'InvokeCommand Remove-RecipientPermission -Identity -Trustee -AccessRights SendAs',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: STEP_FAILS,
  },
  'exchange.addRecipientPermission': {
    description: 'restore a SendAs delegate (undo)',
    call: 'InvokeCommand Add-RecipientPermission -Identity -Trustee -AccessRights SendAs',
    permissions: EXCHANGE_PERMISSION,
    directoryRole: EXCHANGE_ROLE,
    whenWithheld: 'Undo fails; the card shows the delegate to restore by hand.',
  },
} as const satisfies Record<string, OperationInfo>;

export type OperationName = keyof typeof OPERATIONS;

export function describeOperation(operation: OperationName): OperationInfo {
  return OPERATIONS[operation];
}

/** What to grant, in one sentence: "application permission X (admin consent) and directory role Y". */
export function requiredAccess(operation: OperationName): string {
  const info: OperationInfo = OPERATIONS[operation];
  const permissions = info.permissions.join(' + ');
  const role = info.directoryRole ? ` and the directory role ${info.directoryRole}` : '';
  return `application permission ${permissions} (with admin consent)${role}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown table of docs/PERMISSIONS.md. */
export function renderPermissionsTable(): string {
  const header = [
    '| operation | HTTP call | least-privileged application permission (+ directory role) | when withheld |',
    '|---|---|---|---|',
  ];
  const rows = (Object.keys(OPERATIONS) as OperationName[]).map((name) => {
    const info: OperationInfo = OPERATIONS[name];
    const access =
      info.permissions.join(' + ') + (info.directoryRole ? ` + role: ${info.directoryRole}` : '');
    return `| \`${name}\` ${escapeCell(info.description)} | \`${escapeCell(info.call)}\` | ${escapeCell(access)} | ${escapeCell(info.whenWithheld)} |`;
  });
  return [...header, ...rows].join('\n');
}
