import type { InboxRule } from '../../m365/types';
import type { Suspicion } from '../contract';

export interface RuleScore {
  suspicion: Suspicion;
  /** Why, in words a responder understands; benign observations included. */
  reasons: string[];
}

export interface ScoreContext {
  /** Domains that belong to the tenant (e.g. contoso.com); subdomains count as inside. */
  tenantDomains: string[];
}

/** Folders attackers move mail to because nobody looks there (seen in BEC investigations). */
const HIDING_FOLDERS = [
  'rss subscriptions',
  'rss feeds',
  'junk email',
  'junk e-mail',
  'notes',
  'conversation history',
  'deleted items',
];
/** Also used to hide mail, but many people file mail there on purpose: suspicious only with other signs. */
const FILING_FOLDERS = ['archive'];

/** Words attackers filter on to hide replies from finance, IT or security. */
const SENSITIVE_KEYWORDS = [
  'invoice',
  'invoices',
  'payment',
  'payments',
  'wire',
  'bank',
  'banking',
  'remittance',
  'payroll',
  'transfer',
  'password',
  'security',
  'phish',
  'phishing',
  'hack',
  'hacked',
  'compromised',
  'mfa',
  'suspicious',
  'fraud',
  'verify',
  'verification',
  'unusual sign-in',
];

/** Sender fragments of people who would warn the victim. */
const WARNING_SENDERS = ['security', 'it', 'helpdesk', 'servicedesk', 'support', 'admin', 'soc', 'microsoft'];

const POINTS_FOR: Record<Exclude<Suspicion, 'none'>, number> = { high: 3, medium: 2, low: 1 };

function levelFor(score: number): Suspicion {
  if (score >= POINTS_FOR.high) return 'high';
  if (score >= POINTS_FOR.medium) return 'medium';
  if (score >= POINTS_FOR.low) return 'low';
  return 'none';
}

function lower(level: Suspicion): Suspicion {
  if (level === 'high') return 'medium';
  if (level === 'medium') return 'low';
  return 'none';
}

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

function folderName(moveToFolder: string): string {
  // Exchange reports "upn:\Folder"; Graph clients resolve the display name.
  const parts = moveToFolder.split('\\');
  return (parts[parts.length - 1] ?? moveToFolder).trim();
}

function matchesWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}([^a-z0-9]|$)`, 'i').test(text);
}

function sensitiveKeywordsIn(values: string[]): string[] {
  const found = new Set<string>();
  for (const value of values) {
    for (const keyword of SENSITIVE_KEYWORDS) {
      if (matchesWord(value, keyword)) found.add(value);
    }
  }
  return [...found];
}

function warningSendersIn(values: string[]): string[] {
  return values.filter((value) => {
    const local = extractAddress(value).split('@')[0] ?? value;
    return WARNING_SENDERS.some((fragment) => matchesWord(local.replace(/[._-]/g, ' '), fragment));
  });
}

function quoteList(values: string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

/**
 * Scores one inbox rule for signs of a business-email-compromise rule. Pure: the same rule
 * and tenant give the same answer, so it is tested by a case table.
 */
export function scoreInboxRule(rule: InboxRule, context: ScoreContext): RuleScore {
  const reasons: string[] = [];
  let score = 0;
  const domains = context.tenantDomains.join(', ') || 'the tenant';
  const { actions, conditions } = rule;

  const forwarding: [string, string[]][] = [
    ['forwards', actions.forwardTo],
    ['redirects', actions.redirectTo],
    ['forwards as attachment', actions.forwardAsAttachmentTo],
  ];
  let forwardsOutside = false;
  for (const [verb, recipients] of forwarding) {
    for (const recipient of recipients) {
      const address = extractAddress(recipient);
      if (isInsideTenant(address, context.tenantDomains)) {
        reasons.push(`${verb} to ${address} (inside ${domains})`);
      } else {
        forwardsOutside = true;
        score += POINTS_FOR.high;
        reasons.push(`${verb} to ${address} (outside ${domains})`);
      }
    }
  }

  const keywords = sensitiveKeywordsIn([
    ...conditions.subjectContains,
    ...conditions.bodyContains,
    ...conditions.subjectOrBodyContains,
  ]);
  const warningSenders = warningSendersIn([...conditions.fromAddresses, ...conditions.senderContains]);
  const filterText = describeFilter(rule, keywords);

  let conceals = false;
  if (actions.permanentDelete) {
    conceals = true;
    score += POINTS_FOR.high;
    reasons.push(`permanently deletes mail${filterText}`);
  } else if (actions.delete) {
    conceals = true;
    score += POINTS_FOR.medium;
    reasons.push(`deletes mail${filterText}`);
  }
  if (actions.moveToFolder) {
    const folder = folderName(actions.moveToFolder);
    if (HIDING_FOLDERS.includes(folder.toLowerCase())) {
      conceals = true;
      score += POINTS_FOR.medium;
      reasons.push(`moves mail${filterText} to '${folder}', a folder people rarely look at`);
    } else if (FILING_FOLDERS.includes(folder.toLowerCase())) {
      conceals = true;
      score += POINTS_FOR.low;
      reasons.push(`moves mail${filterText} to '${folder}' (common for filing, also used to hide mail)`);
    } else {
      reasons.push(`moves mail${filterText} to '${folder}'`);
    }
  }
  if (actions.markAsRead) {
    conceals = true;
    score += POINTS_FOR.low;
    reasons.push('marks mail as read');
  }

  if (keywords.length > 0) {
    score += POINTS_FOR.low;
    if (conceals || forwardsOutside) score += POINTS_FOR.medium;
    reasons.push(`filters on finance or security words: ${quoteList(keywords)}`);
  }
  if (warningSenders.length > 0 && (conceals || forwardsOutside)) {
    score += POINTS_FOR.medium;
    reasons.push(`acts on mail from people who would warn the user: ${quoteList(warningSenders)}`);
  }

  if (/^[\p{P}\p{S}\s]*$/u.test(rule.name)) {
    score += POINTS_FOR.medium;
    reasons.push(
      rule.name.trim() === '' ? 'has a blank name' : `has a punctuation-only name ('${rule.name}')`,
    );
  }
  if (rule.hidden) {
    score += POINTS_FOR.high;
    reasons.push('is hidden (only Exchange Get-InboxRule -IncludeHidden shows it; Outlook does not)');
  }

  let suspicion = levelFor(score);
  if (!rule.enabled) {
    suspicion = lower(suspicion);
    reasons.push('is disabled');
  }
  if (rule.readOnly) {
    suspicion = lower(suspicion);
    reasons.push('is read-only (maintained by a client or policy)');
  }
  if (reasons.length === 0) reasons.push('nothing suspicious: no forwarding, deletion or hiding');
  return { suspicion, reasons };
}

function describeFilter(rule: InboxRule, keywords: string[]): string {
  const { conditions } = rule;
  if (keywords.length > 0) {
    const inSubject = conditions.subjectContains.filter((word) => keywords.includes(word));
    if (inSubject.length > 0) return ` whose subject contains ${quoteList(inSubject)}`;
    return ` containing ${quoteList(keywords)}`;
  }
  const senders = [...conditions.fromAddresses, ...conditions.senderContains];
  if (senders.length > 0) return ` from ${senders.map(extractAddress).join(', ')}`;
  if (conditions.subjectContains.length > 0)
    return ` whose subject contains ${quoteList(conditions.subjectContains)}`;
  return '';
}
