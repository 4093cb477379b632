import type { SimInboxRule, SimMailbox, TenantState } from '../fixture';
import { graphIdForRule } from '../fixture';
import { newRuleIdentity } from '../ids';
import { findFolder, folderPathOf, makeRoomAtPriority, nextPriority, rulesInOrder } from '../inboxRules';
import { upnOf } from '../lookups';
import { bindingError, objectNotFound, str } from './binding';
import type { Cmdlet, CmdletContext } from './cmdlet';
import { formatRecipient, parseRecipient, requireMailboxByIdentity } from './recipients';

function describe(rule: SimInboxRule, folderName: string | null): string {
  const quote = (values: string[]): string => values.map((value) => `'${value}'`).join(' or ');
  const conditions: string[] = [];
  const { conditions: c, actions: a } = rule;
  if (c.fromAddresses.length > 0)
    conditions.push(`is received from ${quote(c.fromAddresses.map((x) => x.name || x.address))}`);
  if (c.senderContains.length > 0)
    conditions.push(`includes ${quote(c.senderContains)} in the sender's address`);
  if (c.subjectContains.length > 0) conditions.push(`includes ${quote(c.subjectContains)} in the subject`);
  if (c.bodyContains.length > 0) conditions.push(`includes ${quote(c.bodyContains)} in the body`);
  if (c.subjectOrBodyContains.length > 0)
    conditions.push(`includes ${quote(c.subjectOrBodyContains)} in the subject or body`);
  const actions: string[] = [];
  if (folderName !== null) actions.push(`move the message to folder '${folderName}'`);
  if (a.forwardTo.length > 0)
    actions.push(`forward the message to ${quote(a.forwardTo.map((x) => x.address))}`);
  if (a.forwardAsAttachmentTo.length > 0) {
    actions.push(
      `forward the message as an attachment to ${quote(a.forwardAsAttachmentTo.map((x) => x.address))}`,
    );
  }
  if (a.redirectTo.length > 0)
    actions.push(`redirect the message to ${quote(a.redirectTo.map((x) => x.address))}`);
  if (a.markAsRead) actions.push('mark the message as read');
  if (a.delete) actions.push('delete the message');
  if (a.permanentDelete) actions.push('delete the message permanently');
  if (a.stopProcessingRules) actions.push('and stop processing more rules on this message');
  const lines = (items: string[]): string => items.map((item) => `\t${item}\r\n`).join('');
  return `If the message:\r\n${lines(conditions.length > 0 ? conditions : ['applies to all messages'])}Take the following actions:\r\n${lines(actions)}`;
}

export function inboxRuleWire(
  state: TenantState,
  mailbox: SimMailbox,
  rule: SimInboxRule,
): Record<string, unknown> {
  const upn = upnOf(state, mailbox);
  const folderName =
    rule.actions.moveToFolder === null ? null : folderPathOf(mailbox, rule.actions.moveToFolder);
  const copyName =
    rule.actions.copyToFolder === null ? null : folderPathOf(mailbox, rule.actions.copyToFolder);
  const except = rule.exceptions;
  return {
    Identity: `${upn}\\${rule.ruleIdentity}`,
    RuleIdentity: rule.ruleIdentity,
    Name: rule.name,
    MailboxOwnerId: upn,
    Enabled: rule.enabled,
    Priority: rule.priority,
    InError: rule.inError,
    ForwardTo: rule.actions.forwardTo.map(formatRecipient),
    RedirectTo: rule.actions.redirectTo.map(formatRecipient),
    ForwardAsAttachmentTo: rule.actions.forwardAsAttachmentTo.map(formatRecipient),
    DeleteMessage: rule.actions.delete,
    SoftDeleteMessage: rule.actions.permanentDelete,
    MoveToFolder: folderName === null ? null : `${upn}:\\${folderName}`,
    MarkAsRead: rule.actions.markAsRead,
    StopProcessingRules: rule.actions.stopProcessingRules,
    SubjectContainsWords: [...rule.conditions.subjectContains],
    BodyContainsWords: [...rule.conditions.bodyContains],
    SubjectOrBodyContainsWords: [...rule.conditions.subjectOrBodyContains],
    From: rule.conditions.fromAddresses.map(formatRecipient),
    FromAddressContainsWords: [...rule.conditions.senderContains],
    HeaderContainsWords: [...rule.conditions.headerContains],
    // Exchange's MessageTypeMatches holds one type.
    MessageTypeMatches: rule.conditions.messageTypes[0] ?? null,
    CopyToFolder: copyName === null ? null : `${upn}:\\${copyName}`,
    ExceptIfSubjectContainsWords: [...(except?.subjectContains ?? [])],
    ExceptIfBodyContainsWords: [...(except?.bodyContains ?? [])],
    ExceptIfSubjectOrBodyContainsWords: [...(except?.subjectOrBodyContains ?? [])],
    ExceptIfFrom: (except?.fromAddresses ?? []).map(formatRecipient),
    ExceptIfFromAddressContainsWords: [...(except?.senderContains ?? [])],
    ExceptIfHeaderContainsWords: [...(except?.headerContains ?? [])],
    ExceptIfMessageTypeMatches: except?.messageTypes[0] ?? null,
    Description: describe(rule, folderName),
    IsValid: !rule.inError,
  };
}

/** -Identity may be "<mailbox>\<RuleIdentity>", the RuleIdentity alone, or the rule's name. */
function locateRule(context: CmdletContext): { mailbox: SimMailbox; rule: SimInboxRule } {
  const identity = str(context.params, 'Identity') ?? '';
  const separator = identity.lastIndexOf('\\');
  const mailboxPart =
    str(context.params, 'Mailbox') ?? (separator > 0 ? identity.slice(0, separator) : undefined);
  if (mailboxPart === undefined)
    throw bindingError('Specify -Mailbox or an -Identity of the form <mailbox>\\<rule>.');
  const mailbox = requireMailboxByIdentity(context.state, mailboxPart);
  const key = separator >= 0 ? identity.slice(separator + 1) : identity;
  const byId = mailbox.inboxRules.find((rule) => rule.ruleIdentity === key);
  const byName = mailbox.inboxRules.filter((rule) => rule.name.toLowerCase() === key.toLowerCase());
  const rule = byId ?? (byName.length === 1 ? byName[0] : undefined);
  if (!rule) throw objectNotFound(identity);
  return { mailbox, rule };
}

const ruleParameters = {
  Priority: 'int',
  Enabled: 'boolean',
  ForwardTo: 'stringArray',
  RedirectTo: 'stringArray',
  ForwardAsAttachmentTo: 'stringArray',
  DeleteMessage: 'boolean',
  SoftDeleteMessage: 'boolean',
  MoveToFolder: 'nullableString',
  MarkAsRead: 'boolean',
  StopProcessingRules: 'boolean',
  SubjectContainsWords: 'stringArray',
  BodyContainsWords: 'stringArray',
  SubjectOrBodyContainsWords: 'stringArray',
  From: 'stringArray',
  FromAddressContainsWords: 'stringArray',
  HeaderContainsWords: 'stringArray',
  MessageTypeMatches: 'nullableString',
  CopyToFolder: 'nullableString',
  ExceptIfSubjectContainsWords: 'stringArray',
  ExceptIfBodyContainsWords: 'stringArray',
  ExceptIfSubjectOrBodyContainsWords: 'stringArray',
  ExceptIfFrom: 'stringArray',
  ExceptIfFromAddressContainsWords: 'stringArray',
  ExceptIfHeaderContainsWords: 'stringArray',
  ExceptIfMessageTypeMatches: 'nullableString',
} as const;

function words(params: Record<string, unknown>, name: string): string[] {
  const value = params[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** MoveToFolder accepts "<mailbox>:\<Folder>[\<Sub>]" or a folder name. */
function resolveFolderId(mailbox: SimMailbox, value: string): string {
  const separator = value.indexOf(':\\');
  const path = separator >= 0 ? value.slice(separator + 2) : value;
  const name = path.split('\\').pop() ?? path;
  const folder = findFolder(mailbox, name);
  if (!folder) throw objectNotFound(value);
  return folder.id;
}

function newInboxRule(context: CmdletContext): unknown[] {
  const { state, params } = context;
  const mailbox = requireMailboxByIdentity(state, str(params, 'Mailbox') ?? '');
  const recipients = (name: string) => words(params, name).map((value) => parseRecipient(state, value));
  const moveTo = str(params, 'MoveToFolder');
  const copyTo = str(params, 'CopyToFolder');
  const messageType = (name: string) => {
    const value = str(params, name);
    return value === undefined ? [] : [value];
  };
  const exceptions = {
    subjectContains: words(params, 'ExceptIfSubjectContainsWords'),
    bodyContains: words(params, 'ExceptIfBodyContainsWords'),
    subjectOrBodyContains: words(params, 'ExceptIfSubjectOrBodyContainsWords'),
    senderContains: words(params, 'ExceptIfFromAddressContainsWords'),
    fromAddresses: recipients('ExceptIfFrom'),
    headerContains: words(params, 'ExceptIfHeaderContainsWords'),
    messageTypes: messageType('ExceptIfMessageTypeMatches'),
  };
  const priority = typeof params.Priority === 'number' ? Math.max(1, params.Priority) : nextPriority(mailbox);
  let ruleIdentity = newRuleIdentity();
  while (mailbox.inboxRules.some((rule) => rule.ruleIdentity === ruleIdentity))
    ruleIdentity = newRuleIdentity();
  const rule: SimInboxRule = {
    ruleIdentity,
    graphId: graphIdForRule(ruleIdentity),
    name: str(params, 'Name') ?? '',
    priority,
    createdDateTime: context.now().toISOString(),
    enabled: params.Enabled !== false,
    hidden: false,
    inError: false,
    readOnly: false,
    conditions: {
      subjectContains: words(params, 'SubjectContainsWords'),
      bodyContains: words(params, 'BodyContainsWords'),
      subjectOrBodyContains: words(params, 'SubjectOrBodyContainsWords'),
      senderContains: words(params, 'FromAddressContainsWords'),
      fromAddresses: recipients('From'),
      headerContains: words(params, 'HeaderContainsWords'),
      messageTypes: messageType('MessageTypeMatches'),
    },
    exceptions: Object.values(exceptions).some((list) => list.length > 0) ? exceptions : null,
    actions: {
      forwardTo: recipients('ForwardTo'),
      redirectTo: recipients('RedirectTo'),
      forwardAsAttachmentTo: recipients('ForwardAsAttachmentTo'),
      delete: params.DeleteMessage === true,
      permanentDelete: params.SoftDeleteMessage === true,
      moveToFolder: moveTo === undefined ? null : resolveFolderId(mailbox, moveTo),
      copyToFolder: copyTo === undefined ? null : resolveFolderId(mailbox, copyTo),
      markAsRead: params.MarkAsRead === true,
      stopProcessingRules: params.StopProcessingRules === true,
    },
  };
  if (typeof params.Priority === 'number') makeRoomAtPriority(mailbox, priority);
  mailbox.inboxRules.push(rule);
  return [inboxRuleWire(state, mailbox, rule)];
}

const setEnabled =
  (enabled: boolean) =>
  (context: CmdletContext): unknown[] => {
    const { rule } = locateRule(context);
    rule.enabled = enabled;
    return [];
  };

export const inboxRuleCmdlets: Cmdlet[] = [
  {
    name: 'Get-InboxRule',
    parameters: { Mailbox: 'string', Identity: 'string', IncludeHidden: 'boolean' },
    run: (context) => {
      const { state, params } = context;
      if (str(params, 'Mailbox') === undefined && str(params, 'Identity') === undefined) {
        // Without a signed-in mailbox owner (app-only), Exchange needs to be told whose rules to read.
        throw bindingError('Specify -Mailbox or -Identity.');
      }
      if (str(params, 'Identity') !== undefined) {
        const { mailbox, rule } = locateRule(context);
        if (rule.hidden && params.IncludeHidden !== true) throw objectNotFound(str(params, 'Identity') ?? '');
        return [inboxRuleWire(state, mailbox, rule)];
      }
      const mailbox = requireMailboxByIdentity(state, str(params, 'Mailbox') ?? '');
      return rulesInOrder(mailbox, params.IncludeHidden === true).map((rule) =>
        inboxRuleWire(state, mailbox, rule),
      );
    },
  },
  {
    name: 'New-InboxRule',
    parameters: { Mailbox: 'string', Name: 'string', ...ruleParameters },
    mandatory: ['Mailbox', 'Name'],
    run: newInboxRule,
  },
  {
    name: 'Disable-InboxRule',
    parameters: { Mailbox: 'string', Identity: 'string' },
    mandatory: ['Identity'],
    run: setEnabled(false),
  },
  {
    name: 'Enable-InboxRule',
    parameters: { Mailbox: 'string', Identity: 'string' },
    mandatory: ['Identity'],
    run: setEnabled(true),
  },
  {
    name: 'Remove-InboxRule',
    parameters: { Mailbox: 'string', Identity: 'string' },
    mandatory: ['Identity'],
    run: (context) => {
      const { mailbox, rule } = locateRule(context);
      mailbox.inboxRules = mailbox.inboxRules.filter((candidate) => candidate !== rule);
      return [];
    },
  },
];
