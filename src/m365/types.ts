/**
 * Domain types returned by the service layer. Wire types from
 * @microsoft/microsoft-graph-types and Exchange cmdlet output are mapped to these
 * at the edge (src/m365/*Client.ts); nothing above src/m365 sees a wire shape.
 *
 * This file is the contract between src/m365 (which implements the clients) and
 * src/remediation (which only depends on these interfaces, so tests can pass
 * fakes that record calls).
 */

/** Every write that reached the service returns the request id the service gave it, for the audit log. */
export interface WriteResult {
  requestId: string;
}

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  jobTitle?: string;
  accountEnabled: boolean;
  /** True for users mastered on-premises (Entra Connect): passwords must be reset there. */
  onPremisesSyncEnabled: boolean;
  userType: 'Member' | 'Guest';
  /** Graph user property set by revokeSignInSessions; lets the engine verify a revocation (optional: added by the engine). */
  signInSessionsValidFromDateTime?: string;
}

export type AuthMethodKind =
  | 'password'
  | 'phone'
  | 'email'
  | 'microsoftAuthenticator'
  | 'fido2'
  | 'softwareOath'
  | 'temporaryAccessPass'
  | 'windowsHelloForBusiness'
  | 'platformCredential'
  | 'other';

export interface AuthMethod {
  id: string;
  kind: AuthMethodKind;
  /** Human-readable detail: phone number, device name, email address, key model. */
  detail: string;
  createdDateTime?: string;
}

export interface TemporaryAccessPass {
  id: string;
  /** The secret. Shown once to the approving responder; never logged or stored. */
  temporaryAccessPass: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/** One inbox rule, whichever API it was read through. */
/** Where a rule's target folder sits in the mailbox, independent of the mailbox's language. */
export interface FolderIdentity {
  /** Graph well-known name of the folder itself (deleteditems, archive, junkemail, ...). */
  wellKnownName?: string;
  /** Well-known name of the nearest default folder the folder sits under (a subfolder of Deleted Items: deleteditems). */
  within?: string;
}

/** A mailbox folder that has a Graph well-known name. */
export interface WellKnownFolder {
  wellKnownName: string;
  id: string;
  displayName: string;
  parentFolderId?: string;
}

/** Conditions of an inbox rule (or, as `exceptions`, the ExceptIf… side). Lists are OR-ed. */
export interface InboxRuleConditions {
  subjectContains: string[];
  bodyContains: string[];
  subjectOrBodyContains: string[];
  fromAddresses: string[];
  senderContains: string[];
  /** Exchange RecipientAddressContainsWords / Graph recipientContains. */
  recipientContains?: string[];
  /** Exchange SentTo / Graph sentToAddresses. */
  sentToAddresses?: string[];
  /** Exchange HeaderContainsWords / Graph headerContains. */
  headerContains?: string[];
  /**
   * Exchange MessageTypeMatches values (AutomaticReply, AutomaticForward, Encrypted, Calendaring,
   * CalendaringResponse, PermissionControlled, Voicemail, Signed, ApprovalRequest, ReadReceipt,
   * NonDeliveryReport); Graph's is… flags are mapped to the same names.
   */
  messageTypes?: string[];
  hasAttachments?: boolean;
  importance?: string;
  /** Exchange WithinSizeRangeMinimum/Maximum, Graph withinSizeRange; in kilobytes. */
  sizeRange?: { minimumKilobytes?: number; maximumKilobytes?: number };
}

export interface InboxRule {
  /** Graph messageRule id, or Exchange rule Identity. */
  id: string;
  source: 'graph' | 'exchange';
  name: string;
  enabled: boolean;
  /** Hidden rules are only visible through Exchange Get-InboxRule -IncludeHidden. */
  hidden: boolean;
  readOnly: boolean;
  priority: number;
  conditions: InboxRuleConditions;
  /** Exchange ExceptIf… / Graph exceptions: mail these match is left alone. */
  exceptions?: Partial<InboxRuleConditions>;
  actions: {
    forwardTo: string[];
    redirectTo: string[];
    forwardAsAttachmentTo: string[];
    delete: boolean;
    permanentDelete: boolean;
    /** Display name (or Exchange path) of the target folder, e.g. "RSS Subscriptions". */
    moveToFolder?: string;
    moveToFolderIdentity?: FolderIdentity;
    /** Display name (or Exchange path) of the folder a copy goes to. */
    copyToFolder?: string;
    copyToFolderIdentity?: FolderIdentity;
    markAsRead: boolean;
    stopProcessingRules: boolean;
  };
  /** When the rule was created or last changed, where audit data says (New-/Set-InboxRule). */
  changedDateTime?: string;
}

/** An inbox rule created or changed, from the unified audit log (Search-UnifiedAuditLog). */
export interface InboxRuleChange {
  /** The rule's name (New-InboxRule -Name) or identity (Set-InboxRule -Identity, without the mailbox part). */
  rule: string;
  operation: string;
  /** When it happened (UTC, ISO). */
  at: string;
}

/** Parameters to re-create a rule on undo (Exchange New-InboxRule). */
export type InboxRuleDefinition = Omit<InboxRule, 'id' | 'source' | 'hidden' | 'readOnly'>;

export interface MailboxForwarding {
  forwardingSmtpAddress: string | null;
  forwardingAddress: string | null;
  deliverToMailboxAndForward: boolean;
}

export interface Mailbox extends MailboxForwarding {
  identity: string;
  userPrincipalName: string;
  primarySmtpAddress: string;
  grantSendOnBehalfTo: string[];
}

export interface BlockedSender {
  senderAddress: string;
  reason: string;
  createdDateTime?: string;
}

export type MailboxDelegateRight = 'FullAccess' | 'SendAs' | 'SendOnBehalf';

export interface MailboxDelegate {
  mailbox: string;
  /** The delegate (UPN or display name as Exchange reports it). */
  trustee: string;
  right: MailboxDelegateRight;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
}

export interface RoleEligibility {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  roleName: string;
  directoryScopeId: string;
}

export interface GroupMembership {
  groupId: string;
  displayName: string;
  isAssignableToRole: boolean;
}

export interface PermissionGrant {
  id: string;
  clientId: string;
  /** Display name of the client service principal, resolved by the client. */
  clientDisplayName: string;
  /** Publisher verification of the client app, when Graph reports it. */
  clientVerifiedPublisher?: string;
  resourceId: string;
  resourceDisplayName: string;
  consentType: 'Principal' | 'AllPrincipals';
  principalId: string | null;
  /** Space-separated delegated scopes, as Graph returns them. */
  scope: string;
}

export interface AppRoleAssignment {
  id: string;
  principalId: string;
  resourceId: string;
  resourceDisplayName: string;
  appRoleId: string;
  createdDateTime?: string;
}

export interface SignInEvent {
  id: string;
  createdDateTime: string;
  ipAddress: string;
  city?: string;
  countryOrRegion?: string;
  appDisplayName: string;
  clientAppUsed?: string;
  succeeded: boolean;
  failureReason?: string;
  riskLevel?: string;
}

export interface RiskyUser {
  id: string;
  riskState: string;
  riskLevel: string;
}

export interface UsersClient {
  getUser(idOrUpn: string): Promise<DirectoryUser>;
  setAccountEnabled(userId: string, enabled: boolean): Promise<WriteResult>;
  /** PATCH passwordProfile. The password is sent once and never logged. */
  resetPassword(userId: string, password: string, forceChangeNextSignIn: boolean): Promise<WriteResult>;
  revokeSignInSessions(userId: string): Promise<WriteResult>;
  /** Returns the subset of groupIds the user is a (transitive) member of. */
  checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]>;
  listGroupMemberships(userId: string): Promise<GroupMembership[]>;
  addGroupMember(groupId: string, userId: string): Promise<WriteResult>;
  removeGroupMember(groupId: string, userId: string): Promise<WriteResult>;
}

export interface AuthMethodsClient {
  listMethods(userId: string): Promise<AuthMethod[]>;
  deleteMethod(userId: string, method: Pick<AuthMethod, 'id' | 'kind'>): Promise<WriteResult>;
  createTemporaryAccessPass(
    userId: string,
    options: { lifetimeInMinutes: number; isUsableOnce: boolean },
  ): Promise<TemporaryAccessPass & WriteResult>;
}

export interface MailRulesClient {
  /** Graph messageRules, following @odata.nextLink to the end. Hidden rules are never listed here. */
  listInboxRules(userId: string): Promise<InboxRule[]>;
  getInboxRule(userId: string, ruleId: string): Promise<InboxRule>;
  /** The mailbox's Graph well-known folders (for resolving Exchange folder paths in any language). */
  listWellKnownFolders(userId: string, names?: readonly string[]): Promise<WellKnownFolder[]>;
  /** The tenant's accepted domains (Graph GET /domains), lower case. */
  listTenantDomains(): Promise<string[]>;
  disableInboxRule(userId: string, ruleId: string): Promise<WriteResult>;
  deleteInboxRule(userId: string, ruleId: string): Promise<WriteResult>;
}

export interface RolesClient {
  listActiveAssignments(principalId: string): Promise<RoleAssignment[]>;
  listAssignmentsForRole(roleDefinitionId: string): Promise<RoleAssignment[]>;
  removeActiveAssignment(assignmentId: string): Promise<WriteResult>;
  createActiveAssignment(
    assignment: Pick<RoleAssignment, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>,
  ): Promise<RoleAssignment & WriteResult>;
  listEligibilities(principalId: string): Promise<RoleEligibility[]>;
  /** roleEligibilityScheduleRequests with action adminRemove. */
  removeEligibility(eligibility: RoleEligibility, justification: string): Promise<WriteResult>;
  /** roleEligibilityScheduleRequests with action adminAssign (undo). */
  createEligibility(
    eligibility: Pick<RoleEligibility, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>,
    justification: string,
  ): Promise<WriteResult>;
}

export interface ConsentsClient {
  listPermissionGrants(principalId: string): Promise<PermissionGrant[]>;
  deletePermissionGrant(grantId: string): Promise<WriteResult>;
  createPermissionGrant(
    grant: Pick<PermissionGrant, 'clientId' | 'resourceId' | 'consentType' | 'principalId' | 'scope'>,
  ): Promise<PermissionGrant & WriteResult>;
  listAppRoleAssignments(userId: string): Promise<AppRoleAssignment[]>;
  deleteAppRoleAssignment(userId: string, assignmentId: string): Promise<WriteResult>;
}

export interface IdentityProtectionClient {
  confirmCompromised(userIds: string[]): Promise<WriteResult>;
  getRiskyUser(userId: string): Promise<RiskyUser | null>;
}

export interface SignInsClient {
  listRecentSignIns(userId: string, top: number): Promise<SignInEvent[]>;
}

/** Exchange Online through adminapi InvokeCommand; mailbox is a UPN or SMTP address. */
export interface ExchangeClient {
  getMailbox(mailbox: string): Promise<Mailbox>;
  setForwarding(mailbox: string, forwarding: MailboxForwarding): Promise<WriteResult>;
  listInboxRules(mailbox: string, options: { includeHidden: boolean }): Promise<InboxRule[]>;
  disableInboxRule(mailbox: string, identity: string): Promise<WriteResult>;
  enableInboxRule(mailbox: string, identity: string): Promise<WriteResult>;
  removeInboxRule(mailbox: string, identity: string): Promise<WriteResult>;
  createInboxRule(mailbox: string, rule: InboxRuleDefinition): Promise<InboxRule & WriteResult>;
  /** New-InboxRule / Set-InboxRule audit records of the mailbox's owner between two times. */
  listInboxRuleChanges(mailbox: string, window: { start: string; end: string }): Promise<InboxRuleChange[]>;
  listBlockedSenders(): Promise<BlockedSender[]>;
  removeBlockedSender(senderAddress: string): Promise<WriteResult>;
  listDelegates(mailbox: string): Promise<MailboxDelegate[]>;
  removeDelegate(delegate: MailboxDelegate): Promise<WriteResult>;
  addDelegate(delegate: MailboxDelegate): Promise<WriteResult>;
}

/** Everything the remediation engine needs from Microsoft 365. */
/** Installing Remediator for a user: Graph's request id, or that it was already there (409). */
export interface PersonalInstallResult extends WriteResult {
  alreadyInstalled: boolean;
}

/** The bot's own Teams app, installed in a user's personal scope so its 1:1 chat can be opened. */
export interface TeamsAppsClient {
  /** `catalogAppId` is the app's id in the tenant app catalog (not the manifest id). */
  installForUser(userId: string, catalogAppId: string): Promise<PersonalInstallResult>;
}

export interface M365Services {
  users: UsersClient;
  authMethods: AuthMethodsClient;
  mailRules: MailRulesClient;
  roles: RolesClient;
  consents: ConsentsClient;
  identityProtection: IdentityProtectionClient;
  signIns: SignInsClient;
  exchange: ExchangeClient;
  teamsApps: TeamsAppsClient;
}

/**
 * Stable error codes the service layer maps every failure to. Messages are
 * actionable: a 403 names the permission and directory role the operation needs.
 */
export type M365ErrorCode =
  | 'NotFound'
  | 'PermissionDenied'
  | 'SyncedUserReadOnly'
  | 'DefaultMethodInUse'
  | 'Throttled'
  | 'ServiceUnavailable'
  | 'Unauthenticated'
  | 'BadRequest'
  | 'FailedDependency'
  | 'Unknown';
