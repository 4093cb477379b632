import { isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment } from './graph/urls';
import type { MailFolderWire, MessageRulePredicatesWire, MessageRuleWire } from './graph/wire';
import { domainWire, mailFolderWire, messageRuleWire } from './graph/wire';
import type {
  FolderIdentity,
  InboxRule,
  InboxRuleConditions,
  MailRulesClient,
  WellKnownFolder,
  WriteResult,
} from './types';

export interface MailRulesClientOptions {
  /** $top for messageRules pages; Graph's default page size when unset. */
  pageSize?: number;
}

/**
 * Graph v1.0 mailFolder well-known names (mailFolder resource, "Use well-known folder names") a
 * rule can target; msgfolderroot is the top of the tree. Conflicts, LocalFailures and
 * ServerFailures sit under SyncIssues and are placed by their parent; scheduled and searchfolders
 * hold no mail a rule could move. Folders with no well-known name (RSS Feeds, Notes) are placed
 * by their place in the tree and their localised default names.
 */
/**
 * The default folders attackers hide mail in most, whose names Exchange paths must be matched
 * against: as many as Outlook lets one mailbox serve at once (4 concurrent requests), so they
 * are read in one round trip beside the Exchange listing.
 */
export const HIDING_WELL_KNOWN_FOLDERS = [
  'deleteditems',
  'junkemail',
  'archive',
  'conversationhistory',
] as const;

export const WELL_KNOWN_FOLDER_NAMES = [
  'msgfolderroot',
  'inbox',
  'archive',
  'deleteditems',
  'junkemail',
  'conversationhistory',
  'syncissues',
  'recoverableitemsdeletions',
  'clutter',
  'drafts',
  'outbox',
  'sentitems',
] as const;

type Recipients = NonNullable<NonNullable<MessageRuleWire['actions']>['forwardTo']>;

function addresses(recipients: Recipients | null | undefined): string[] {
  return (recipients ?? [])
    .map((recipient) => recipient.emailAddress?.address ?? recipient.emailAddress?.name ?? '')
    .filter((address) => address.length > 0);
}

/** Graph's is… predicates, named as Exchange's MessageTypeMatches values so both read alike. */
const MESSAGE_TYPE_FLAGS: [keyof MessageRulePredicatesWire, string][] = [
  ['isAutomaticReply', 'AutomaticReply'],
  ['isAutomaticForward', 'AutomaticForward'],
  ['isEncrypted', 'Encrypted'],
  ['isMeetingRequest', 'Calendaring'],
  ['isMeetingResponse', 'CalendaringResponse'],
  ['isPermissionControlled', 'PermissionControlled'],
  ['isVoicemail', 'Voicemail'],
  ['isSigned', 'Signed'],
  ['isApprovalRequest', 'ApprovalRequest'],
  ['isReadReceipt', 'ReadReceipt'],
  ['isNonDeliveryReport', 'NonDeliveryReport'],
];

function toConditions(wire: MessageRulePredicatesWire | null | undefined): InboxRuleConditions {
  const predicates = wire ?? {};
  const conditions: InboxRuleConditions = {
    subjectContains: predicates.subjectContains ?? [],
    bodyContains: predicates.bodyContains ?? [],
    subjectOrBodyContains: predicates.bodyOrSubjectContains ?? [],
    fromAddresses: addresses(predicates.fromAddresses),
    senderContains: predicates.senderContains ?? [],
  };
  if (predicates.recipientContains?.length) conditions.recipientContains = predicates.recipientContains;
  const sentTo = addresses(predicates.sentToAddresses);
  if (sentTo.length > 0) conditions.sentToAddresses = sentTo;
  if (predicates.headerContains?.length) conditions.headerContains = predicates.headerContains;
  const types = MESSAGE_TYPE_FLAGS.filter(([flag]) => predicates[flag] === true).map(([, name]) => name);
  if (types.length > 0) conditions.messageTypes = types;
  if (typeof predicates.hasAttachments === 'boolean') conditions.hasAttachments = predicates.hasAttachments;
  if (predicates.importance) conditions.importance = predicates.importance;
  const size = predicates.withinSizeRange;
  if (size && (typeof size.minimumSize === 'number' || typeof size.maximumSize === 'number')) {
    conditions.sizeRange = {
      ...(typeof size.minimumSize === 'number' ? { minimumKilobytes: size.minimumSize } : {}),
      ...(typeof size.maximumSize === 'number' ? { maximumKilobytes: size.maximumSize } : {}),
    };
  }
  return conditions;
}

function hasAny(conditions: InboxRuleConditions): boolean {
  return Object.values(conditions).some((value) =>
    Array.isArray(value) ? value.length > 0 : value !== undefined,
  );
}

/** Maps a Graph messageRule; folders are still ids here (resolved afterwards). */
export function toInboxRule(wire: MessageRuleWire): InboxRule {
  const actions = wire.actions ?? {};
  const exceptions = toConditions(wire.exceptions);
  return {
    id: wire.id,
    source: 'graph',
    name: wire.displayName ?? '',
    enabled: wire.isEnabled ?? true,
    hidden: false,
    readOnly: wire.isReadOnly ?? false,
    priority: wire.sequence ?? 0,
    conditions: toConditions(wire.conditions),
    ...(hasAny(exceptions) ? { exceptions } : {}),
    actions: {
      forwardTo: addresses(actions.forwardTo),
      redirectTo: addresses(actions.redirectTo),
      forwardAsAttachmentTo: addresses(actions.forwardAsAttachmentTo),
      delete: actions.delete ?? false,
      permanentDelete: actions.permanentDelete ?? false,
      moveToFolder: actions.moveToFolder ?? undefined,
      ...(actions.copyToFolder ? { copyToFolder: actions.copyToFolder } : {}),
      markAsRead: actions.markAsRead ?? false,
      stopProcessingRules: actions.stopProcessingRules ?? false,
    },
  };
}

/**
 * Where a folder sits, from its ancestry (nearest first) and the mailbox's well-known folders.
 * The identity holds in every mailbox language.
 */
export function identityFromAncestry(
  folderId: string,
  ancestors: string[],
  wellKnown: WellKnownFolder[],
): FolderIdentity {
  const byId = new Map(wellKnown.map((folder) => [folder.id, folder.wellKnownName]));
  const own = byId.get(folderId);
  if (own !== undefined) return { wellKnownName: own };
  for (const ancestor of ancestors) {
    const name = byId.get(ancestor);
    if (name !== undefined) return { within: name };
  }
  return {};
}

/**
 * Exchange names the target as a path ("Slettede elementer\\Gamle"), in the mailbox's language.
 * The mailbox's own well-known folders (read through Graph, display names in that language)
 * turn the path into an identity.
 */
export function identityFromPath(path: string[], wellKnown: WellKnownFolder[]): FolderIdentity {
  const root = wellKnown.find((folder) => folder.wellKnownName === 'msgfolderroot');
  let parentId = root?.id;
  let within: string | undefined = 'msgfolderroot';
  for (const [index, segment] of path.entries()) {
    const match = wellKnown.find(
      (folder) =>
        folder.wellKnownName !== 'msgfolderroot' &&
        folder.displayName.toLowerCase() === segment.toLowerCase() &&
        (parentId === undefined || folder.parentFolderId === parentId),
    );
    if (match === undefined) return within === undefined ? {} : { within };
    if (index === path.length - 1) return { wellKnownName: match.wellKnownName };
    within = match.wellKnownName;
    parentId = match.id;
  }
  return {};
}

/** Inbox rules through Graph messageRules. Graph never lists hidden rules: use ExchangeClient for those. */
export class GraphMailRulesClient implements MailRulesClient {
  constructor(
    private readonly api: GraphApi,
    private readonly options: MailRulesClientOptions = {},
  ) {}

  async listInboxRules(userId: string): Promise<InboxRule[]> {
    const user = pathSegment('mailRules.listInboxRules', userId, 'User id');
    const top = this.options.pageSize ? `?$top=${this.options.pageSize}` : '';
    const wires = await this.api.listAll(
      {
        operation: 'mailRules.listInboxRules',
        method: 'GET',
        url: `/users/${user}/mailFolders/inbox/messageRules${top}`,
        mailbox: userId,
      },
      messageRuleWire,
    );
    return this.withFolders(userId, wires.map(toInboxRule));
  }

  async getInboxRule(userId: string, ruleId: string): Promise<InboxRule> {
    const user = pathSegment('mailRules.getInboxRule', userId, 'User id');
    const rule = pathSegment('mailRules.getInboxRule', ruleId, 'Rule id');
    const { body } = await this.api.read(
      {
        operation: 'mailRules.getInboxRule',
        method: 'GET',
        url: `/users/${user}/mailFolders/inbox/messageRules/${rule}`,
        mailbox: userId,
      },
      messageRuleWire,
    );
    // A single read (verification) needs the folder's name, not its identity.
    const [named] = await this.withFolders(userId, [toInboxRule(body)], false);
    return named ?? toInboxRule(body);
  }

  async disableInboxRule(userId: string, ruleId: string): Promise<WriteResult> {
    const user = pathSegment('mailRules.disableInboxRule', userId, 'User id');
    const rule = pathSegment('mailRules.disableInboxRule', ruleId, 'Rule id');
    const { requestId } = await this.api.call({
      operation: 'mailRules.disableInboxRule',
      method: 'PATCH',
      url: `/users/${user}/mailFolders/inbox/messageRules/${rule}`,
      body: { isEnabled: false },
      mailbox: userId,
    });
    return { requestId };
  }

  async deleteInboxRule(userId: string, ruleId: string): Promise<WriteResult> {
    const user = pathSegment('mailRules.deleteInboxRule', userId, 'User id');
    const rule = pathSegment('mailRules.deleteInboxRule', ruleId, 'Rule id');
    const { requestId } = await this.api.call({
      operation: 'mailRules.deleteInboxRule',
      method: 'DELETE',
      url: `/users/${user}/mailFolders/inbox/messageRules/${rule}`,
      mailbox: userId,
    });
    return { requestId };
  }

  /** The mailbox's well-known folders that exist (a mailbox without an archive has none). */
  async listWellKnownFolders(
    userId: string,
    names: readonly string[] = WELL_KNOWN_FOLDER_NAMES,
  ): Promise<WellKnownFolder[]> {
    const user = pathSegment('mailRules.getWellKnownFolder', userId, 'User id');
    const found = await Promise.all(
      names.map(async (wellKnownName): Promise<WellKnownFolder | undefined> => {
        try {
          const { body } = await this.api.read(
            {
              operation: 'mailRules.getWellKnownFolder',
              method: 'GET',
              url: `/users/${user}/mailFolders/${wellKnownName}?$select=id,displayName,parentFolderId`,
              mailbox: userId,
            },
            mailFolderWire,
          );
          return { wellKnownName, ...folderOf(body) };
        } catch (error) {
          if (isM365Error(error) && (error.code === 'NotFound' || error.code === 'BadRequest'))
            return undefined;
          throw error;
        }
      }),
    );
    return found.filter((folder): folder is WellKnownFolder => folder !== undefined);
  }

  /** The tenant's verified accepted domains (GET /domains), lower case. */
  async listTenantDomains(): Promise<string[]> {
    const domains = await this.api.listAll(
      {
        operation: 'mailRules.listTenantDomains',
        method: 'GET',
        url: '/domains?$select=id,isVerified,supportedServices',
      },
      domainWire,
    );
    return domains.filter((domain) => domain.isVerified !== false).map((domain) => domain.id.toLowerCase());
  }

  /**
   * Graph gives moveToFolder/copyToFolder as folder ids; responders need the name ("RSS
   * Subscriptions") and the scoring needs the folder's identity (Deleted Items in any language).
   * One GET per distinct folder and per unknown ancestor, issued together so they batch. A folder
   * we cannot read keeps its id rather than failing the whole listing.
   */
  private async withFolders(userId: string, rules: InboxRule[], identify = true): Promise<InboxRule[]> {
    const folderIds = [
      ...new Set(
        rules
          .flatMap((rule) => [rule.actions.moveToFolder, rule.actions.copyToFolder])
          .filter((id) => id !== undefined),
      ),
    ];
    if (folderIds.length === 0) return rules;
    const wellKnown = identify
      ? await this.listWellKnownFolders(userId).catch((error: unknown) => {
          if (isM365Error(error) && error.code === 'PermissionDenied') return [];
          throw error;
        })
      : [];
    const known = new Map(wellKnown.map((folder) => [folder.id, folder]));
    const folders = new Map<string, { displayName: string; identity?: FolderIdentity }>();
    await Promise.all(
      folderIds.map(async (folderId) => {
        const chain = await this.ancestry(userId, folderId, known);
        if (chain === undefined) return;
        folders.set(folderId, {
          displayName: chain.displayName,
          ...(identify ? { identity: identityFromAncestry(folderId, chain.ancestors, wellKnown) } : {}),
        });
      }),
    );
    return rules.map((rule) => {
      const move =
        rule.actions.moveToFolder === undefined ? undefined : folders.get(rule.actions.moveToFolder);
      const copy =
        rule.actions.copyToFolder === undefined ? undefined : folders.get(rule.actions.copyToFolder);
      return {
        ...rule,
        actions: {
          ...rule.actions,
          ...(move ? { moveToFolder: move.displayName } : {}),
          ...(move?.identity ? { moveToFolderIdentity: move.identity } : {}),
          ...(copy ? { copyToFolder: copy.displayName } : {}),
          ...(copy?.identity ? { copyToFolderIdentity: copy.identity } : {}),
        },
      };
    });
  }

  /** The folder's name and its parents up to the nearest well-known folder (at most a few levels). */
  private async ancestry(
    userId: string,
    folderId: string,
    known: Map<string, Omit<WellKnownFolder, 'wellKnownName'>>,
  ): Promise<{ displayName: string; ancestors: string[] } | undefined> {
    const self = known.get(folderId) ?? (await this.readFolder(userId, folderId));
    if (self === undefined) return undefined;
    // Without the well-known folders the parents could not be placed anyway.
    if (known.size === 0) return { displayName: self.displayName, ancestors: [] };
    const ancestors: string[] = [];
    let parent = self.parentFolderId;
    for (let depth = 0; parent !== undefined && depth < 4; depth += 1) {
      ancestors.push(parent);
      if (known.has(parent)) break;
      const next = await this.readFolder(userId, parent);
      parent = next?.parentFolderId;
    }
    return { displayName: self.displayName, ancestors };
  }

  private async readFolder(
    userId: string,
    folderId: string,
  ): Promise<Omit<WellKnownFolder, 'wellKnownName'> | undefined> {
    const user = pathSegment('mailRules.getMailFolder', userId, 'User id');
    try {
      const { body } = await this.api.read(
        {
          operation: 'mailRules.getMailFolder',
          method: 'GET',
          url: `/users/${user}/mailFolders/${encodeURIComponent(folderId)}?$select=id,displayName,parentFolderId`,
          mailbox: userId,
        },
        mailFolderWire,
      );
      return folderOf(body);
    } catch (error) {
      if (!isM365Error(error) || (error.code !== 'NotFound' && error.code !== 'PermissionDenied'))
        throw error;
      return undefined;
    }
  }
}

function folderOf(wire: MailFolderWire): Omit<WellKnownFolder, 'wellKnownName'> {
  return {
    id: wire.id,
    displayName: wire.displayName,
    ...(wire.parentFolderId ? { parentFolderId: wire.parentFolderId } : {}),
  };
}
