import { z } from 'zod';
import type { BlockedSender, InboxRule, InboxRuleConditions } from '../types';

/**
 * Exchange cmdlet output as InvokeCommand serialises it (PascalCase properties), validated at
 * the edge and mapped to domain types.
 */

const stringList = z.array(z.string()).nullish();
const flag = z.boolean().nullish();

export const inboxRuleWire = z.object({
  Identity: z.string(),
  RuleIdentity: z.union([z.string(), z.number()]).nullish(),
  Name: z.string().nullish(),
  Enabled: flag,
  Priority: z.number().nullish(),
  ForwardTo: stringList,
  RedirectTo: stringList,
  ForwardAsAttachmentTo: stringList,
  DeleteMessage: flag,
  SoftDeleteMessage: flag,
  MoveToFolder: z.string().nullish(),
  MarkAsRead: flag,
  StopProcessingRules: flag,
  SubjectContainsWords: stringList,
  BodyContainsWords: stringList,
  SubjectOrBodyContainsWords: stringList,
  From: stringList,
  FromAddressContainsWords: stringList,
  RecipientAddressContainsWords: stringList,
  SentTo: stringList,
  HeaderContainsWords: stringList,
  MessageTypeMatches: z.string().nullish(),
  HasAttachment: flag,
  WithImportance: z.string().nullish(),
  WithinSizeRangeMinimum: z.union([z.string(), z.number()]).nullish(),
  WithinSizeRangeMaximum: z.union([z.string(), z.number()]).nullish(),
  CopyToFolder: z.string().nullish(),
  ExceptIfSubjectContainsWords: stringList,
  ExceptIfBodyContainsWords: stringList,
  ExceptIfSubjectOrBodyContainsWords: stringList,
  ExceptIfFrom: stringList,
  ExceptIfFromAddressContainsWords: stringList,
  ExceptIfRecipientAddressContainsWords: stringList,
  ExceptIfSentTo: stringList,
  ExceptIfHeaderContainsWords: stringList,
  ExceptIfMessageTypeMatches: z.string().nullish(),
  InError: flag,
});
export type InboxRuleWire = z.output<typeof inboxRuleWire>;

export const mailboxWire = z.object({
  Identity: z.string(),
  UserPrincipalName: z.string().nullish(),
  PrimarySmtpAddress: z.string().nullish(),
  ForwardingSmtpAddress: z.string().nullish(),
  ForwardingAddress: z.string().nullish(),
  DeliverToMailboxAndForward: flag,
  GrantSendOnBehalfTo: stringList,
});

export const mailboxPermissionWire = z.object({
  Identity: z.string().nullish(),
  User: z.string(),
  AccessRights: z.array(z.string()),
  IsInherited: flag,
  Deny: flag,
});

export const recipientPermissionWire = z.object({
  Identity: z.string().nullish(),
  Trustee: z.string(),
  AccessRights: z.array(z.string()),
  AccessControlType: z.string().nullish(),
  IsInherited: flag,
});

export const blockedSenderWire = z.object({
  SenderAddress: z.string(),
  Reason: z.string().nullish(),
  CreatedDatetime: z.string().nullish(),
});

/** The mailbox's own permission entry, present on every mailbox: not a delegate. */
export const SELF_PRINCIPAL = 'NT AUTHORITY\\SELF';

/**
 * Exchange formats recipients as `"Display Name" [SMTP:addr@domain]`. Returns the address;
 * for a non-SMTP form (e.g. `[EX:/o=…]`) the display name; otherwise the text as given.
 */
export function parseRecipient(text: string): string {
  const smtp = /\[smtp:([^\]]+)\]/i.exec(text);
  if (smtp?.[1]) return smtp[1].trim();
  const quoted = /^"([^"]*)"/.exec(text.trim());
  if (quoted?.[1] && /\[[A-Za-z]+:/.test(text)) return quoted[1];
  return text.trim().replace(/^smtp:/i, '');
}

/** Exchange gives MoveToFolder as `<mailbox>:\Folder\Sub`; the domain wants "Folder\Sub". */
export function parseFolder(text: string): string {
  const separator = text.indexOf(':\\');
  return separator >= 0 ? text.slice(separator + 2) : text;
}

/** ForwardingSmtpAddress comes as "smtp:x@y" (ProxyAddress form); the domain wants the address. */
export function parseSmtpAddress(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  return text.trim().replace(/^smtp:/i, '');
}

/**
 * Exchange serialises a ByteQuantifiedSize as text ("1 KB (1,024 bytes)") or a byte count.
 * Returns kilobytes, or undefined when it cannot be read.
 */
export function parseKilobytes(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value / 1024;
  const bytes = /\(([\d,.\s]+) bytes\)/i.exec(value);
  if (bytes?.[1]) return Number(bytes[1].replace(/[,.\s]/g, '')) / 1024;
  const plain = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$/i.exec(value);
  if (!plain?.[1]) return undefined;
  const scale: Record<string, number> = { B: 1 / 1024, KB: 1, MB: 1024, GB: 1024 * 1024 };
  return Number(plain[1]) * (scale[(plain[2] ?? 'B').toUpperCase()] ?? 1);
}

function messageTypes(value: string | null | undefined): string[] | undefined {
  return value ? [value] : undefined;
}

export function toExchangeInboxRule(wire: InboxRuleWire, hidden: boolean): InboxRule {
  const list = (values: string[] | null | undefined) => (values ?? []).map(parseRecipient);
  const conditions: InboxRuleConditions = {
    subjectContains: wire.SubjectContainsWords ?? [],
    bodyContains: wire.BodyContainsWords ?? [],
    subjectOrBodyContains: wire.SubjectOrBodyContainsWords ?? [],
    fromAddresses: list(wire.From),
    senderContains: wire.FromAddressContainsWords ?? [],
  };
  if (wire.RecipientAddressContainsWords?.length)
    conditions.recipientContains = wire.RecipientAddressContainsWords;
  if (wire.SentTo?.length) conditions.sentToAddresses = list(wire.SentTo);
  if (wire.HeaderContainsWords?.length) conditions.headerContains = wire.HeaderContainsWords;
  const types = messageTypes(wire.MessageTypeMatches);
  if (types) conditions.messageTypes = types;
  if (typeof wire.HasAttachment === 'boolean' && wire.HasAttachment) conditions.hasAttachments = true;
  if (wire.WithImportance) conditions.importance = wire.WithImportance;
  const minimum = parseKilobytes(wire.WithinSizeRangeMinimum);
  const maximum = parseKilobytes(wire.WithinSizeRangeMaximum);
  if (minimum !== undefined || maximum !== undefined) {
    conditions.sizeRange = {
      ...(minimum !== undefined ? { minimumKilobytes: minimum } : {}),
      ...(maximum !== undefined ? { maximumKilobytes: maximum } : {}),
    };
  }
  const exceptions: Partial<InboxRuleConditions> = {};
  if (wire.ExceptIfSubjectContainsWords?.length)
    exceptions.subjectContains = wire.ExceptIfSubjectContainsWords;
  if (wire.ExceptIfBodyContainsWords?.length) exceptions.bodyContains = wire.ExceptIfBodyContainsWords;
  if (wire.ExceptIfSubjectOrBodyContainsWords?.length)
    exceptions.subjectOrBodyContains = wire.ExceptIfSubjectOrBodyContainsWords;
  if (wire.ExceptIfFrom?.length) exceptions.fromAddresses = list(wire.ExceptIfFrom);
  if (wire.ExceptIfFromAddressContainsWords?.length)
    exceptions.senderContains = wire.ExceptIfFromAddressContainsWords;
  if (wire.ExceptIfRecipientAddressContainsWords?.length)
    exceptions.recipientContains = wire.ExceptIfRecipientAddressContainsWords;
  if (wire.ExceptIfSentTo?.length) exceptions.sentToAddresses = list(wire.ExceptIfSentTo);
  if (wire.ExceptIfHeaderContainsWords?.length) exceptions.headerContains = wire.ExceptIfHeaderContainsWords;
  const exceptTypes = messageTypes(wire.ExceptIfMessageTypeMatches);
  if (exceptTypes) exceptions.messageTypes = exceptTypes;
  return {
    id: wire.Identity,
    source: 'exchange',
    name: wire.Name ?? '',
    enabled: wire.Enabled ?? true,
    hidden,
    readOnly: false,
    priority: wire.Priority ?? 0,
    conditions,
    ...(Object.keys(exceptions).length > 0 ? { exceptions } : {}),
    actions: {
      forwardTo: list(wire.ForwardTo),
      redirectTo: list(wire.RedirectTo),
      forwardAsAttachmentTo: list(wire.ForwardAsAttachmentTo),
      delete: wire.DeleteMessage ?? false,
      // SoftDeleteMessage skips Deleted Items (straight to Recoverable Items): Exchange's closest to Graph's permanentDelete.
      permanentDelete: wire.SoftDeleteMessage ?? false,
      moveToFolder: wire.MoveToFolder ? parseFolder(wire.MoveToFolder) : undefined,
      ...(wire.CopyToFolder ? { copyToFolder: parseFolder(wire.CopyToFolder) } : {}),
      markAsRead: wire.MarkAsRead ?? false,
      stopProcessingRules: wire.StopProcessingRules ?? false,
    },
  };
}

export function toBlockedSender(wire: z.output<typeof blockedSenderWire>): BlockedSender {
  return {
    senderAddress: wire.SenderAddress,
    reason: wire.Reason ?? '',
    createdDateTime: wire.CreatedDatetime ?? undefined,
  };
}
