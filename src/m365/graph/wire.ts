import { z } from 'zod';

/**
 * Graph v1.0 wire shapes, validated at the edge. Only the properties the clients map are
 * declared; others are ignored. Nullable where Graph documents null.
 */

const nullableString = z.string().nullish();
const stringList = z.array(z.string()).nullish();

export const userWire = z.object({
  id: z.string(),
  displayName: nullableString,
  userPrincipalName: z.string(),
  mail: nullableString,
  jobTitle: nullableString,
  accountEnabled: z.boolean().nullish(),
  onPremisesSyncEnabled: z.boolean().nullish(),
  userType: nullableString,
  signInSessionsValidFromDateTime: nullableString,
});

export const directoryObjectWire = z.object({
  '@odata.type': z.string().optional(),
  id: z.string(),
  displayName: nullableString,
  isAssignableToRole: z.boolean().nullish(),
});

export const valueOfStrings = z.object({ value: z.array(z.string()) });

export const authMethodWire = z.object({
  '@odata.type': z.string(),
  id: z.string(),
  createdDateTime: nullableString,
  phoneNumber: nullableString,
  phoneType: nullableString,
  displayName: nullableString,
  deviceTag: nullableString,
  emailAddress: nullableString,
  model: nullableString,
});

export const temporaryAccessPassWire = z.object({
  id: z.string(),
  temporaryAccessPass: z.string(),
  startDateTime: nullableString,
  lifetimeInMinutes: z.number(),
  isUsableOnce: z.boolean(),
});

const recipientWire = z.object({
  emailAddress: z.object({ name: nullableString, address: nullableString }).nullish(),
});
const recipients = z.array(recipientWire).nullish();

const flagWire = z.boolean().nullish();

/** Graph messageRulePredicates (used for both conditions and exceptions). */
const messageRulePredicatesWire = z.object({
  subjectContains: stringList,
  bodyContains: stringList,
  bodyOrSubjectContains: stringList,
  senderContains: stringList,
  fromAddresses: recipients,
  recipientContains: stringList,
  sentToAddresses: recipients,
  headerContains: stringList,
  importance: nullableString,
  hasAttachments: flagWire,
  isApprovalRequest: flagWire,
  isAutomaticForward: flagWire,
  isAutomaticReply: flagWire,
  isEncrypted: flagWire,
  isMeetingRequest: flagWire,
  isMeetingResponse: flagWire,
  isNonDeliveryReport: flagWire,
  isPermissionControlled: flagWire,
  isReadReceipt: flagWire,
  isSigned: flagWire,
  isVoicemail: flagWire,
  /** Kilobytes, per Graph's sizeRange. */
  withinSizeRange: z
    .object({ minimumSize: z.number().nullish(), maximumSize: z.number().nullish() })
    .nullish(),
});
export type MessageRulePredicatesWire = z.output<typeof messageRulePredicatesWire>;

export const messageRuleWire = z.object({
  id: z.string(),
  displayName: nullableString,
  sequence: z.number().nullish(),
  isEnabled: z.boolean().nullish(),
  hasError: z.boolean().nullish(),
  isReadOnly: z.boolean().nullish(),
  conditions: messageRulePredicatesWire.nullish(),
  exceptions: messageRulePredicatesWire.nullish(),
  actions: z
    .object({
      forwardTo: recipients,
      redirectTo: recipients,
      forwardAsAttachmentTo: recipients,
      delete: z.boolean().nullish(),
      permanentDelete: z.boolean().nullish(),
      moveToFolder: nullableString,
      copyToFolder: nullableString,
      markAsRead: z.boolean().nullish(),
      stopProcessingRules: z.boolean().nullish(),
    })
    .nullish(),
});
export type MessageRuleWire = z.output<typeof messageRuleWire>;

export const mailFolderWire = z.object({
  id: z.string(),
  displayName: z.string(),
  parentFolderId: nullableString,
});
export type MailFolderWire = z.output<typeof mailFolderWire>;

/** Graph domain (GET /domains): the tenant's accepted domains. */
export const domainWire = z.object({
  id: z.string(),
  isVerified: z.boolean().nullish(),
  supportedServices: stringList,
});

const roleDefinitionWire = z.object({
  id: z.string(),
  displayName: nullableString,
  templateId: nullableString,
});

export const roleAssignmentWire = z.object({
  id: z.string(),
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: nullableString,
  roleDefinition: roleDefinitionWire.nullish(),
});
export type RoleAssignmentWire = z.output<typeof roleAssignmentWire>;

export const roleDefinitionOnly = roleDefinitionWire;

export const roleEligibilityWire = roleAssignmentWire;

export const permissionGrantWire = z.object({
  id: z.string(),
  clientId: z.string(),
  consentType: z.string(),
  principalId: nullableString,
  resourceId: z.string(),
  scope: nullableString,
});

export const servicePrincipalWire = z.object({
  id: z.string(),
  appId: nullableString,
  displayName: nullableString,
  verifiedPublisher: z.object({ displayName: nullableString }).nullish(),
});

export const appRoleAssignmentWire = z.object({
  id: z.string(),
  principalId: z.string(),
  resourceId: z.string(),
  resourceDisplayName: nullableString,
  appRoleId: z.string(),
  createdDateTime: nullableString,
});

export const riskyUserWire = z.object({
  id: z.string(),
  riskState: nullableString,
  riskLevel: nullableString,
});

export const signInWire = z.object({
  id: z.string(),
  createdDateTime: z.string(),
  ipAddress: nullableString,
  appDisplayName: nullableString,
  clientAppUsed: nullableString,
  location: z
    .object({ city: nullableString, state: nullableString, countryOrRegion: nullableString })
    .nullish(),
  status: z.object({ errorCode: z.number().nullish(), failureReason: nullableString }).nullish(),
  riskLevelDuringSignIn: nullableString,
});
