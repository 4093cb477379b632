import type { InboxRuleConditions } from '../../m365/types';
import type { Message } from '../../i18n/message';
import { message } from '../../i18n/message';
import { matchKey } from './normalise';
import {
  BULK_SENDER_KEYS,
  FINANCE_KEYS,
  SECURITY_KEYS,
  WARNING_SENDER_KEYS,
  containsTerm,
  termsIn,
} from './vocabulary';

/**
 * What an inbox rule's conditions select: addresses inside or outside the tenant, the sensitive
 * words it files on, senders who would warn the user, and conditions that match every message.
 * The scorer (scoreInboxRule.ts) weighs these; they are kept apart so each reads on its own.
 */

/** Domains Microsoft sends account-security and sign-in warnings from. */
const WARNING_DOMAINS = ['accountprotection.microsoft.com', 'microsoftonline.com', 'security.microsoft.com'];

/** Header names every message carries: a header condition on them matches everything. */
const UNIVERSAL_HEADERS = new Set([
  'received',
  'from',
  'to',
  'date',
  'subject',
  'message-id',
  'mime-version',
  'content-type',
  'return-path',
  'x-ms-exchange-organization-authas',
  'authentication-results',
]);

/** Sender conditions this common match practically every address. */
const UNIVERSAL_SENDER_FRAGMENTS = new Set(['@', '.', 'com', '.com', 'net', '.net', 'org', '.org', 'mail']);

/** Accepts a bare address or Exchange's `"Name" [SMTP:addr]` form. */
export function extractAddress(recipient: string): string {
  const match = /[^\s<>"[\]:]+@[^\s<>"[\]]+/.exec(recipient);
  return (match ? match[0] : recipient).toLowerCase();
}

export function isInsideTenant(address: string, tenantDomains: string[]): boolean {
  const domain = extractAddress(address).split('@')[1];
  if (!domain) return false;
  return tenantDomains.some((tenant) => {
    const d = tenant.toLowerCase();
    return domain === d || domain.endsWith(`.${d}`);
  });
}

export function list(values: string[] | undefined): string[] {
  return values ?? [];
}

export function keywordValues(conditions: Partial<InboxRuleConditions>): string[] {
  return [
    ...list(conditions.subjectContains),
    ...list(conditions.bodyContains),
    ...list(conditions.subjectOrBodyContains),
  ];
}

export function senderValues(conditions: Partial<InboxRuleConditions>): string[] {
  return [...list(conditions.fromAddresses), ...list(conditions.senderContains)];
}

/** The values whose normalised text contains a finance or security term. */
export function sensitiveValues(values: string[]): string[] {
  return values.filter((value) => {
    const key = matchKey(value);
    return termsIn(key, FINANCE_KEYS).length > 0 || termsIn(key, SECURITY_KEYS).length > 0;
  });
}

/** Sender values whose local part (or a known alerting domain) names someone who would warn the user. */
export function warningSenders(values: string[]): string[] {
  return values.filter((value) => {
    const address = matchKey(extractAddress(value));
    const [local = address, domain = ''] = address.split('@');
    const words = local.replace(/[._-]/g, ' ');
    return (
      WARNING_SENDER_KEYS.some((fragment) => containsTerm(words, fragment)) ||
      WARNING_DOMAINS.some((known) => domain === known || domain.endsWith(`.${known}`))
    );
  });
}

export function looksBulk(value: string): boolean {
  const words = matchKey(extractAddress(value)).replace(/[@._-]/g, ' ');
  return BULK_SENDER_KEYS.some((fragment) => containsTerm(words, fragment));
}

/** A value that matches practically every message: a lone letter (vowel lists), NUL, blank or punctuation. */
export function isTrivial(value: string): boolean {
  const key = matchKey(value);
  return key.length <= 1 || /^[\p{P}\p{S}\s]*$/u.test(key);
}

export type EverythingReason = 'noCondition' | 'trivialWords' | 'sizeRange' | 'header';

/**
 * Why the rule's conditions match (practically) every message, or undefined when they are narrow.
 * Conditions are AND-ed across kinds and OR-ed within one, so one trivial value in a list makes that
 * whole kind match everything; every kind present must be trivial.
 */
export function matchesEverything(conditions: InboxRuleConditions): EverythingReason | undefined {
  const reasons: EverythingReason[] = [];
  const narrow: boolean[] = [];
  const textKinds = [
    conditions.subjectContains,
    conditions.bodyContains,
    conditions.subjectOrBodyContains,
    list(conditions.recipientContains),
  ];
  for (const values of textKinds) {
    if (values.length === 0) continue;
    const trivial = values.some(isTrivial);
    narrow.push(!trivial);
    if (trivial) reasons.push('trivialWords');
  }
  const senders = senderValues(conditions);
  if (senders.length > 0) {
    const trivial = senders.some(
      (value) => isTrivial(value) || UNIVERSAL_SENDER_FRAGMENTS.has(matchKey(value)),
    );
    narrow.push(!trivial);
    if (trivial) reasons.push('trivialWords');
  }
  const headers = list(conditions.headerContains);
  if (headers.length > 0) {
    const trivial = headers.some(
      (value) => isTrivial(value) || UNIVERSAL_HEADERS.has(matchKey(value).replace(/:$/, '')),
    );
    narrow.push(!trivial);
    if (trivial) reasons.push('header');
  }
  const size = conditions.sizeRange;
  if (size && (size.minimumKilobytes !== undefined || size.maximumKilobytes !== undefined)) {
    const everything = (size.minimumKilobytes ?? 0) <= 1 && (size.maximumKilobytes ?? Infinity) >= 25_000;
    narrow.push(!everything);
    if (everything) reasons.push('sizeRange');
  }
  if (list(conditions.sentToAddresses).length > 0) narrow.push(true);
  if (list(conditions.messageTypes).length > 0) narrow.push(true);
  if (conditions.hasAttachments !== undefined) narrow.push(true);
  if (conditions.importance !== undefined && conditions.importance !== '') narrow.push(true);
  if (narrow.length === 0) return 'noCondition';
  if (narrow.some((isNarrow) => isNarrow)) return undefined;
  return reasons[0] ?? 'noCondition';
}

export function filterOf(conditions: InboxRuleConditions, sensitive: string[]): Message | undefined {
  if (sensitive.length > 0) {
    const inSubject = conditions.subjectContains.filter((word) => sensitive.includes(word));
    if (inSubject.length > 0) return message('filter.subject', { values: inSubject });
    return message('filter.containing', { values: sensitive });
  }
  const senders = senderValues(conditions);
  if (senders.length > 0) return message('filter.from', { values: senders.map(extractAddress) });
  if (conditions.subjectContains.length > 0)
    return message('filter.subject', { values: conditions.subjectContains });
  return undefined;
}
