import type { z } from 'zod';
import { errorFromUnexpectedShape, invalidInput } from './errors';
import type { CmdletParameters, InvokeCommandTransport } from './exchange/invokeCommand';
import {
  blockedSenderWire,
  inboxRuleWire,
  mailboxPermissionWire,
  mailboxWire,
  parseSmtpAddress,
  recipientPermissionWire,
  SELF_PRINCIPAL,
  toBlockedSender,
  toExchangeInboxRule,
} from './exchange/wire';
import { RULE_CHANGE_OPERATIONS, auditRecordWire, toInboxRuleChange } from './exchange/auditLog';
import type { OperationName } from './operations';
import type {
  BlockedSender,
  ExchangeClient,
  InboxRule,
  InboxRuleChange,
  InboxRuleDefinition,
  Mailbox,
  MailboxDelegate,
  MailboxForwarding,
  WriteResult,
} from './types';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function requireText(operation: OperationName, value: string, what: string): string {
  if (
    typeof value !== 'string' ||
    value.trim().length === 0 ||
    value.length > 512 ||
    CONTROL_CHARACTERS.test(value)
  ) {
    throw invalidInput(operation, `${what} is empty or not valid.`);
  }
  return value.trim();
}

function sameRecipient(left: string, right: string): boolean {
  return left.trim().toLowerCase() === right.trim().toLowerCase();
}

/** Exchange Online through InvokeCommand: forwarding, all inbox rules (hidden too), delegates, restricted senders. */
export class InvokeCommandExchangeClient implements ExchangeClient {
  constructor(private readonly transport: InvokeCommandTransport) {}

  async getMailbox(mailbox: string): Promise<Mailbox> {
    const identity = requireText('exchange.getMailbox', mailbox, 'Mailbox');
    const { value, requestId } = await this.transport.run(
      'exchange.getMailbox',
      'Get-Mailbox',
      { Identity: identity },
      identity,
    );
    const [wire] = this.parseAll('exchange.getMailbox', mailboxWire, value, requestId);
    if (wire === undefined)
      throw errorFromUnexpectedShape('exchange.getMailbox', requestId, 'Get-Mailbox returned nothing');
    return {
      identity: wire.Identity,
      userPrincipalName: wire.UserPrincipalName ?? identity,
      primarySmtpAddress: wire.PrimarySmtpAddress ?? identity,
      forwardingSmtpAddress: parseSmtpAddress(wire.ForwardingSmtpAddress),
      forwardingAddress: wire.ForwardingAddress ?? null,
      deliverToMailboxAndForward: wire.DeliverToMailboxAndForward ?? false,
      grantSendOnBehalfTo: wire.GrantSendOnBehalfTo ?? [],
    };
  }

  async setForwarding(mailbox: string, forwarding: MailboxForwarding): Promise<WriteResult> {
    const identity = requireText('exchange.setMailbox', mailbox, 'Mailbox');
    const forwardingSmtpAddress =
      forwarding.forwardingSmtpAddress === null
        ? null
        : requireText('exchange.setMailbox', forwarding.forwardingSmtpAddress, 'Forwarding SMTP address');
    const forwardingAddress =
      forwarding.forwardingAddress === null
        ? null
        : requireText('exchange.setMailbox', forwarding.forwardingAddress, 'Forwarding address');
    const { requestId } = await this.transport.run(
      'exchange.setMailbox',
      'Set-Mailbox',
      {
        Identity: identity,
        ForwardingSmtpAddress: forwardingSmtpAddress,
        ForwardingAddress: forwardingAddress,
        DeliverToMailboxAndForward: forwarding.deliverToMailboxAndForward === true,
      },
      identity,
    );
    return { requestId };
  }

  /**
   * With includeHidden, runs Get-InboxRule with and without -IncludeHidden in parallel: Exchange
   * has no "hidden" property, so a rule is hidden exactly when only the first listing has it.
   */
  async listInboxRules(mailbox: string, options: { includeHidden: boolean }): Promise<InboxRule[]> {
    const identity = requireText('exchange.getInboxRule', mailbox, 'Mailbox');
    const list = (includeHidden: boolean) =>
      this.transport
        .run(
          'exchange.getInboxRule',
          'Get-InboxRule',
          includeHidden ? { Mailbox: identity, IncludeHidden: true } : { Mailbox: identity },
          identity,
        )
        .then(({ value, requestId }) =>
          this.parseAll('exchange.getInboxRule', inboxRuleWire, value, requestId),
        );
    if (!options.includeHidden) return (await list(false)).map((wire) => toExchangeInboxRule(wire, false));
    const [all, visible] = await Promise.all([list(true), list(false)]);
    const visibleIdentities = new Set(visible.map((wire) => wire.Identity));
    return all.map((wire) => toExchangeInboxRule(wire, !visibleIdentities.has(wire.Identity)));
  }

  disableInboxRule(mailbox: string, identity: string): Promise<WriteResult> {
    return this.ruleCommand('exchange.disableInboxRule', 'Disable-InboxRule', mailbox, identity);
  }

  enableInboxRule(mailbox: string, identity: string): Promise<WriteResult> {
    return this.ruleCommand('exchange.enableInboxRule', 'Enable-InboxRule', mailbox, identity);
  }

  removeInboxRule(mailbox: string, identity: string): Promise<WriteResult> {
    return this.ruleCommand('exchange.removeInboxRule', 'Remove-InboxRule', mailbox, identity);
  }

  /**
   * Search-UnifiedAuditLog for the owner's New-InboxRule and Set-InboxRule records. The audit log
   * can take from 30 minutes to a day to show an event, so a missing record proves nothing.
   */
  async listInboxRuleChanges(
    mailbox: string,
    window: { start: string; end: string },
  ): Promise<InboxRuleChange[]> {
    const operation = 'exchange.searchUnifiedAuditLog';
    const identity = requireText(operation, mailbox, 'Mailbox');
    const { value, requestId } = await this.transport.run(
      operation,
      'Search-UnifiedAuditLog',
      {
        StartDate: window.start,
        EndDate: window.end,
        UserIds: [identity],
        Operations: [...RULE_CHANGE_OPERATIONS],
        ResultSize: 5000,
      },
      identity,
    );
    return this.parseAll(operation, auditRecordWire, value, requestId)
      .map(toInboxRuleChange)
      .filter((change): change is InboxRuleChange => change !== undefined);
  }

  async createInboxRule(mailbox: string, rule: InboxRuleDefinition): Promise<InboxRule & WriteResult> {
    const operation = 'exchange.newInboxRule';
    const identity = requireText(operation, mailbox, 'Mailbox');
    const name = requireText(operation, rule.name, 'Rule name');
    const parameters: CmdletParameters = { Mailbox: identity, Name: name };
    const lists: Array<[string, string[]]> = [
      ['SubjectContainsWords', rule.conditions.subjectContains],
      ['BodyContainsWords', rule.conditions.bodyContains],
      ['SubjectOrBodyContainsWords', rule.conditions.subjectOrBodyContains],
      ['From', rule.conditions.fromAddresses],
      ['FromAddressContainsWords', rule.conditions.senderContains],
      ['ForwardTo', rule.actions.forwardTo],
      ['RedirectTo', rule.actions.redirectTo],
      ['ForwardAsAttachmentTo', rule.actions.forwardAsAttachmentTo],
      ['HeaderContainsWords', rule.conditions.headerContains ?? []],
      ['RecipientAddressContainsWords', rule.conditions.recipientContains ?? []],
      ['SentTo', rule.conditions.sentToAddresses ?? []],
      // A rule restored by undo keeps its exceptions, or it would act on more mail than before.
      ['ExceptIfSubjectContainsWords', rule.exceptions?.subjectContains ?? []],
      ['ExceptIfBodyContainsWords', rule.exceptions?.bodyContains ?? []],
      ['ExceptIfSubjectOrBodyContainsWords', rule.exceptions?.subjectOrBodyContains ?? []],
      ['ExceptIfFrom', rule.exceptions?.fromAddresses ?? []],
      ['ExceptIfFromAddressContainsWords', rule.exceptions?.senderContains ?? []],
      ['ExceptIfHeaderContainsWords', rule.exceptions?.headerContains ?? []],
    ];
    for (const [parameter, values] of lists) if (values.length > 0) parameters[parameter] = values;
    const [messageType] = rule.conditions.messageTypes ?? [];
    if (messageType) parameters.MessageTypeMatches = messageType;
    const [exceptType] = rule.exceptions?.messageTypes ?? [];
    if (exceptType) parameters.ExceptIfMessageTypeMatches = exceptType;
    if (rule.actions.copyToFolder) parameters.CopyToFolder = `${identity}:\\${rule.actions.copyToFolder}`;
    const switches: Array<[string, boolean]> = [
      ['DeleteMessage', rule.actions.delete],
      ['SoftDeleteMessage', rule.actions.permanentDelete],
      ['MarkAsRead', rule.actions.markAsRead],
      ['StopProcessingRules', rule.actions.stopProcessingRules],
    ];
    for (const [parameter, on] of switches) if (on) parameters[parameter] = true;
    if (rule.actions.moveToFolder) parameters.MoveToFolder = `${identity}:\\${rule.actions.moveToFolder}`;
    if (Number.isInteger(rule.priority) && rule.priority > 0) parameters.Priority = rule.priority;

    const { value, requestId } = await this.transport.run(operation, 'New-InboxRule', parameters, identity);
    const [wire] = this.parseAll(operation, inboxRuleWire, value, requestId);
    if (wire === undefined)
      throw errorFromUnexpectedShape(operation, requestId, 'New-InboxRule returned no rule');
    const created = toExchangeInboxRule(wire, false);
    // New-InboxRule always creates an enabled rule; a rule restored as it was must keep its state.
    if (!rule.enabled && created.enabled) {
      await this.disableInboxRule(identity, created.id);
      return { ...created, enabled: false, requestId };
    }
    return { ...created, requestId };
  }

  async listBlockedSenders(): Promise<BlockedSender[]> {
    const { value, requestId } = await this.transport.run(
      'exchange.getBlockedSenderAddress',
      'Get-BlockedSenderAddress',
      {},
    );
    return this.parseAll('exchange.getBlockedSenderAddress', blockedSenderWire, value, requestId).map(
      toBlockedSender,
    );
  }

  async removeBlockedSender(senderAddress: string): Promise<WriteResult> {
    const address = requireText('exchange.removeBlockedSenderAddress', senderAddress, 'Sender address');
    const { requestId } = await this.transport.run(
      'exchange.removeBlockedSenderAddress',
      'Remove-BlockedSenderAddress',
      { SenderAddress: address },
    );
    return { requestId };
  }

  /**
   * FullAccess (Get-MailboxPermission), SendAs (Get-RecipientPermission) and SendOnBehalf
   * (Get-Mailbox GrantSendOnBehalfTo), read in parallel. The mailbox's own SELF entry, inherited
   * entries and Deny entries are not delegations.
   */
  async listDelegates(mailbox: string): Promise<MailboxDelegate[]> {
    const identity = requireText('exchange.getMailboxPermission', mailbox, 'Mailbox');
    const [fullAccess, sendAs, owner] = await Promise.all([
      this.transport
        .run('exchange.getMailboxPermission', 'Get-MailboxPermission', { Identity: identity }, identity)
        .then(({ value, requestId }) =>
          this.parseAll('exchange.getMailboxPermission', mailboxPermissionWire, value, requestId),
        ),
      this.transport
        .run('exchange.getRecipientPermission', 'Get-RecipientPermission', { Identity: identity }, identity)
        .then(({ value, requestId }) =>
          this.parseAll('exchange.getRecipientPermission', recipientPermissionWire, value, requestId),
        ),
      this.getMailbox(identity),
    ]);
    const delegates: MailboxDelegate[] = [];
    for (const entry of fullAccess) {
      if (entry.User === SELF_PRINCIPAL || entry.IsInherited === true || entry.Deny === true) continue;
      if (!entry.AccessRights.includes('FullAccess')) continue;
      delegates.push({ mailbox: identity, trustee: entry.User, right: 'FullAccess' });
    }
    for (const entry of sendAs) {
      if (entry.Trustee === SELF_PRINCIPAL || entry.IsInherited === true) continue;
      if (
        entry.AccessControlType !== undefined &&
        entry.AccessControlType !== null &&
        entry.AccessControlType !== 'Allow'
      ) {
        continue;
      }
      if (!entry.AccessRights.includes('SendAs')) continue;
      delegates.push({ mailbox: identity, trustee: entry.Trustee, right: 'SendAs' });
    }
    for (const trustee of owner.grantSendOnBehalfTo) {
      delegates.push({ mailbox: identity, trustee, right: 'SendOnBehalf' });
    }
    return delegates;
  }

  async removeDelegate(delegate: MailboxDelegate): Promise<WriteResult> {
    return this.changeDelegate(delegate, 'remove');
  }

  async addDelegate(delegate: MailboxDelegate): Promise<WriteResult> {
    return this.changeDelegate(delegate, 'add');
  }

  private async changeDelegate(delegate: MailboxDelegate, change: 'add' | 'remove'): Promise<WriteResult> {
    const operation: OperationName =
      delegate.right === 'FullAccess'
        ? change === 'add'
          ? 'exchange.addMailboxPermission'
          : 'exchange.removeMailboxPermission'
        : delegate.right === 'SendAs'
          ? change === 'add'
            ? 'exchange.addRecipientPermission'
            : 'exchange.removeRecipientPermission'
          : 'exchange.setMailbox';
    const identity = requireText(operation, delegate.mailbox, 'Mailbox');
    const trustee = requireText(operation, delegate.trustee, 'Delegate');

    if (delegate.right === 'FullAccess') {
      const cmdlet = change === 'add' ? 'Add-MailboxPermission' : 'Remove-MailboxPermission';
      const { requestId } = await this.transport.run(
        operation,
        cmdlet,
        { Identity: identity, User: trustee, AccessRights: ['FullAccess'] },
        identity,
      );
      return { requestId };
    }
    if (delegate.right === 'SendAs') {
      const cmdlet = change === 'add' ? 'Add-RecipientPermission' : 'Remove-RecipientPermission';
      const { requestId } = await this.transport.run(
        operation,
        cmdlet,
        { Identity: identity, Trustee: trustee, AccessRights: ['SendAs'] },
        identity,
      );
      return { requestId };
    }
    if (delegate.right !== 'SendOnBehalf') {
      throw invalidInput(operation, `Unknown delegate right ${String(delegate.right)}.`);
    }
    // Set-Mailbox takes the whole list: read it, change it, write it back.
    const current = (await this.getMailbox(identity)).grantSendOnBehalfTo;
    const others = current.filter((entry) => !sameRecipient(entry, trustee));
    const next = change === 'add' ? [...others, trustee] : others;
    const { requestId } = await this.transport.run(
      operation,
      'Set-Mailbox',
      { Identity: identity, GrantSendOnBehalfTo: next },
      identity,
    );
    return { requestId };
  }

  private async ruleCommand(
    operation: OperationName,
    cmdlet: string,
    mailbox: string,
    ruleIdentity: string,
  ): Promise<WriteResult> {
    const identity = requireText(operation, mailbox, 'Mailbox');
    const rule = requireText(operation, ruleIdentity, 'Rule identity');
    const { requestId } = await this.transport.run(
      operation,
      cmdlet,
      { Mailbox: identity, Identity: rule },
      identity,
    );
    return { requestId };
  }

  private parseAll<S extends z.ZodType>(
    operation: OperationName,
    schema: S,
    values: unknown[],
    requestId: string,
  ): Array<z.output<S>> {
    return values.map((value, index) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw errorFromUnexpectedShape(
        operation,
        requestId,
        `item ${index}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      );
    });
  }
}
