import type { SimEmailAddress, SimFolder, SimInboxRule, SimMailbox } from '../fixture';
import { badRequest, json, noContent, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { findFolder, rulesInOrder } from '../inboxRules';
import { findUser, requireUser } from '../lookups';
import { collection, contextUrl, page } from '../odata';

const rulesPath = '/v1.0/users/:userId/mailFolders/inbox/messageRules';

const itemNotFound = (): SimHttpError =>
  new SimHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** Outlook answers for users without an Exchange Online mailbox. */
function requireMailbox(context: RouteContext): { mailbox: SimMailbox; userId: string } {
  const user = requireUser(context.state, context.params.userId ?? '');
  const mailbox = context.state.mailboxes.find((candidate) => candidate.userId === user.id);
  if (!mailbox) {
    throw new SimHttpError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    );
  }
  return { mailbox, userId: user.id };
}

/** Outlook throttling is per mailbox, whichever id form the caller used. */
export function mailboxKey(context: RouteContext): string {
  const raw = context.params.userId ?? '';
  return findUser(context.state, raw)?.id ?? raw.toLowerCase();
}

const recipients = (addresses: SimEmailAddress[]): unknown[] =>
  addresses.map((address) => ({
    emailAddress: { name: address.name || address.address, address: address.address },
  }));

/** Exchange MessageTypeMatches values and the Graph messageRulePredicates flag for each. */
const MESSAGE_TYPE_FLAGS: Record<string, string> = {
  AutomaticReply: 'isAutomaticReply',
  AutomaticForward: 'isAutomaticForward',
  Encrypted: 'isEncrypted',
  Calendaring: 'isMeetingRequest',
  CalendaringResponse: 'isMeetingResponse',
  PermissionControlled: 'isPermissionControlled',
  Voicemail: 'isVoicemail',
  Signed: 'isSigned',
  ApprovalRequest: 'isApprovalRequest',
  ReadReceipt: 'isReadReceipt',
  NonDeliveryReport: 'isNonDeliveryReport',
};

function predicatesWire(c: SimInboxRule['conditions']): Record<string, unknown> {
  const predicates: Record<string, unknown> = {};
  if (c.subjectContains.length > 0) predicates.subjectContains = c.subjectContains;
  if (c.bodyContains.length > 0) predicates.bodyContains = c.bodyContains;
  if (c.subjectOrBodyContains.length > 0) predicates.bodyOrSubjectContains = c.subjectOrBodyContains;
  if (c.senderContains.length > 0) predicates.senderContains = c.senderContains;
  if (c.fromAddresses.length > 0) predicates.fromAddresses = recipients(c.fromAddresses);
  if (c.headerContains.length > 0) predicates.headerContains = c.headerContains;
  for (const type of c.messageTypes) {
    const flag = MESSAGE_TYPE_FLAGS[type];
    if (flag) predicates[flag] = true;
  }
  return predicates;
}

/** Graph includes only the predicates and actions a rule sets. */
export function messageRuleWire(rule: SimInboxRule): Record<string, unknown> {
  const { conditions: c, actions: a } = rule;
  const conditions = predicatesWire(c);
  const actions: Record<string, unknown> = {};
  if (a.forwardTo.length > 0) actions.forwardTo = recipients(a.forwardTo);
  if (a.redirectTo.length > 0) actions.redirectTo = recipients(a.redirectTo);
  if (a.forwardAsAttachmentTo.length > 0) actions.forwardAsAttachmentTo = recipients(a.forwardAsAttachmentTo);
  if (a.delete) actions.delete = true;
  if (a.permanentDelete) actions.permanentDelete = true;
  if (a.moveToFolder !== null) actions.moveToFolder = a.moveToFolder;
  if (a.copyToFolder !== null) actions.copyToFolder = a.copyToFolder;
  if (a.markAsRead) actions.markAsRead = true;
  actions.stopProcessingRules = a.stopProcessingRules;
  return {
    id: rule.graphId,
    displayName: rule.name,
    sequence: rule.priority,
    isEnabled: rule.enabled,
    hasError: rule.inError,
    isReadOnly: rule.readOnly,
    conditions,
    ...(rule.exceptions ? { exceptions: predicatesWire(rule.exceptions) } : {}),
    actions,
  };
}

function requireVisibleRule(mailbox: SimMailbox, ruleId: string): SimInboxRule {
  // Hidden rules do not exist as far as Graph is concerned.
  const rule = mailbox.inboxRules.find((candidate) => candidate.graphId === ruleId && !candidate.hidden);
  if (!rule) throw itemNotFound();
  return rule;
}

function parseRecipients(value: unknown, property: string): SimEmailAddress[] {
  if (!Array.isArray(value))
    throw badRequest(`Invalid value for property '${property}'.`, 'ErrorInvalidRequest');
  return value.map((entry: unknown) => {
    const emailAddress =
      entry !== null && typeof entry === 'object'
        ? (entry as Record<string, unknown>).emailAddress
        : undefined;
    const record =
      emailAddress !== null && typeof emailAddress === 'object'
        ? (emailAddress as Record<string, unknown>)
        : {};
    if (typeof record.address !== 'string') {
      throw badRequest(`Invalid recipient in property '${property}'.`, 'ErrorInvalidRequest');
    }
    return { name: typeof record.name === 'string' ? record.name : '', address: record.address };
  });
}

function parseStrings(value: unknown, property: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw badRequest(`Invalid value for property '${property}'.`, 'ErrorInvalidRequest');
  }
  return value;
}

function parseBoolean(value: unknown, property: string): boolean {
  if (typeof value !== 'boolean')
    throw badRequest(`Invalid value for property '${property}'.`, 'ErrorInvalidRequest');
  return value;
}

function applyConditions(rule: SimInboxRule, value: unknown): void {
  if (value === null || typeof value !== 'object')
    throw badRequest("Invalid value for property 'conditions'.", 'ErrorInvalidRequest');
  for (const [key, entry] of Object.entries(value)) {
    switch (key) {
      case 'subjectContains':
      case 'bodyContains':
      case 'senderContains':
        rule.conditions[key] = parseStrings(entry, key);
        break;
      case 'bodyOrSubjectContains':
        rule.conditions.subjectOrBodyContains = parseStrings(entry, key);
        break;
      case 'fromAddresses':
        rule.conditions.fromAddresses = parseRecipients(entry, key);
        break;
      default:
        throw badRequest(
          `The simulated tenant does not support the messageRulePredicates property '${key}'.`,
          'ErrorInvalidRequest',
        );
    }
  }
}

function applyActions(rule: SimInboxRule, mailbox: SimMailbox, value: unknown): void {
  if (value === null || typeof value !== 'object')
    throw badRequest("Invalid value for property 'actions'.", 'ErrorInvalidRequest');
  for (const [key, entry] of Object.entries(value)) {
    switch (key) {
      case 'forwardTo':
      case 'redirectTo':
      case 'forwardAsAttachmentTo':
        rule.actions[key] = parseRecipients(entry, key);
        break;
      case 'delete':
      case 'permanentDelete':
      case 'markAsRead':
      case 'stopProcessingRules':
        rule.actions[key] = parseBoolean(entry, key);
        break;
      case 'moveToFolder': {
        if (entry === null) {
          rule.actions.moveToFolder = null;
          break;
        }
        const folder = typeof entry === 'string' ? findFolder(mailbox, entry) : undefined;
        if (!folder)
          throw badRequest('The folder specified in moveToFolder was not found.', 'ErrorInvalidRequest');
        rule.actions.moveToFolder = folder.id;
        break;
      }
      default:
        throw badRequest(
          `The simulated tenant does not support the messageRuleActions property '${key}'.`,
          'ErrorInvalidRequest',
        );
    }
  }
}

function patchRule(context: RouteContext) {
  const { mailbox } = requireMailbox(context);
  const rule = requireVisibleRule(mailbox, context.params.ruleId ?? '');
  const body = objectBody(context.request);
  if (rule.readOnly)
    throw new SimHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  // Validate everything on a copy first so a bad request changes nothing.
  const draft: SimInboxRule = structuredClone(rule);
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'displayName':
        if (typeof value !== 'string')
          throw badRequest("Invalid value for property 'displayName'.", 'ErrorInvalidRequest');
        draft.name = value;
        break;
      case 'sequence':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
          throw badRequest("Invalid value for property 'sequence'.", 'ErrorInvalidRequest');
        }
        draft.priority = value;
        break;
      case 'isEnabled':
        draft.enabled = parseBoolean(value, key);
        break;
      case 'conditions':
        applyConditions(draft, value);
        break;
      case 'actions':
        applyActions(draft, mailbox, value);
        break;
      case 'id':
      case '@odata.type':
        break;
      default:
        throw badRequest(`The property '${key}' cannot be updated.`, 'ErrorInvalidRequest');
    }
  }
  Object.assign(rule, draft);
  return json(200, {
    '@odata.context': contextUrl(
      context.request,
      `users('${context.params.userId ?? ''}')/mailFolders('inbox')/messageRules/$entity`,
    ),
    ...messageRuleWire(rule),
  });
}

/** The simulator's id of the mailbox's root ("Top of Information Store", well-known msgfolderroot). */
function rootFolderId(mailbox: SimMailbox): string {
  return `AAMkARoot${mailbox.userId.replace(/-/g, '')}`;
}

function rootFolder(mailbox: SimMailbox): SimFolder {
  return {
    id: rootFolderId(mailbox),
    displayName: 'Top of Information Store',
    wellKnownName: 'msgfolderroot',
    parentFolderId: `AAMkAStore${mailbox.userId.replace(/-/g, '')}`,
    isHidden: false,
    totalItemCount: 0,
    unreadItemCount: 0,
  };
}

function folderWire(mailbox: SimMailbox, folder: SimFolder): Record<string, unknown> {
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId ?? rootFolderId(mailbox),
    childFolderCount: mailbox.folders.filter((candidate) => candidate.parentFolderId === folder.id).length,
    unreadItemCount: folder.unreadItemCount,
    totalItemCount: folder.totalItemCount,
    isHidden: folder.isHidden,
  };
}

const outlook = { kind: 'outlook', mailbox: mailboxKey } as const;

export const mailRuleRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/domains',
    service: 'graph',
    permissions: ['Domain.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const { tenant } = context.state;
      const domains = [tenant.domain, ...tenant.acceptedDomains].map((id) => ({
        id,
        isDefault: id === tenant.domain,
        isInitial: id.toLowerCase().endsWith('.onmicrosoft.com'),
        isVerified: true,
        supportedServices: ['Email', 'OfficeCommunicationsOnline'],
      }));
      return json(200, collection(context.request, 'domains', domains, undefined));
    },
  },
  {
    method: 'GET',
    path: rulesPath,
    service: 'graph',
    permissions: ['MailboxSettings.Read'],
    throttle: outlook,
    handler: (context) => {
      const { mailbox } = requireMailbox(context);
      const rules = rulesInOrder(mailbox, false).map(messageRuleWire);
      const { value, nextLink } = page(context.request, rules, { defaultTop: 1000, maxTop: 1000 });
      return json(
        200,
        collection(
          context.request,
          `users('${context.params.userId ?? ''}')/mailFolders('inbox')/messageRules`,
          value,
          nextLink,
        ),
      );
    },
  },
  {
    method: 'GET',
    path: `${rulesPath}/:ruleId`,
    service: 'graph',
    permissions: ['MailboxSettings.Read'],
    throttle: outlook,
    handler: (context) => {
      const { mailbox } = requireMailbox(context);
      const rule = requireVisibleRule(mailbox, context.params.ruleId ?? '');
      return json(200, {
        '@odata.context': contextUrl(
          context.request,
          `users('${context.params.userId ?? ''}')/mailFolders('inbox')/messageRules/$entity`,
        ),
        ...messageRuleWire(rule),
      });
    },
  },
  {
    method: 'PATCH',
    path: `${rulesPath}/:ruleId`,
    service: 'graph',
    permissions: ['MailboxSettings.ReadWrite'],
    throttle: outlook,
    handler: patchRule,
  },
  {
    method: 'DELETE',
    path: `${rulesPath}/:ruleId`,
    service: 'graph',
    permissions: ['MailboxSettings.ReadWrite'],
    throttle: outlook,
    handler: (context) => {
      const { mailbox } = requireMailbox(context);
      const rule = requireVisibleRule(mailbox, context.params.ruleId ?? '');
      mailbox.inboxRules = mailbox.inboxRules.filter((candidate) => candidate !== rule);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/mailFolders',
    service: 'graph',
    permissions: ['Mail.ReadBasic.All'],
    throttle: outlook,
    handler: (context) => {
      const { mailbox } = requireMailbox(context);
      const folders = mailbox.folders.map((folder) => folderWire(mailbox, folder));
      // Graph's default page size for mail folders is 10.
      const { value, nextLink } = page(context.request, folders, { defaultTop: 10, maxTop: 1000 });
      return json(
        200,
        collection(context.request, `users('${context.params.userId ?? ''}')/mailFolders`, value, nextLink),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/mailFolders/:folderId',
    service: 'graph',
    permissions: ['Mail.ReadBasic.All'],
    throttle: outlook,
    handler: (context) => {
      const { mailbox } = requireMailbox(context);
      const raw = context.params.folderId ?? '';
      const root = rootFolder(mailbox);
      const folder =
        raw === root.id || raw.toLowerCase() === 'msgfolderroot'
          ? root
          : (mailbox.folders.find((candidate) => candidate.id === raw) ??
            mailbox.folders.find(
              (candidate) => candidate.wellKnownName?.toLowerCase() === raw.toLowerCase(),
            ));
      if (!folder) throw itemNotFound();
      return json(200, {
        '@odata.context': contextUrl(
          context.request,
          `users('${context.params.userId ?? ''}')/mailFolders/$entity`,
        ),
        ...folderWire(mailbox, folder),
      });
    },
  },
];
