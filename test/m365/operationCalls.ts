import type { M365ServiceLayer, OperationName } from '../../src/m365';
import { ids, MEGAN } from './support';

/** The app's id in the simulated tenant's Teams app catalog (the fixture's default). */
const SIMULATED_TEAMS_APP_CATALOG_ID = '5c3a9a0e-7f1d-4b52-9a43-2f6c1d8e7b10';

const eligibility = {
  id: 'x',
  principalId: ids.megan,
  roleDefinitionId: ids.securityReader,
  roleName: 'Security Reader',
  directoryScopeId: '/',
};
const grant = {
  clientId: ids.mailSyncPro,
  resourceId: ids.graphResource,
  consentType: 'Principal' as const,
  principalId: ids.megan,
  scope: 'Mail.ReadWrite',
};
const rule = {
  name: 'restored',
  enabled: true,
  priority: 1,
  conditions: {
    subjectContains: ['x'],
    bodyContains: [],
    subjectOrBodyContains: [],
    fromAddresses: [],
    senderContains: [],
  },
  actions: {
    forwardTo: [],
    redirectTo: [],
    forwardAsAttachmentTo: [],
    delete: false,
    permanentDelete: false,
    markAsRead: true,
    stopProcessingRules: false,
  },
};

/**
 * One call of the service layer for every operation in the catalogue, with the permission whose
 * absence it must name. Shared by the permission-denied tests and the Graph contract test.
 */
export const operationCalls: Array<[OperationName, string, (s: M365ServiceLayer) => Promise<unknown>]> = [
  ['users.getUser', 'User.Read.All', (s) => s.users.getUser(ids.megan)],
  [
    'users.setAccountEnabled',
    'User.EnableDisableAccount.All',
    (s) => s.users.setAccountEnabled(ids.megan, false),
  ],
  [
    'users.resetPassword',
    'User-PasswordProfile.ReadWrite.All',
    (s) => s.users.resetPassword(ids.megan, 'Kx9!mq2#Lw7$Zp4v', true),
  ],
  ['users.revokeSignInSessions', 'User.RevokeSessions.All', (s) => s.users.revokeSignInSessions(ids.megan)],
  [
    'users.checkMemberGroups',
    'GroupMember.Read.All',
    (s) => s.users.checkMemberGroups(ids.alex, [ids.socResponders]),
  ],
  ['users.listGroupMemberships', 'Directory.Read.All', (s) => s.users.listGroupMemberships(ids.megan)],
  [
    'users.addGroupMember',
    'GroupMember.ReadWrite.All',
    (s) => s.users.addGroupMember(ids.socResponders, ids.megan),
  ],
  [
    'users.removeGroupMember',
    'GroupMember.ReadWrite.All',
    (s) => s.users.removeGroupMember(ids.helpdeskAdmins, ids.megan),
  ],
  [
    'authMethods.listMethods',
    'UserAuthenticationMethod.Read.All',
    (s) => s.authMethods.listMethods(ids.megan),
  ],
  [
    'authMethods.deleteMethod',
    'UserAuthenticationMethod.ReadWrite.All',
    (s) =>
      s.authMethods.deleteMethod(ids.megan, { id: '3179e48a-750b-4051-897c-87b9720928f7', kind: 'phone' }),
  ],
  [
    'authMethods.createTemporaryAccessPass',
    'UserAuthenticationMethod.ReadWrite.All',
    (s) => s.authMethods.createTemporaryAccessPass(ids.megan, { lifetimeInMinutes: 60, isUsableOnce: true }),
  ],
  ['mailRules.listInboxRules', 'MailboxSettings.Read', (s) => s.mailRules.listInboxRules(ids.megan)],
  [
    'mailRules.getInboxRule',
    'MailboxSettings.Read',
    (s) => s.mailRules.getInboxRule(ids.megan, 'AQAAAAAAAAA='),
  ],
  ['mailRules.getWellKnownFolder', 'Mail.ReadBasic.All', (s) => s.mailRules.listWellKnownFolders(ids.megan)],
  ['mailRules.listTenantDomains', 'Domain.Read.All', (s) => s.mailRules.listTenantDomains()],
  [
    'mailRules.disableInboxRule',
    'MailboxSettings.ReadWrite',
    (s) => s.mailRules.disableInboxRule(ids.megan, 'AQAAAAAAAAA='),
  ],
  [
    'mailRules.deleteInboxRule',
    'MailboxSettings.ReadWrite',
    (s) => s.mailRules.deleteInboxRule(ids.megan, 'AQAAAAAAAAA='),
  ],
  [
    'roles.listActiveAssignments',
    'RoleManagement.Read.Directory',
    (s) => s.roles.listActiveAssignments(ids.megan),
  ],
  [
    'roles.listAssignmentsForRole',
    'RoleManagement.Read.Directory',
    (s) => s.roles.listAssignmentsForRole(ids.globalAdministrator),
  ],
  [
    'roles.removeActiveAssignment',
    'RoleManagement.ReadWrite.Directory',
    (s) => s.roles.removeActiveAssignment('any'),
  ],
  [
    'roles.createActiveAssignment',
    'RoleManagement.ReadWrite.Directory',
    (s) => s.roles.createActiveAssignment(eligibility),
  ],
  [
    'roles.listEligibilities',
    'RoleEligibilitySchedule.Read.Directory',
    (s) => s.roles.listEligibilities(ids.megan),
  ],
  [
    'roles.removeEligibility',
    'RoleEligibilitySchedule.ReadWrite.Directory',
    (s) => s.roles.removeEligibility(eligibility, 'test'),
  ],
  [
    'roles.createEligibility',
    'RoleEligibilitySchedule.ReadWrite.Directory',
    (s) => s.roles.createEligibility(eligibility, 'test'),
  ],
  ['consents.listPermissionGrants', 'Directory.Read.All', (s) => s.consents.listPermissionGrants(ids.megan)],
  [
    'consents.deletePermissionGrant',
    'DelegatedPermissionGrant.ReadWrite.All',
    (s) => s.consents.deletePermissionGrant('any'),
  ],
  [
    'consents.createPermissionGrant',
    'DelegatedPermissionGrant.ReadWrite.All',
    (s) => s.consents.createPermissionGrant(grant),
  ],
  [
    'consents.listAppRoleAssignments',
    'Directory.Read.All',
    (s) => s.consents.listAppRoleAssignments(ids.megan),
  ],
  [
    'consents.deleteAppRoleAssignment',
    'AppRoleAssignment.ReadWrite.All',
    (s) => s.consents.deleteAppRoleAssignment(ids.megan, 'any'),
  ],
  [
    'identityProtection.confirmCompromised',
    'IdentityRiskyUser.ReadWrite.All',
    (s) => s.identityProtection.confirmCompromised([ids.megan]),
  ],
  [
    'identityProtection.getRiskyUser',
    'IdentityRiskyUser.Read.All',
    (s) => s.identityProtection.getRiskyUser(ids.megan),
  ],
  [
    'identityProtection.listRiskyUsers',
    'IdentityRiskyUser.Read.All',
    // Reads for several users in one tick become one read of the collection.
    (s) =>
      Promise.all([
        s.identityProtection.getRiskyUser(ids.megan),
        s.identityProtection.getRiskyUser(ids.adele),
      ]),
  ],
  ['signIns.listRecentSignIns', 'AuditLog.Read.All', (s) => s.signIns.listRecentSignIns(ids.megan, 10)],
  [
    'teamsApps.installForUser',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    (s) => s.teamsApps.installForUser(ids.adele, SIMULATED_TEAMS_APP_CATALOG_ID),
  ],
  ['exchange.getMailbox', 'Exchange.ManageAsApp', (s) => s.exchange.getMailbox(MEGAN)],
  [
    'exchange.setMailbox',
    'Exchange.ManageAsApp',
    (s) =>
      s.exchange.setForwarding(MEGAN, {
        forwardingSmtpAddress: null,
        forwardingAddress: null,
        deliverToMailboxAndForward: false,
      }),
  ],
  [
    'exchange.getInboxRule',
    'Exchange.ManageAsApp',
    (s) => s.exchange.listInboxRules(MEGAN, { includeHidden: true }),
  ],
  ['exchange.disableInboxRule', 'Exchange.ManageAsApp', (s) => s.exchange.disableInboxRule(MEGAN, '1')],
  ['exchange.enableInboxRule', 'Exchange.ManageAsApp', (s) => s.exchange.enableInboxRule(MEGAN, '1')],
  ['exchange.removeInboxRule', 'Exchange.ManageAsApp', (s) => s.exchange.removeInboxRule(MEGAN, '1')],
  ['exchange.newInboxRule', 'Exchange.ManageAsApp', (s) => s.exchange.createInboxRule(MEGAN, rule)],
  [
    'exchange.searchUnifiedAuditLog',
    'Exchange.ManageAsApp',
    (s) =>
      s.exchange.listInboxRuleChanges(MEGAN, { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }),
  ],
  ['exchange.getBlockedSenderAddress', 'Exchange.ManageAsApp', (s) => s.exchange.listBlockedSenders()],
  [
    'exchange.removeBlockedSenderAddress',
    'Exchange.ManageAsApp',
    (s) => s.exchange.removeBlockedSender(MEGAN),
  ],
  ['exchange.getMailboxPermission', 'Exchange.ManageAsApp', (s) => s.exchange.listDelegates(MEGAN)],
  [
    'exchange.removeMailboxPermission',
    'Exchange.ManageAsApp',
    (s) =>
      s.exchange.removeDelegate({ mailbox: MEGAN, trustee: 'svc-sync@contoso.com', right: 'FullAccess' }),
  ],
  [
    'exchange.addRecipientPermission',
    'Exchange.ManageAsApp',
    (s) => s.exchange.addDelegate({ mailbox: MEGAN, trustee: 'svc-sync@contoso.com', right: 'SendAs' }),
  ],
];
