import { z } from 'zod';
import type { Json } from '../storage';

/**
 * Action payloads are stored as JSON and read back after a restart, so each step
 * narrows its payload through one of these schemas instead of trusting a cast.
 */

export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

const ruleConditionsShape = {
  subjectContains: z.array(z.string()),
  bodyContains: z.array(z.string()),
  subjectOrBodyContains: z.array(z.string()),
  fromAddresses: z.array(z.string()),
  senderContains: z.array(z.string()),
  recipientContains: z.array(z.string()).optional(),
  sentToAddresses: z.array(z.string()).optional(),
  headerContains: z.array(z.string()).optional(),
  messageTypes: z.array(z.string()).optional(),
  hasAttachments: z.boolean().optional(),
  importance: z.string().optional(),
  sizeRange: z
    .object({ minimumKilobytes: z.number().optional(), maximumKilobytes: z.number().optional() })
    .optional(),
};
const folderIdentitySchema = z.object({
  wellKnownName: z.string().optional(),
  within: z.string().optional(),
});

export const inboxRuleSchema = z.object({
  id: z.string(),
  source: z.enum(['graph', 'exchange']),
  name: z.string(),
  enabled: z.boolean(),
  hidden: z.boolean(),
  readOnly: z.boolean(),
  priority: z.number(),
  conditions: z.object(ruleConditionsShape),
  exceptions: z.object(ruleConditionsShape).partial().optional(),
  actions: z.object({
    forwardTo: z.array(z.string()),
    redirectTo: z.array(z.string()),
    forwardAsAttachmentTo: z.array(z.string()),
    delete: z.boolean(),
    permanentDelete: z.boolean(),
    moveToFolder: z.string().optional(),
    moveToFolderIdentity: folderIdentitySchema.optional(),
    copyToFolder: z.string().optional(),
    copyToFolderIdentity: folderIdentitySchema.optional(),
    markAsRead: z.boolean(),
    stopProcessingRules: z.boolean(),
  }),
  changedDateTime: z.string().optional(),
});

export const forwardingSchema = z.object({
  forwardingSmtpAddress: z.string().nullable(),
  forwardingAddress: z.string().nullable(),
  deliverToMailboxAndForward: z.boolean(),
});

export const roleAssignmentSchema = z.object({
  id: z.string(),
  principalId: z.string(),
  roleDefinitionId: z.string(),
  roleName: z.string(),
  directoryScopeId: z.string(),
});

export const groupMembershipSchema = z.object({
  groupId: z.string(),
  displayName: z.string(),
  isAssignableToRole: z.boolean(),
});

export const authMethodSchema = z.object({
  id: z.string(),
  kind: z.enum([
    'password',
    'phone',
    'email',
    'microsoftAuthenticator',
    'fido2',
    'softwareOath',
    'temporaryAccessPass',
    'windowsHelloForBusiness',
    'platformCredential',
    'other',
  ]),
  detail: z.string(),
  createdDateTime: z.string().optional(),
});

export const permissionGrantSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientDisplayName: z.string(),
  resourceId: z.string(),
  resourceDisplayName: z.string(),
  consentType: z.enum(['Principal', 'AllPrincipals']),
  principalId: z.string().nullable(),
  scope: z.string(),
});

export const appRoleAssignmentSchema = z.object({
  id: z.string(),
  principalId: z.string(),
  resourceId: z.string(),
  resourceDisplayName: z.string(),
  appRoleId: z.string(),
});

export const delegateSchema = z.object({
  mailbox: z.string(),
  trustee: z.string(),
  right: z.enum(['FullAccess', 'SendAs', 'SendOnBehalf']),
});
