import type { FolderIdentity, InboxRule } from '../../m365/types';
import type { Message } from '../../i18n/message';
import { message } from '../../i18n/message';
import type { Suspicion } from '../contract';
import { folderDisplayName, folderRole, wellKnownOfName } from './folders';
import type { FolderRole } from './folders';
import {
  extractAddress,
  filterOf,
  isInsideTenant,
  isTrivial,
  keywordValues,
  list,
  looksBulk,
  matchesEverything,
  senderValues,
  sensitiveValues,
  warningSenders,
} from './conditions';
import { hasInvisibleCharacters, hasLookalikeLetters, matchKey } from './normalise';
import { DEPARTMENT_FOLDER_KEYS, FINANCE_KEYS, SECURITY_KEYS, termsIn } from './vocabulary';

export { extractAddress, isInsideTenant } from './conditions';

export interface RuleScore {
  suspicion: Suspicion;
  /** Why, as messages rendered per locale at the edge; benign observations included. */
  reasons: Message[];
  /** One of Exchange's own hidden rules (junk mail, automatic replies): never proposed for deletion. */
  systemRule: boolean;
}

export interface CompromiseWindow {
  /** ISO time the compromise is believed to have started (first risky sign-in or audit event). */
  start: string;
  /** ISO time it ended (containment); open when unset. */
  end?: string;
}

export interface ScoreContext {
  /** Domains that belong to the tenant (accepted domains, e.g. contoso.com, contoso.onmicrosoft.com); subdomains count as inside. */
  tenantDomains: string[];
  /** When the sign-in evidence or audit data gives one: rules changed inside it weigh more. */
  compromiseWindow?: CompromiseWindow;
}

const POINTS_FOR: Record<Exclude<Suspicion, 'none'>, number> = { high: 3, medium: 2, low: 1 };

/**
 * Exchange's own hidden rules, by exact name (Get-InboxRule -IncludeHidden lists them in every
 * mailbox that uses junk filtering or automatic replies). A look-alike name is not one of them.
 */
const SYSTEM_RULE_NAMES = new Set([
  'Junk E-mail Rule',
  'Microsoft.Exchange.OOF.KnownSenders.Global',
  'Microsoft.Exchange.OOF.InternalSenders.Global',
  'Microsoft.Exchange.OOF.KnownExternalSenders.Global',
  'Microsoft.Exchange.OOF.AllExternalSenders.Global',
]);

/** Message types whose hiding conceals mail sent from the account: the bounces of a phishing run. */
const SENT_MAIL_EVIDENCE_TYPES = new Set(['nondeliveryreport']);

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

function withFilter(params: Record<string, string>, filter: Message | undefined): Message['params'] {
  return filter === undefined ? params : { ...params, filter };
}

const MOVE_CODE: Record<FolderRole, string> = {
  conceal: 'rule.moveConceal',
  discard: 'rule.moveDiscard',
  archive: 'rule.moveArchive',
  custom: 'rule.moveCustom',
  inbox: 'rule.moveCustom',
};
const MOVE_POINTS: Record<FolderRole, number> = { conceal: 2, discard: 1, archive: 1, custom: 0, inbox: 0 };

/** Whether the folder is named after the words the rule files on ("payment" into "Payments"). */
function filedByTopic(folder: string, sensitive: string[]): boolean {
  const folderKey = matchKey(folderDisplayName(folder));
  if (folderKey.length < 2) return false;
  // A folder about the same subject ("invoice" into "Accounting", "password" into "IT") is filing too.
  if (termsIn(folderKey, [...DEPARTMENT_FOLDER_KEYS, ...FINANCE_KEYS, ...SECURITY_KEYS]).length > 0)
    return true;
  if (folderKey.length < 3) return false;
  return sensitive.some((value) => {
    const key = matchKey(value);
    const stem = (text: string) => text.slice(0, Math.max(4, Math.min(text.length, 6)));
    return folderKey.includes(stem(key)) || key.includes(stem(folderKey));
  });
}

/** Whether the folder is named after the sender ("jira@…" into "Jira"): filing, not hiding. */
function filedBySender(folder: string, senders: string[]): boolean {
  const folderKey = matchKey(folderDisplayName(folder));
  if (folderKey.length < 3) return false;
  return senders.some((sender) =>
    matchKey(extractAddress(sender))
      .split(/[@._-]/)
      .some((part) => part.length >= 3 && (folderKey.includes(part) || part.includes(folderKey.slice(0, 5)))),
  );
}

function isSystemRule(rule: InboxRule, identity: FolderIdentity | undefined): boolean {
  if (!SYSTEM_RULE_NAMES.has(rule.name)) return false;
  const { actions } = rule;
  const forwards =
    actions.forwardTo.length + actions.redirectTo.length + actions.forwardAsAttachmentTo.length;
  if (forwards > 0 || actions.delete || actions.permanentDelete || actions.copyToFolder) return false;
  if (actions.moveToFolder === undefined) return true;
  // The junk mail rule moves to Junk Email, nowhere else.
  const target = identity?.wellKnownName ?? wellKnownOfName(folderDisplayName(actions.moveToFolder));
  return rule.name === 'Junk E-mail Rule' && target === 'junkemail';
}

function insideWindow(at: string | undefined, window: CompromiseWindow | undefined): boolean {
  if (at === undefined || window === undefined) return false;
  const time = Date.parse(at);
  const start = Date.parse(window.start);
  const end = window.end === undefined ? Infinity : Date.parse(window.end);
  return Number.isFinite(time) && Number.isFinite(start) && time >= start && time <= end;
}

/**
 * Scores one inbox rule for signs of a business-email-compromise rule. Pure: the same rule and
 * context give the same answer, so it is tested by case tables and a labelled corpus.
 */
export function scoreInboxRule(rule: InboxRule, context: ScoreContext): RuleScore {
  const reasons: Message[] = [];
  let score = 0;
  const domains = context.tenantDomains;
  const { actions, conditions } = rule;
  const exceptions = rule.exceptions ?? {};

  const moveRole =
    actions.moveToFolder === undefined
      ? undefined
      : folderRole(actions.moveToFolder, actions.moveToFolderIdentity);
  if (isSystemRule(rule, actions.moveToFolderIdentity)) {
    return {
      suspicion: 'none',
      reasons: [message('rule.systemRule', { name: rule.name })],
      systemRule: true,
    };
  }

  const forwarding: ['forward' | 'redirect' | 'attachment', string[]][] = [
    ['forward', actions.forwardTo],
    ['redirect', actions.redirectTo],
    ['attachment', actions.forwardAsAttachmentTo],
  ];
  let forwardsOutside = false;
  for (const [how, recipients] of forwarding) {
    for (const recipient of recipients) {
      const address = extractAddress(recipient);
      if (isInsideTenant(address, domains)) {
        reasons.push(message('rule.forwardsInside', { how, address, domains }));
      } else {
        forwardsOutside = true;
        score += POINTS_FOR.high;
        reasons.push(message('rule.forwardsOutside', { how, address, domains }));
      }
    }
  }

  const sensitive = sensitiveValues([...keywordValues(conditions), ...list(conditions.headerContains)]);
  const warning = warningSenders(senderValues(conditions));
  const everything = matchesEverything(conditions);
  const filter = filterOf(conditions, sensitive);

  // Concealment: the victim does not see the mail (deleted, hidden away, already read).
  let conceals = false;
  let removesFromInbox = false;
  if (actions.permanentDelete) {
    conceals = true;
    removesFromInbox = true;
    score += POINTS_FOR.high;
    reasons.push(message('rule.permanentDelete', withFilter({}, filter)));
  } else if (actions.delete) {
    conceals = true;
    removesFromInbox = true;
    score += POINTS_FOR.low;
    reasons.push(message('rule.delete', withFilter({}, filter)));
  }
  let filing = false;
  if (actions.moveToFolder !== undefined && moveRole !== undefined && moveRole !== 'inbox') {
    const folder = folderDisplayName(actions.moveToFolder);
    removesFromInbox = true;
    filing = moveRole === 'custom' && sensitive.length > 0 && filedByTopic(actions.moveToFolder, sensitive);
    if (moveRole !== 'custom') conceals = true;
    score += MOVE_POINTS[moveRole];
    reasons.push(message(MOVE_CODE[moveRole], withFilter({ folder }, filter)));
    if (moveRole === 'custom' && (isTrivial(folder) || hasInvisibleCharacters(actions.moveToFolder))) {
      conceals = true;
      score += POINTS_FOR.medium;
      reasons.push(message('rule.oddFolderName', { folder }));
    }
  }
  let stashes = false;
  if (actions.copyToFolder !== undefined) {
    const role = folderRole(actions.copyToFolder, actions.copyToFolderIdentity);
    const folder = folderDisplayName(actions.copyToFolder);
    // A copy kept where nobody looks is a stash for the attacker to read later.
    stashes = role === 'conceal';
    if (stashes) score += POINTS_FOR.low;
    reasons.push(message('rule.copyTo', { folder, hidden: role === 'conceal' ? 1 : 0 }));
  }
  // Marking read hides mail only together with something else: a broad or sensitive filter, or another way of hiding.
  // Archive is where people file on purpose: it amplifies only together with a broader sign.
  const hidesElsewhere = actions.delete || actions.permanentDelete || (conceals && moveRole !== 'archive');
  if (actions.markAsRead) {
    conceals = true;
    reasons.push(message('rule.markRead'));
  }

  if (sensitive.length > 0) {
    score += POINTS_FOR.low;
    if (filing) {
      reasons.push(message('rule.sensitiveWords', { words: sensitive }));
      reasons.push(message('rule.filedByTopic', { folder: folderDisplayName(actions.moveToFolder ?? '') }));
    } else {
      if (conceals || forwardsOutside) score += POINTS_FOR.medium;
      reasons.push(message('rule.sensitiveWords', { words: sensitive }));
    }
  }
  if (warning.length > 0 && (conceals || forwardsOutside)) {
    score += POINTS_FOR.medium;
    reasons.push(message('rule.warningSenders', { senders: warning }));
  }

  if (everything !== undefined && (conceals || removesFromInbox || stashes)) {
    // Everything moved to a folder of the user's own is still every message leaving the Inbox.
    score += conceals ? POINTS_FOR.low : POINTS_FOR.medium;
    reasons.push(message('rule.matchesEverything', { why: everything }));
  }

  const senders = senderValues(conditions);
  const onlySenderConditions =
    keywordValues(conditions).length === 0 &&
    list(conditions.headerContains).length === 0 &&
    list(conditions.messageTypes).length === 0;
  // Deleting (or binning) one sender's mail is how people block a sender; moving it all to Archive
  // or a folder nobody reads, or away and marked read, is how attackers hide a contact they impersonate.
  const hidesAway =
    moveRole === 'archive' ||
    moveRole === 'conceal' ||
    (actions.markAsRead &&
      (actions.delete ||
        actions.permanentDelete ||
        moveRole === 'discard' ||
        (moveRole === 'custom' && !filedBySender(actions.moveToFolder ?? '', senders))));
  const targeted =
    onlySenderConditions &&
    senders.length > 0 &&
    senders.length <= 2 &&
    everything === undefined &&
    warning.length === 0 &&
    !senders.some(looksBulk) &&
    hidesAway;
  if (targeted) {
    score += POINTS_FOR.low;
    reasons.push(message('rule.targetedHiding', { senders: senders.map(extractAddress) }));
  }
  if (
    actions.markAsRead &&
    (hidesElsewhere ||
      everything !== undefined ||
      targeted ||
      (sensitive.length > 0 && !filing) ||
      warning.length > 0)
  )
    score += POINTS_FOR.low;

  const types = list(conditions.messageTypes);
  if (types.length > 0) {
    const evidence = types.filter((type) => SENT_MAIL_EVIDENCE_TYPES.has(type.toLowerCase()));
    if (evidence.length > 0 && (conceals || (removesFromInbox && moveRole !== 'custom'))) {
      score += POINTS_FOR.medium;
      reasons.push(message('rule.hidesSentEvidence', { types: evidence }));
    } else {
      reasons.push(message('rule.messageTypes', { types }));
    }
  }
  const headerWords = list(conditions.headerContains);
  if (headerWords.length > 0) reasons.push(message('rule.headerWords', { words: headerWords }));
  const exceptionValues = [
    ...keywordValues(exceptions),
    ...senderValues(exceptions),
    ...list(exceptions.headerContains),
    ...list(exceptions.recipientContains),
    ...list(exceptions.sentToAddresses),
    ...list(exceptions.messageTypes),
  ];
  if (exceptionValues.length > 0) reasons.push(message('rule.exceptions', { values: exceptionValues }));

  const texts = [
    rule.name,
    ...keywordValues(conditions),
    ...senders,
    ...headerWords,
    actions.moveToFolder ?? '',
  ];
  if (texts.some(hasInvisibleCharacters)) {
    score += POINTS_FOR.medium;
    reasons.push(message('rule.invisibleCharacters'));
  }
  if (texts.some(hasLookalikeLetters)) {
    score += POINTS_FOR.medium;
    reasons.push(message('rule.lookalikeLetters'));
  }

  const visibleName = matchKey(rule.name);
  if (visibleName === '') {
    score += POINTS_FOR.medium;
    reasons.push(message('rule.blankName'));
  } else if (/^[\p{P}\p{S}\s]*$/u.test(visibleName)) {
    score += POINTS_FOR.medium;
    reasons.push(message('rule.punctuationName', { name: rule.name }));
  } else if (visibleName.replace(/\s/g, '').length <= 1) {
    score += POINTS_FOR.low;
    reasons.push(message('rule.shortName', { name: rule.name }));
  }
  if (rule.hidden) {
    score += POINTS_FOR.high;
    reasons.push(message('rule.hidden'));
  }
  if (score > 0 && insideWindow(rule.changedDateTime, context.compromiseWindow)) {
    score += POINTS_FOR.low;
    reasons.push(
      message('rule.changedInWindow', {
        at: rule.changedDateTime ?? '',
        since: context.compromiseWindow?.start ?? '',
      }),
    );
  }

  let suspicion = levelFor(score);
  if (!rule.enabled) {
    suspicion = lower(suspicion);
    reasons.push(message('rule.disabled'));
  }
  if (rule.readOnly) {
    suspicion = lower(suspicion);
    reasons.push(message('rule.readOnly'));
  }
  if (reasons.length === 0) reasons.push(message('rule.nothingSuspicious'));
  return { suspicion, reasons, systemRule: false };
}
