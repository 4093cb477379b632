import { isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment } from './graph/urls';
import type { MessageRuleWire } from './graph/wire';
import { mailFolderWire, messageRuleWire } from './graph/wire';
import type { InboxRule, MailRulesClient, WriteResult } from './types';

export interface MailRulesClientOptions {
  /** $top for messageRules pages; Graph's default page size when unset. */
  pageSize?: number;
}

type Recipients = NonNullable<NonNullable<MessageRuleWire['actions']>['forwardTo']>;

function addresses(recipients: Recipients | null | undefined): string[] {
  return (recipients ?? [])
    .map((recipient) => recipient.emailAddress?.address ?? recipient.emailAddress?.name ?? '')
    .filter((address) => address.length > 0);
}

/** Maps a Graph messageRule; moveToFolder is still the folder id here (resolved afterwards). */
export function toInboxRule(wire: MessageRuleWire): InboxRule {
  const conditions = wire.conditions ?? {};
  const actions = wire.actions ?? {};
  return {
    id: wire.id,
    source: 'graph',
    name: wire.displayName ?? '',
    enabled: wire.isEnabled ?? true,
    hidden: false,
    readOnly: wire.isReadOnly ?? false,
    priority: wire.sequence ?? 0,
    conditions: {
      subjectContains: conditions.subjectContains ?? [],
      bodyContains: conditions.bodyContains ?? [],
      subjectOrBodyContains: conditions.bodyOrSubjectContains ?? [],
      fromAddresses: addresses(conditions.fromAddresses),
      senderContains: conditions.senderContains ?? [],
    },
    actions: {
      forwardTo: addresses(actions.forwardTo),
      redirectTo: addresses(actions.redirectTo),
      forwardAsAttachmentTo: addresses(actions.forwardAsAttachmentTo),
      delete: actions.delete ?? false,
      permanentDelete: actions.permanentDelete ?? false,
      moveToFolder: actions.moveToFolder ?? undefined,
      markAsRead: actions.markAsRead ?? false,
      stopProcessingRules: actions.stopProcessingRules ?? false,
    },
  };
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
    return this.withFolderNames(userId, wires.map(toInboxRule));
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
    const [named] = await this.withFolderNames(userId, [toInboxRule(body)]);
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

  /**
   * Graph gives moveToFolder as a folder id; responders need the name ("RSS Subscriptions") and
   * the rule scoring keys on it. One GET per distinct folder, issued together so they batch.
   * A folder we cannot read keeps its id rather than failing the whole listing.
   */
  private async withFolderNames(userId: string, rules: InboxRule[]): Promise<InboxRule[]> {
    const folderIds = [
      ...new Set(rules.map((rule) => rule.actions.moveToFolder).filter((id) => id !== undefined)),
    ];
    if (folderIds.length === 0) return rules;
    const user = pathSegment('mailRules.getMailFolder', userId, 'User id');
    const names = new Map<string, string>();
    await Promise.all(
      folderIds.map(async (folderId) => {
        try {
          const { body } = await this.api.read(
            {
              operation: 'mailRules.getMailFolder',
              method: 'GET',
              url: `/users/${user}/mailFolders/${encodeURIComponent(folderId)}?$select=id,displayName`,
              mailbox: userId,
            },
            mailFolderWire,
          );
          names.set(folderId, body.displayName);
        } catch (error) {
          if (!isM365Error(error) || (error.code !== 'NotFound' && error.code !== 'PermissionDenied'))
            throw error;
        }
      }),
    );
    return rules.map((rule) => {
      const folderId = rule.actions.moveToFolder;
      const name = folderId === undefined ? undefined : names.get(folderId);
      return name === undefined ? rule : { ...rule, actions: { ...rule.actions, moveToFolder: name } };
    });
  }
}
