/**
 * An in-memory M365Services for engine unit tests: keeps tenant state, records every call,
 * and can fail chosen operations with the service layer's real error type. Not a module mock.
 */
import { errorFromResponse } from '../../src/m365/errors';
import type { OperationName } from '../../src/m365/operations';
import type {
  AppRoleAssignment,
  AuthMethod,
  BlockedSender,
  DirectoryUser,
  GroupMembership,
  InboxRule,
  InboxRuleChange,
  M365Services,
  MailboxDelegate,
  MailboxForwarding,
  PermissionGrant,
  RiskyUser,
  RoleAssignment,
  RoleEligibility,
  SignInEvent,
  WriteResult,
} from '../../src/m365/types';
import { inboxRule } from './inboxRules';
import type { InboxRuleOverrides } from './inboxRules';

export const IDS = {
  tenant: 'aedee607-2a8c-4668-8b03-27f2a79988f2',
  alex: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00',
  megan: '14e1ed1f-b4f7-47ee-ae98-d39876f6f691',
  adele: 'a54ff265-58d9-483a-8973-e07982bd7315',
  isaiah: '66c6c932-b922-4196-94cd-f2fbc6386dc3',
  patti: '32dd9542-a763-49ba-b9ec-607b4d542e1f',
  lynne: '3f18b6c1-f525-47a4-a81a-1813061f1773',
  breakGlass: '9c4ef906-6f40-45f0-8925-ec80648f5460',
  responders: '3fec47b4-98e3-417a-bfd9-6dc67f18a61e',
  helpdeskAdmins: '57e25af0-7d67-4e82-ba7c-f77f69a71462',
  remediatorApp: '3eadf42a-a745-4fba-b922-8a87b7cdfa94',
  mailSyncPro: 'd89a3cd4-663a-43ff-bdbb-a5a851401977',
  graphResource: '9aeada37-d773-42df-b33d-19287e756b08',
};

export const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  exchangeAdmin: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  helpdeskAdmin: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
};

const ROLE_NAMES: Record<string, string> = {
  [ROLE.globalAdmin]: 'Global Administrator',
  [ROLE.exchangeAdmin]: 'Exchange Administrator',
  [ROLE.helpdeskAdmin]: 'Helpdesk Administrator',
  [ROLE.securityReader]: 'Security Reader',
};

export interface FakeCall {
  operation: OperationName;
  args: unknown[];
  write: boolean;
}

interface FakeState {
  users: DirectoryUser[];
  groups: (GroupMembership & { members: string[] })[];
  assignments: RoleAssignment[];
  eligibilities: RoleEligibility[];
  methods: Record<string, (AuthMethod & { isDefault?: boolean })[]>;
  rules: Record<string, InboxRule[]>;
  forwarding: Record<string, MailboxForwarding>;
  blocked: BlockedSender[];
  delegates: MailboxDelegate[];
  grants: PermissionGrant[];
  appRoleAssignments: AppRoleAssignment[];
  risky: Record<string, RiskyUser>;
  signIns: Record<string, SignInEvent[]>;
  /** Graph GET /domains. */
  acceptedDomains?: string[];
  /** The unified audit log's New-/Set-InboxRule records, by mailbox. */
  ruleChanges?: Record<string, InboxRuleChange[]>;
}

function ago(now: Date, ms: number): string {
  return new Date(now.getTime() - ms).toISOString();
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function user(
  id: string,
  upn: string,
  displayName: string,
  extra: Partial<DirectoryUser> = {},
): DirectoryUser {
  return {
    id,
    userPrincipalName: upn,
    displayName,
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    userType: 'Member',
    ...extra,
  };
}

function rule(id: string, name: string, extra: Omit<InboxRuleOverrides, 'id' | 'name'>): InboxRule {
  return inboxRule({ id, name, ...extra });
}

/** The Contoso demo tenant of COMMON.md, with Megan compromised in every way. */
export function contosoState(now: Date): FakeState {
  const megan = 'MeganB@contoso.com';
  return {
    users: [
      user(IDS.alex, 'AlexW@contoso.com', 'Alex Wilber'),
      user(IDS.megan, megan, 'Megan Bowen'),
      user(IDS.adele, 'AdeleV@contoso.com', 'Adele Vance'),
      user(IDS.isaiah, 'IsaiahL@contoso.com', 'Isaiah Langer'),
      user(IDS.patti, 'PattiF@contoso.com', 'Patti Fernandez'),
      user(IDS.lynne, 'LynneR@contoso.com', 'Lynne Robbins', { onPremisesSyncEnabled: true }),
      user(IDS.breakGlass, 'breakglass01@contoso.com', 'Break Glass 01'),
    ],
    groups: [
      {
        groupId: IDS.responders,
        displayName: 'SOC Responders',
        isAssignableToRole: false,
        members: [IDS.alex, IDS.adele, IDS.isaiah],
      },
      {
        groupId: IDS.helpdeskAdmins,
        displayName: 'Helpdesk Admins',
        isAssignableToRole: true,
        members: [IDS.megan],
      },
    ],
    assignments: [
      {
        id: 'ra-megan-exo',
        principalId: IDS.megan,
        roleDefinitionId: ROLE.exchangeAdmin,
        roleName: 'Exchange Administrator',
        directoryScopeId: '/',
      },
      {
        id: 'ra-helpdesk-group',
        principalId: IDS.helpdeskAdmins,
        roleDefinitionId: ROLE.helpdeskAdmin,
        roleName: 'Helpdesk Administrator',
        directoryScopeId: '/',
      },
      {
        id: 'ra-patti-ga',
        principalId: IDS.patti,
        roleDefinitionId: ROLE.globalAdmin,
        roleName: 'Global Administrator',
        directoryScopeId: '/',
      },
      {
        id: 'ra-bg-ga',
        principalId: IDS.breakGlass,
        roleDefinitionId: ROLE.globalAdmin,
        roleName: 'Global Administrator',
        directoryScopeId: '/',
      },
    ],
    eligibilities: [
      {
        id: 'el-megan-sr',
        principalId: IDS.megan,
        roleDefinitionId: ROLE.securityReader,
        roleName: 'Security Reader',
        directoryScopeId: '/',
      },
    ],
    methods: {
      [IDS.megan]: [
        { id: 'pw', kind: 'password', detail: '', createdDateTime: ago(now, 400 * DAY) },
        {
          id: 'auth-app',
          kind: 'microsoftAuthenticator',
          detail: "Megan's iPhone",
          createdDateTime: ago(now, 200 * DAY),
          isDefault: true,
        },
        { id: 'phone-attacker', kind: 'phone', detail: '+1 555 0100', createdDateTime: ago(now, 2 * HOUR) },
      ],
    },
    rules: {
      [megan.toLowerCase()]: [
        rule('r-hidden', 'Sync', { hidden: true, actions: { forwardTo: ['collector@protonmail.com'] } }),
        rule('r-attach', 'Archive copy', {
          actions: { forwardAsAttachmentTo: ['megan.bowen.archive@gmail.com'] },
        }),
        rule('r-invoice', 'Cleanup', {
          conditions: { subjectContains: ['invoice'] },
          actions: { delete: true },
        }),
        rule('r-dot', '.', {
          conditions: { fromAddresses: ['security@contoso.com', 'it@contoso.com'] },
          actions: { moveToFolder: 'RSS Subscriptions', markAsRead: true },
        }),
        rule('r-news', 'Newsletters', {
          conditions: { fromAddresses: ['news@fabrikam.example'] },
          actions: { moveToFolder: 'Newsletters' },
        }),
        rule('r-colleague', 'To Adele', { actions: { forwardTo: ['AdeleV@contoso.com'] } }),
        rule('r-disabled', 'Old project', { enabled: false, actions: { moveToFolder: 'Projects' } }),
      ],
    },
    forwarding: {
      [megan.toLowerCase()]: {
        forwardingSmtpAddress: 'smtp:megan.bowen.archive@gmail.com',
        forwardingAddress: null,
        deliverToMailboxAndForward: false,
      },
    },
    blocked: [{ senderAddress: megan, reason: 'Outbound spam', createdDateTime: ago(now, 3 * HOUR) }],
    delegates: [{ mailbox: megan, trustee: 'svc-sync@contoso.com', right: 'FullAccess' }],
    grants: [
      {
        id: 'grant-mailsync',
        clientId: IDS.mailSyncPro,
        clientDisplayName: 'Mail Sync Pro',
        resourceId: IDS.graphResource,
        resourceDisplayName: 'Microsoft Graph',
        consentType: 'Principal',
        principalId: IDS.megan,
        scope: 'Mail.ReadWrite offline_access',
      },
    ],
    appRoleAssignments: [],
    risky: { [IDS.megan]: { id: IDS.megan, riskState: 'atRisk', riskLevel: 'medium' } },
    signIns: {
      [IDS.megan]: [
        {
          id: 's1',
          createdDateTime: ago(now, 2 * HOUR),
          ipAddress: '102.89.1.10',
          city: 'Lagos',
          countryOrRegion: 'NG',
          appDisplayName: 'Office 365 Exchange Online',
          succeeded: true,
          riskLevel: 'high',
        },
        {
          id: 's2',
          createdDateTime: ago(now, 5 * HOUR),
          ipAddress: '95.24.1.1',
          city: 'Moscow',
          countryOrRegion: 'RU',
          appDisplayName: 'Azure Portal',
          succeeded: false,
          failureReason: 'Invalid password',
        },
        {
          id: 's3',
          createdDateTime: ago(now, 1 * DAY),
          ipAddress: '84.208.1.1',
          city: 'Oslo',
          countryOrRegion: 'NO',
          appDisplayName: 'Outlook',
          succeeded: true,
        },
        {
          id: 's4',
          createdDateTime: ago(now, 2 * DAY),
          ipAddress: '84.208.1.1',
          city: 'Oslo',
          countryOrRegion: 'NO',
          appDisplayName: 'Teams',
          succeeded: true,
        },
      ],
    },
  };
}

export class FakeM365 {
  readonly calls: FakeCall[] = [];
  state: FakeState;
  private readonly failures = new Map<OperationName, { status: number; message?: string; times: number }>();
  private sequence = 0;

  constructor(now: Date = new Date(), state?: FakeState) {
    this.state = state ?? contosoState(now);
  }

  /** Make an operation fail with an HTTP status (mapped by the real error mapper), `times` times. */
  fail(operation: OperationName, status: number, options: { message?: string; times?: number } = {}): void {
    this.failures.set(operation, {
      status,
      message: options.message,
      times: options.times ?? Number.POSITIVE_INFINITY,
    });
  }

  writes(): FakeCall[] {
    return this.calls.filter((call) => call.write);
  }

  private record(operation: OperationName, write: boolean, ...args: unknown[]): void {
    this.calls.push({ operation, args, write });
    const failure = this.failures.get(operation);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw errorFromResponse(operation, {
        status: failure.status,
        serviceMessage: failure.message,
        requestId: `fail-${this.sequence}`,
      });
    }
  }

  private ok(): WriteResult {
    this.sequence += 1;
    return { requestId: `req-${this.sequence}` };
  }

  private notFound(operation: OperationName): never {
    throw errorFromResponse(operation, { status: 404 });
  }

  private findUser(idOrUpn: string, operation: OperationName): DirectoryUser {
    const key = idOrUpn.toLowerCase();
    const found = this.state.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
    return found ?? this.notFound(operation);
  }

  private mailboxKey(mailbox: string): string {
    return mailbox.toLowerCase();
  }

  readonly services: M365Services = {
    users: {
      getUser: async (idOrUpn) => {
        this.record('users.getUser', false, idOrUpn);
        return { ...this.findUser(idOrUpn, 'users.getUser') };
      },
      setAccountEnabled: async (userId, enabled) => {
        this.record('users.setAccountEnabled', true, userId, enabled);
        this.findUser(userId, 'users.setAccountEnabled').accountEnabled = enabled;
        return this.ok();
      },
      resetPassword: async (userId, _password, force) => {
        // The password itself is never recorded, like the real client never logs it.
        this.record('users.resetPassword', true, userId, '[redacted]', force);
        const target = this.findUser(userId, 'users.resetPassword');
        if (target.onPremisesSyncEnabled) {
          throw errorFromResponse('users.resetPassword', {
            status: 400,
            serviceMessage:
              'Unable to update the specified properties for on-premises mastered Directory Sync objects',
          });
        }
        return this.ok();
      },
      revokeSignInSessions: async (userId) => {
        this.record('users.revokeSignInSessions', true, userId);
        this.findUser(userId, 'users.revokeSignInSessions').signInSessionsValidFromDateTime =
          new Date().toISOString();
        return this.ok();
      },
      checkMemberGroups: async (userId, groupIds) => {
        this.record('users.checkMemberGroups', false, userId, groupIds);
        return this.state.groups
          .filter((g) => groupIds.includes(g.groupId) && g.members.includes(userId))
          .map((g) => g.groupId);
      },
      listGroupMemberships: async (userId) => {
        this.record('users.listGroupMemberships', false, userId);
        return this.state.groups
          .filter((g) => g.members.includes(userId))
          .map(({ groupId, displayName, isAssignableToRole }) => ({
            groupId,
            displayName,
            isAssignableToRole,
          }));
      },
      addGroupMember: async (groupId, userId) => {
        this.record('users.addGroupMember', true, groupId, userId);
        const group =
          this.state.groups.find((g) => g.groupId === groupId) ?? this.notFound('users.addGroupMember');
        if (!group.members.includes(userId)) group.members.push(userId);
        return this.ok();
      },
      removeGroupMember: async (groupId, userId) => {
        this.record('users.removeGroupMember', true, groupId, userId);
        const group = this.state.groups.find((g) => g.groupId === groupId);
        if (!group || !group.members.includes(userId)) this.notFound('users.removeGroupMember');
        group.members = group.members.filter((m) => m !== userId);
        return this.ok();
      },
    },
    authMethods: {
      listMethods: async (userId) => {
        this.record('authMethods.listMethods', false, userId);
        return (this.state.methods[userId] ?? []).map(({ isDefault: _default, ...method }) => ({
          ...method,
        }));
      },
      deleteMethod: async (userId, method) => {
        this.record('authMethods.deleteMethod', true, userId, method);
        const methods = this.state.methods[userId] ?? [];
        const found = methods.find((m) => m.id === method.id) ?? this.notFound('authMethods.deleteMethod');
        const others = methods.filter((m) => m.kind !== 'password' && m.id !== found.id);
        if (found.isDefault && others.length > 0) {
          throw errorFromResponse('authMethods.deleteMethod', {
            status: 400,
            serviceMessage: 'The default authentication method cannot be deleted.',
          });
        }
        this.state.methods[userId] = methods.filter((m) => m.id !== method.id);
        return this.ok();
      },
      createTemporaryAccessPass: async (userId, options) => {
        this.record('authMethods.createTemporaryAccessPass', true, userId, options);
        const tap = {
          id: `tap-${this.sequence}`,
          kind: 'temporaryAccessPass' as const,
          detail: '',
          createdDateTime: new Date().toISOString(),
        };
        (this.state.methods[userId] ??= []).push(tap);
        return {
          ...this.ok(),
          id: tap.id,
          temporaryAccessPass: 'TAP-SECRET-VALUE',
          startDateTime: tap.createdDateTime,
          ...options,
        };
      },
    },
    mailRules: {
      listInboxRules: async (userId) => {
        this.record('mailRules.listInboxRules', false, userId);
        const upn = this.findUser(userId, 'mailRules.listInboxRules').userPrincipalName.toLowerCase();
        return (this.state.rules[upn] ?? [])
          .filter((r) => !r.hidden)
          .map((r) => ({ ...r, source: 'graph' as const }));
      },
      getInboxRule: async (userId, ruleId) => {
        this.record('mailRules.getInboxRule', false, userId, ruleId);
        const upn = this.findUser(userId, 'mailRules.getInboxRule').userPrincipalName.toLowerCase();
        return (
          (this.state.rules[upn] ?? []).find((r) => r.id === ruleId) ??
          this.notFound('mailRules.getInboxRule')
        );
      },
      listWellKnownFolders: async (userId) => {
        this.record('mailRules.getWellKnownFolder', false, userId);
        this.findUser(userId, 'mailRules.getWellKnownFolder');
        return [];
      },
      listTenantDomains: async () => {
        this.record('mailRules.listTenantDomains', false);
        return [...(this.state.acceptedDomains ?? ['contoso.com'])];
      },
      disableInboxRule: async (userId, ruleId) => {
        this.record('mailRules.disableInboxRule', true, userId, ruleId);
        return this.ok();
      },
      deleteInboxRule: async (userId, ruleId) => {
        this.record('mailRules.deleteInboxRule', true, userId, ruleId);
        const upn = this.findUser(userId, 'mailRules.deleteInboxRule').userPrincipalName.toLowerCase();
        const rules = this.state.rules[upn] ?? [];
        if (!rules.some((r) => r.id === ruleId)) this.notFound('mailRules.deleteInboxRule');
        this.state.rules[upn] = rules.filter((r) => r.id !== ruleId);
        return this.ok();
      },
    },
    roles: {
      listActiveAssignments: async (principalId) => {
        this.record('roles.listActiveAssignments', false, principalId);
        return this.state.assignments.filter((a) => a.principalId === principalId).map((a) => ({ ...a }));
      },
      listAssignmentsForRole: async (roleDefinitionId) => {
        this.record('roles.listAssignmentsForRole', false, roleDefinitionId);
        return this.state.assignments
          .filter((a) => a.roleDefinitionId === roleDefinitionId)
          .map((a) => ({ ...a }));
      },
      removeActiveAssignment: async (assignmentId) => {
        this.record('roles.removeActiveAssignment', true, assignmentId);
        if (!this.state.assignments.some((a) => a.id === assignmentId))
          this.notFound('roles.removeActiveAssignment');
        this.state.assignments = this.state.assignments.filter((a) => a.id !== assignmentId);
        return this.ok();
      },
      createActiveAssignment: async (assignment) => {
        this.record('roles.createActiveAssignment', true, assignment);
        const created = {
          ...assignment,
          id: `ra-new-${this.sequence}`,
          roleName: ROLE_NAMES[assignment.roleDefinitionId] ?? 'Role',
        };
        this.state.assignments.push(created);
        return { ...created, ...this.ok() };
      },
      listEligibilities: async (principalId) => {
        this.record('roles.listEligibilities', false, principalId);
        return this.state.eligibilities.filter((e) => e.principalId === principalId).map((e) => ({ ...e }));
      },
      removeEligibility: async (eligibility, justification) => {
        this.record('roles.removeEligibility', true, eligibility, justification);
        this.state.eligibilities = this.state.eligibilities.filter(
          (e) =>
            !(
              e.principalId === eligibility.principalId && e.roleDefinitionId === eligibility.roleDefinitionId
            ),
        );
        return this.ok();
      },
      createEligibility: async (eligibility, justification) => {
        this.record('roles.createEligibility', true, eligibility, justification);
        this.state.eligibilities.push({
          ...eligibility,
          id: `el-new-${this.sequence}`,
          roleName: ROLE_NAMES[eligibility.roleDefinitionId] ?? 'Role',
        });
        return this.ok();
      },
    },
    consents: {
      listPermissionGrants: async (principalId) => {
        this.record('consents.listPermissionGrants', false, principalId);
        return this.state.grants.filter((g) => g.principalId === principalId).map((g) => ({ ...g }));
      },
      deletePermissionGrant: async (grantId) => {
        this.record('consents.deletePermissionGrant', true, grantId);
        if (!this.state.grants.some((g) => g.id === grantId)) this.notFound('consents.deletePermissionGrant');
        this.state.grants = this.state.grants.filter((g) => g.id !== grantId);
        return this.ok();
      },
      createPermissionGrant: async (grant) => {
        this.record('consents.createPermissionGrant', true, grant);
        const created: PermissionGrant = {
          ...grant,
          id: `grant-new-${this.sequence}`,
          clientDisplayName: 'app',
          resourceDisplayName: 'resource',
        };
        this.state.grants.push(created);
        return { ...created, ...this.ok() };
      },
      listAppRoleAssignments: async (userId) => {
        this.record('consents.listAppRoleAssignments', false, userId);
        return this.state.appRoleAssignments.filter((a) => a.principalId === userId);
      },
      deleteAppRoleAssignment: async (userId, assignmentId) => {
        this.record('consents.deleteAppRoleAssignment', true, userId, assignmentId);
        this.state.appRoleAssignments = this.state.appRoleAssignments.filter((a) => a.id !== assignmentId);
        return this.ok();
      },
    },
    identityProtection: {
      confirmCompromised: async (userIds) => {
        this.record('identityProtection.confirmCompromised', true, userIds);
        for (const id of userIds)
          this.state.risky[id] = { id, riskState: 'confirmedCompromised', riskLevel: 'high' };
        return this.ok();
      },
      getRiskyUser: async (userId) => {
        this.record('identityProtection.getRiskyUser', false, userId);
        return this.state.risky[userId] ?? null;
      },
    },
    signIns: {
      listRecentSignIns: async (userId, top) => {
        this.record('signIns.listRecentSignIns', false, userId, top);
        return (this.state.signIns[userId] ?? []).slice(0, top);
      },
    },
    teamsApps: {
      installForUser: async (userId, catalogAppId) => {
        this.record('teamsApps.installForUser', true, userId, catalogAppId);
        return { ...this.ok(), alreadyInstalled: false };
      },
    },
    exchange: {
      getMailbox: async (mailbox) => {
        this.record('exchange.getMailbox', false, mailbox);
        const forwarding = this.state.forwarding[this.mailboxKey(mailbox)] ?? {
          forwardingSmtpAddress: null,
          forwardingAddress: null,
          deliverToMailboxAndForward: false,
        };
        return {
          identity: mailbox,
          userPrincipalName: mailbox,
          primarySmtpAddress: mailbox,
          grantSendOnBehalfTo: [],
          ...forwarding,
        };
      },
      setForwarding: async (mailbox, forwarding) => {
        this.record('exchange.setMailbox', true, mailbox, forwarding);
        this.state.forwarding[this.mailboxKey(mailbox)] = { ...forwarding };
        return this.ok();
      },
      listInboxRules: async (mailbox, options) => {
        this.record('exchange.getInboxRule', false, mailbox, options);
        return (this.state.rules[this.mailboxKey(mailbox)] ?? [])
          .filter((r) => options.includeHidden || !r.hidden)
          .map((r) => ({ ...r }));
      },
      listInboxRuleChanges: async (mailbox, window) => {
        this.record('exchange.searchUnifiedAuditLog', false, mailbox, window);
        const start = Date.parse(window.start);
        const end = Date.parse(window.end);
        return (this.state.ruleChanges?.[this.mailboxKey(mailbox)] ?? []).filter(
          (change) => Date.parse(change.at) >= start && Date.parse(change.at) <= end,
        );
      },
      disableInboxRule: async (mailbox, identity) => {
        this.record('exchange.disableInboxRule', true, mailbox, identity);
        return this.ok();
      },
      enableInboxRule: async (mailbox, identity) => {
        this.record('exchange.enableInboxRule', true, mailbox, identity);
        return this.ok();
      },
      removeInboxRule: async (mailbox, identity) => {
        this.record('exchange.removeInboxRule', true, mailbox, identity);
        const key = this.mailboxKey(mailbox);
        const rules = this.state.rules[key] ?? [];
        if (!rules.some((r) => r.id === identity)) this.notFound('exchange.removeInboxRule');
        this.state.rules[key] = rules.filter((r) => r.id !== identity);
        return this.ok();
      },
      createInboxRule: async (mailbox, definition) => {
        this.record('exchange.newInboxRule', true, mailbox, definition);
        const created: InboxRule = {
          ...definition,
          id: `r-new-${this.sequence}`,
          source: 'exchange',
          hidden: false,
          readOnly: false,
        };
        (this.state.rules[this.mailboxKey(mailbox)] ??= []).push(created);
        return { ...created, ...this.ok() };
      },
      listBlockedSenders: async () => {
        this.record('exchange.getBlockedSenderAddress', false);
        return this.state.blocked.map((b) => ({ ...b }));
      },
      removeBlockedSender: async (senderAddress) => {
        this.record('exchange.removeBlockedSenderAddress', true, senderAddress);
        this.state.blocked = this.state.blocked.filter(
          (b) => b.senderAddress.toLowerCase() !== senderAddress.toLowerCase(),
        );
        return this.ok();
      },
      listDelegates: async (mailbox) => {
        this.record('exchange.getMailboxPermission', false, mailbox);
        return this.state.delegates
          .filter((d) => d.mailbox.toLowerCase() === mailbox.toLowerCase())
          .map((d) => ({ ...d }));
      },
      removeDelegate: async (delegate) => {
        this.record('exchange.removeMailboxPermission', true, delegate);
        this.state.delegates = this.state.delegates.filter(
          (d) =>
            !(
              d.mailbox.toLowerCase() === delegate.mailbox.toLowerCase() &&
              d.trustee === delegate.trustee &&
              d.right === delegate.right
            ),
        );
        return this.ok();
      },
      addDelegate: async (delegate) => {
        this.record('exchange.addMailboxPermission', true, delegate);
        this.state.delegates.push({ ...delegate });
        return this.ok();
      },
    },
  };
}
