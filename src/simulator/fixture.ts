import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The simulated tenant's data model. A fixture file and the live state share this
 * one shape, so `state()` can be saved and loaded again as a fixture.
 *
 * Date-time fields (keys ending in "DateTime"/"Datetime") accept ISO 8601 or a
 * relative offset such as "-2h", "-3d", "-15m", "+1d", resolved against load time so
 * "added 2 hours ago" stays true whenever the simulator starts.
 */

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
const dateTime = z.string().describe('ISO 8601 date-time, or a relative offset like "-2h" resolved at load');
const emailAddress = z.object({ name: z.string().default(''), address: z.string() });

const tenantSchema = z.object({
  id: guid,
  displayName: z.string(),
  domain: z.string(),
  /** Further accepted domains (Graph GET /domains lists them after `domain`), e.g. contoso.onmicrosoft.com. */
  acceptedDomains: z.array(z.string()).default([]),
  /** Service plan names; without AAD_PREMIUM_P2 Identity Protection answers 403, without P1/P2 sign-in logs do. */
  licenses: z.array(z.string()).default(['AAD_PREMIUM', 'AAD_PREMIUM_P2', 'EXCHANGE_S_ENTERPRISE']),
});

const appSchema = z.object({
  appId: guid,
  displayName: z.string().default('Remediator'),
  /** When set, only these bearer tokens are accepted; otherwise any token is. */
  acceptedTokens: z.array(z.string()).optional(),
  /** Application permissions the app has NOT been granted (Graph names, plus "Exchange.ManageAsApp"). */
  withheldPermissions: z.array(z.string()).default([]),
  /** Directory roles held by the app's service principal, by display name. */
  directoryRoles: z.array(z.string()).default([]),
  /** The app's id in the tenant's Teams app catalog (what installedApps binds to; not the manifest id). */
  teamsAppCatalogId: guid.default('5c3a9a0e-7f1d-4b52-9a43-2f6c1d8e7b10'),
});

/** The app installed in a user's personal Teams scope (userScopeTeamsAppInstallation). */
const teamsAppInstallationSchema = z.object({
  id: z.string(),
  userId: guid,
  teamsAppId: guid,
});

const userSchema = z.object({
  id: guid,
  userPrincipalName: z.string(),
  displayName: z.string(),
  givenName: z.string().nullable().default(null),
  surname: z.string().nullable().default(null),
  mail: z.string().nullable().default(null),
  jobTitle: z.string().nullable().default(null),
  department: z.string().nullable().default(null),
  officeLocation: z.string().nullable().default(null),
  mobilePhone: z.string().nullable().default(null),
  businessPhones: z.array(z.string()).default([]),
  preferredLanguage: z.string().nullable().default('en-US'),
  usageLocation: z.string().nullable().default(null),
  accountEnabled: z.boolean().default(true),
  /** true for users mastered on-premises; null for cloud-only users (as Graph reports it). */
  onPremisesSyncEnabled: z.boolean().nullable().default(null),
  userType: z.enum(['Member', 'Guest']).default('Member'),
  createdDateTime: dateTime.nullable().default(null),
  signInSessionsValidFromDateTime: dateTime.nullable().default(null),
  lastPasswordChangeDateTime: dateTime.nullable().default(null),
  /** Simulator bookkeeping: set by a password reset. The password itself is never kept. */
  forceChangePasswordNextSignIn: z.boolean().default(false),
});

const groupSchema = z.object({
  id: guid,
  displayName: z.string(),
  description: z.string().nullable().default(null),
  isAssignableToRole: z.boolean().default(false),
  securityEnabled: z.boolean().default(true),
  mailEnabled: z.boolean().default(false),
  members: z.array(guid).default([]),
});

const roleDefinitionSchema = z.object({
  id: guid,
  displayName: z.string(),
  templateId: guid,
  description: z.string().default(''),
  isBuiltIn: z.boolean().default(true),
  isEnabled: z.boolean().default(true),
});

const roleAssignmentSchema = z.object({
  id: z.string(),
  principalId: guid,
  roleDefinitionId: guid,
  directoryScopeId: z.string().default('/'),
});

const scheduleInfoSchema = z.object({
  startDateTime: dateTime.nullable().default(null),
  expiration: z
    .object({
      type: z
        .enum(['noExpiration', 'afterDateTime', 'afterDuration', 'notSpecified'])
        .default('noExpiration'),
      endDateTime: dateTime.nullable().default(null),
      duration: z.string().nullable().default(null),
    })
    .default({ type: 'noExpiration', endDateTime: null, duration: null }),
});

const roleEligibilityScheduleSchema = z.object({
  id: z.string(),
  principalId: guid,
  roleDefinitionId: guid,
  directoryScopeId: z.string().default('/'),
  memberType: z.enum(['Direct', 'Group', 'Inherited']).default('Direct'),
  status: z.string().default('Provisioned'),
  createdDateTime: dateTime.nullable().default(null),
  scheduleInfo: scheduleInfoSchema.default({
    startDateTime: null,
    expiration: { type: 'noExpiration', endDateTime: null, duration: null },
  }),
});

const roleEligibilityScheduleRequestSchema = z.object({
  id: guid,
  action: z.string(),
  principalId: guid,
  roleDefinitionId: guid,
  directoryScopeId: z.string(),
  justification: z.string().nullable(),
  status: z.string(),
  createdDateTime: dateTime,
  scheduleInfo: scheduleInfoSchema.nullable().default(null),
});

const verifiedPublisherSchema = z.object({
  displayName: z.string().nullable().default(null),
  verifiedPublisherId: z.string().nullable().default(null),
  addedDateTime: dateTime.nullable().default(null),
});

const servicePrincipalSchema = z.object({
  id: guid,
  appId: guid,
  displayName: z.string(),
  appOwnerOrganizationId: guid.nullable().default(null),
  servicePrincipalType: z.string().default('Application'),
  accountEnabled: z.boolean().default(true),
  verifiedPublisher: verifiedPublisherSchema.default({
    displayName: null,
    verifiedPublisherId: null,
    addedDateTime: null,
  }),
});

const oauth2PermissionGrantSchema = z.object({
  id: z.string(),
  clientId: guid,
  consentType: z.enum(['Principal', 'AllPrincipals']),
  principalId: guid.nullable(),
  resourceId: guid,
  scope: z.string(),
});

const appRoleAssignmentSchema = z.object({
  id: z.string(),
  principalId: guid,
  principalType: z.string().default('User'),
  principalDisplayName: z.string().nullable().default(null),
  resourceId: guid,
  resourceDisplayName: z.string(),
  appRoleId: guid,
  createdDateTime: dateTime.nullable().default(null),
});

export const authMethodTypes = [
  'password',
  'phone',
  'email',
  'microsoftAuthenticator',
  'fido2',
  'softwareOath',
  'temporaryAccessPass',
  'windowsHelloForBusiness',
] as const;

const authMethodSchema = z.object({
  id: z.string(),
  userId: guid,
  type: z.enum(authMethodTypes),
  /** The user's default sign-in method; Graph refuses to delete it while other methods exist. */
  isDefault: z.boolean().default(false),
  createdDateTime: dateTime.nullable().default(null),
  phoneNumber: z.string().optional(),
  phoneType: z.enum(['mobile', 'alternateMobile', 'office']).optional(),
  smsSignInState: z.string().optional(),
  displayName: z.string().optional(),
  deviceTag: z.string().optional(),
  phoneAppVersion: z.string().optional(),
  emailAddress: z.string().optional(),
  model: z.string().optional(),
  aaGuid: z.string().optional(),
  /** Temporary Access Pass settings (the pass itself is never stored). */
  startDateTime: dateTime.optional(),
  lifetimeInMinutes: z.number().int().optional(),
  isUsableOnce: z.boolean().optional(),
});

const folderSchema = z.object({
  /** Derived from the mailbox and display name when omitted. */
  id: z.string().default(''),
  displayName: z.string(),
  /** Graph well-known folder name (inbox, archive, junkemail, deleteditems, ...), usable in place of the id. */
  wellKnownName: z.string().nullable().default(null),
  parentFolderId: z.string().nullable().default(null),
  isHidden: z.boolean().default(false),
  totalItemCount: z.number().int().default(0),
  unreadItemCount: z.number().int().default(0),
});

/** Rule conditions (and exceptions): Graph messageRulePredicates / Exchange …ContainsWords, MessageTypeMatches. */
const rulePredicatesSchema = z.object({
  subjectContains: z.array(z.string()).default([]),
  bodyContains: z.array(z.string()).default([]),
  subjectOrBodyContains: z.array(z.string()).default([]),
  senderContains: z.array(z.string()).default([]),
  fromAddresses: z.array(emailAddress).default([]),
  headerContains: z.array(z.string()).default([]),
  /** Exchange MessageTypeMatches values (NonDeliveryReport, AutomaticReply, ...). */
  messageTypes: z.array(z.string()).default([]),
});

const inboxRuleSchema = z.object({
  /** Exchange RuleIdentity (a decimal number as a string). */
  ruleIdentity: z.string().regex(/^\d+$/, 'must be a decimal number'),
  /** Graph messageRule id; derived from ruleIdentity when omitted. */
  graphId: z.string().optional(),
  name: z.string(),
  priority: z.number().int().min(1),
  enabled: z.boolean().default(true),
  /** Hidden rules are invisible to Graph and to Get-InboxRule without -IncludeHidden. */
  hidden: z.boolean().default(false),
  inError: z.boolean().default(false),
  readOnly: z.boolean().default(false),
  conditions: rulePredicatesSchema.default({
    subjectContains: [],
    bodyContains: [],
    subjectOrBodyContains: [],
    senderContains: [],
    fromAddresses: [],
    headerContains: [],
    messageTypes: [],
  }),
  /** Exchange ExceptIf… / Graph exceptions. */
  exceptions: rulePredicatesSchema.nullable().default(null),
  /**
   * When the rule was created / last changed. Get-InboxRule and Graph do not show either; the
   * simulator serves them as the unified audit log's New-InboxRule / Set-InboxRule records.
   */
  createdDateTime: dateTime.optional(),
  changedDateTime: dateTime.optional(),
  actions: z
    .object({
      forwardTo: z.array(emailAddress).default([]),
      redirectTo: z.array(emailAddress).default([]),
      forwardAsAttachmentTo: z.array(emailAddress).default([]),
      delete: z.boolean().default(false),
      permanentDelete: z.boolean().default(false),
      /** Folder id, or the folder's display name (resolved to its id at load). */
      moveToFolder: z.string().nullable().default(null),
      /** Folder id or display name, as moveToFolder. */
      copyToFolder: z.string().nullable().default(null),
      markAsRead: z.boolean().default(false),
      stopProcessingRules: z.boolean().default(false),
    })
    .default({
      forwardTo: [],
      redirectTo: [],
      forwardAsAttachmentTo: [],
      delete: false,
      permanentDelete: false,
      moveToFolder: null,
      copyToFolder: null,
      markAsRead: false,
      stopProcessingRules: false,
    }),
});

const mailboxPermissionSchema = z.object({
  user: z.string(),
  accessRights: z.array(z.string()),
  isInherited: z.boolean().default(false),
  deny: z.boolean().default(false),
});

const recipientPermissionSchema = z.object({
  trustee: z.string(),
  accessRights: z.array(z.string()),
  accessControlType: z.enum(['Allow', 'Deny']).default('Allow'),
  isInherited: z.boolean().default(false),
});

const mailboxSchema = z.object({
  userId: guid,
  /** Exchange alias; defaults to the UPN's local part. */
  alias: z.string().optional(),
  primarySmtpAddress: z.string(),
  /** "smtp:someone@example.com" or null. */
  forwardingSmtpAddress: z.string().nullable().default(null),
  /** A recipient identity inside the organisation, or null. */
  forwardingAddress: z.string().nullable().default(null),
  deliverToMailboxAndForward: z.boolean().default(false),
  grantSendOnBehalfTo: z.array(z.string()).default([]),
  folders: z.array(folderSchema).default([]),
  inboxRules: z.array(inboxRuleSchema).default([]),
  /** Explicit FullAccess grants; the "NT AUTHORITY\SELF" entry is added by the simulator. */
  permissions: z.array(mailboxPermissionSchema).default([]),
  /** Explicit SendAs grants; the "NT AUTHORITY\SELF" entry is added by the simulator. */
  recipientPermissions: z.array(recipientPermissionSchema).default([]),
});

const blockedSenderSchema = z.object({
  senderAddress: z.string(),
  reason: z.string().default('OutboundSpamLimitExceeded'),
  createdDatetime: dateTime.nullable().default(null),
});

const riskyUserSchema = z.object({
  id: guid,
  userPrincipalName: z.string(),
  userDisplayName: z.string(),
  riskLevel: z.enum(['low', 'medium', 'high', 'hidden', 'none', 'unknownFutureValue']),
  riskState: z.enum([
    'none',
    'confirmedSafe',
    'remediated',
    'dismissed',
    'atRisk',
    'confirmedCompromised',
    'unknownFutureValue',
  ]),
  riskDetail: z.string().default('none'),
  riskLastUpdatedDateTime: dateTime.nullable().default(null),
  isDeleted: z.boolean().default(false),
  isProcessing: z.boolean().default(false),
});

const signInSchema = z.object({
  id: guid,
  createdDateTime: dateTime,
  userId: guid,
  userPrincipalName: z.string(),
  userDisplayName: z.string(),
  appId: guid.nullable().default(null),
  appDisplayName: z.string(),
  clientAppUsed: z.string().default('Browser'),
  ipAddress: z.string(),
  isInteractive: z.boolean().default(true),
  location: z.object({
    city: z.string().nullable().default(null),
    state: z.string().nullable().default(null),
    countryOrRegion: z.string().nullable().default(null),
  }),
  status: z
    .object({
      errorCode: z.number().int().default(0),
      failureReason: z.string().nullable().default(null),
      additionalDetails: z.string().nullable().default(null),
    })
    .default({ errorCode: 0, failureReason: null, additionalDetails: null }),
  riskLevelDuringSignIn: z.string().default('none'),
  riskState: z.string().default('none'),
  conditionalAccessStatus: z.string().default('notApplied'),
});

export const fixtureSchema = z
  .object({
    $schema: z.string().optional(),
    tenant: tenantSchema,
    app: appSchema,
    users: z.array(userSchema),
    groups: z.array(groupSchema).default([]),
    roleDefinitions: z.array(roleDefinitionSchema).default([]),
    roleAssignments: z.array(roleAssignmentSchema).default([]),
    roleEligibilitySchedules: z.array(roleEligibilityScheduleSchema).default([]),
    roleEligibilityScheduleRequests: z.array(roleEligibilityScheduleRequestSchema).default([]),
    servicePrincipals: z.array(servicePrincipalSchema).default([]),
    oauth2PermissionGrants: z.array(oauth2PermissionGrantSchema).default([]),
    appRoleAssignments: z.array(appRoleAssignmentSchema).default([]),
    authenticationMethods: z.array(authMethodSchema).default([]),
    teamsAppInstallations: z.array(teamsAppInstallationSchema).default([]),
    mailboxes: z.array(mailboxSchema).default([]),
    blockedSenders: z.array(blockedSenderSchema).default([]),
    riskyUsers: z.array(riskyUserSchema).default([]),
    signIns: z.array(signInSchema).default([]),
  })
  .describe('Remediator simulated Microsoft 365 tenant fixture');

/** What a fixture file may contain (defaults not yet applied). */
export type FixtureInput = z.input<typeof fixtureSchema>;
/** A validated fixture, and the simulator's live state. */
export type Fixture = z.output<typeof fixtureSchema>;
export type TenantState = Fixture;
export type SimUser = Fixture['users'][number];
export type SimGroup = Fixture['groups'][number];
export type SimMailbox = Fixture['mailboxes'][number];
export type SimInboxRule = SimMailbox['inboxRules'][number];
export type SimFolder = SimMailbox['folders'][number];
export type SimAuthMethod = Fixture['authenticationMethods'][number];
export type SimRoleDefinition = Fixture['roleDefinitions'][number];
export type SimEmailAddress = SimInboxRule['actions']['forwardTo'][number];

export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

export const defaultFixturePath = path.join(__dirname, 'fixtures', 'contoso.json');

const relativeOffset = /^([+-])(\d+)(s|m|h|d)$/;
const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Resolves "-2h"-style offsets against `now`; anything else is returned unchanged. */
export function resolveRelativeTime(value: string, now: Date): string {
  const match = relativeOffset.exec(value.trim());
  if (!match) return value;
  const [, sign, amount, unit] = match;
  const delta = Number(amount) * unitMs[unit as keyof typeof unitMs] * (sign === '-' ? -1 : 1);
  return new Date(now.getTime() + delta).toISOString();
}

const dateTimeKey = /date ?time$/i;

function resolveTimes(value: unknown, now: Date, key = ''): unknown {
  if (typeof value === 'string') return dateTimeKey.test(key) ? resolveRelativeTime(value, now) : value;
  if (Array.isArray(value)) return value.map((item) => resolveTimes(item, now, ''));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([childKey, child]) => [childKey, resolveTimes(child, now, childKey)]),
    );
  }
  return value;
}

function formatPath(pathSegments: readonly PropertyKey[]): string {
  return pathSegments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const message =
    issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
      ? 'Required'
      : issue.message;
  return `${formatPath(issue.path) || '(root)'}: ${message}`;
}

/** Rule ids as Graph shows them: an opaque base64-style string (base64url here so it is path-safe). */
export function graphIdForRule(ruleIdentity: string): string {
  const bytes = Buffer.alloc(9);
  bytes.writeUInt8(1, 0);
  bytes.writeBigUInt64BE(BigInt(ruleIdentity) & 0xffffffffffffffffn, 1);
  return bytes.toString('base64url');
}

/** Deterministic folder id for folders the fixture lists without one. */
export function folderIdFor(userId: string, displayName: string): string {
  return `AAMkA${Buffer.from(`${userId}:${displayName}`).toString('base64url')}`;
}

function checkReferences(fixture: Fixture): string[] {
  const problems: string[] = [];
  const userIds = new Set(fixture.users.map((user) => user.id));
  fixture.mailboxes.forEach((mailbox, index) => {
    if (!userIds.has(mailbox.userId))
      problems.push(`mailboxes[${index}].userId: no user with id ${mailbox.userId}`);
    const identities = new Set<string>();
    mailbox.inboxRules.forEach((rule, ruleIndex) => {
      if (identities.has(rule.ruleIdentity))
        problems.push(`mailboxes[${index}].inboxRules[${ruleIndex}].ruleIdentity: duplicate`);
      identities.add(rule.ruleIdentity);
      for (const key of ['moveToFolder', 'copyToFolder'] as const) {
        const target = rule.actions[key];
        if (target !== null && !mailbox.folders.some((folder) => folder.id === target))
          problems.push(`mailboxes[${index}].inboxRules[${ruleIndex}].actions.${key}: no folder '${target}'`);
      }
    });
  });
  fixture.authenticationMethods.forEach((method, index) => {
    if (!userIds.has(method.userId))
      problems.push(`authenticationMethods[${index}].userId: no user with id ${method.userId}`);
  });
  const roleIds = new Set(fixture.roleDefinitions.map((role) => role.id));
  fixture.roleAssignments.forEach((assignment, index) => {
    if (!roleIds.has(assignment.roleDefinitionId))
      problems.push(
        `roleAssignments[${index}].roleDefinitionId: no role definition ${assignment.roleDefinitionId}`,
      );
  });
  return problems;
}

/** Fills in derived ids: folder ids, rule Graph ids, and rule folder names → folder ids. */
function completeDerivedFields(fixture: Fixture): void {
  for (const mailbox of fixture.mailboxes) {
    for (const folder of mailbox.folders) {
      if (folder.id === '') folder.id = folderIdFor(mailbox.userId, folder.displayName);
    }
    for (const rule of mailbox.inboxRules) {
      rule.graphId ??= graphIdForRule(rule.ruleIdentity);
      for (const key of ['moveToFolder', 'copyToFolder'] as const) {
        const target = rule.actions[key];
        if (target !== null && !mailbox.folders.some((folder) => folder.id === target)) {
          const byName = mailbox.folders.find(
            (folder) => folder.displayName.toLowerCase() === target.toLowerCase(),
          );
          if (byName) rule.actions[key] = byName.id;
        }
      }
    }
  }
}

/**
 * Validates a fixture (object or parsed JSON) and resolves relative times.
 * Throws FixtureError naming every bad field path, e.g. `users[1].userPrincipalName: Required`.
 */
export function parseFixture(input: unknown, now: Date = new Date()): Fixture {
  const result = fixtureSchema.safeParse(resolveTimes(input, now));
  if (!result.success) {
    throw new FixtureError(`Invalid fixture:\n${result.error.issues.map(formatIssue).join('\n')}`);
  }
  const fixture = result.data;
  completeDerivedFields(fixture);
  const problems = checkReferences(fixture);
  if (problems.length > 0) throw new FixtureError(`Invalid fixture:\n${problems.join('\n')}`);
  return fixture;
}

export function loadFixtureFile(filePath: string, now: Date = new Date()): Fixture {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new FixtureError(`Cannot read fixture ${filePath}: ${(error as Error).message}`);
  }
  return parseFixture(raw, now);
}

/** The JSON Schema published as src/simulator/fixture.schema.json (describes the file, before defaults). */
export function fixtureJsonSchema(): unknown {
  return z.toJSONSchema(fixtureSchema, { io: 'input', unrepresentable: 'any' });
}
