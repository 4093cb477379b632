import { z } from 'zod';
import type { BlockedSender, InboxRule } from '../types';

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

export function toExchangeInboxRule(wire: InboxRuleWire, hidden: boolean): InboxRule {
  const list = (values: string[] | null | undefined) => (values ?? []).map(parseRecipient);
  return {
    id: wire.Identity,
    source: 'exchange',
    name: wire.Name ?? '',
    enabled: wire.Enabled ?? true,
    hidden,
    readOnly: false,
    priority: wire.Priority ?? 0,
    conditions: {
      subjectContains: wire.SubjectContainsWords ?? [],
      bodyContains: wire.BodyContainsWords ?? [],
      subjectOrBodyContains: wire.SubjectOrBodyContainsWords ?? [],
      fromAddresses: list(wire.From),
      senderContains: wire.FromAddressContainsWords ?? [],
    },
    actions: {
      forwardTo: list(wire.ForwardTo),
      redirectTo: list(wire.RedirectTo),
      forwardAsAttachmentTo: list(wire.ForwardAsAttachmentTo),
      delete: wire.DeleteMessage ?? false,
      // SoftDeleteMessage skips Deleted Items (straight to Recoverable Items): Exchange's closest to Graph's permanentDelete.
      permanentDelete: wire.SoftDeleteMessage ?? false,
      moveToFolder: wire.MoveToFolder ? parseFolder(wire.MoveToFolder) : undefined,
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
