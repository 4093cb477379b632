import type { SimMailbox, TenantState } from '../fixture';
import { aliasOf, upnOf } from '../lookups';
import { bindingError, str } from './binding';
import type { Cmdlet } from './cmdlet';
import {
  normaliseForwardingSmtpAddress,
  requireMailboxByIdentity,
  resolveRecipientIdentity,
} from './recipients';

function mailboxWire(state: TenantState, mailbox: SimMailbox): Record<string, unknown> {
  const user = state.users.find((candidate) => candidate.id === mailbox.userId);
  const alias = aliasOf(state, mailbox);
  return {
    Identity: alias,
    Name: alias,
    Alias: alias,
    DisplayName: user?.displayName ?? alias,
    UserPrincipalName: upnOf(state, mailbox),
    PrimarySmtpAddress: mailbox.primarySmtpAddress,
    EmailAddresses: [`SMTP:${mailbox.primarySmtpAddress}`],
    ExternalDirectoryObjectId: mailbox.userId,
    RecipientTypeDetails: 'UserMailbox',
    ForwardingSmtpAddress: mailbox.forwardingSmtpAddress,
    ForwardingAddress: mailbox.forwardingAddress,
    DeliverToMailboxAndForward: mailbox.deliverToMailboxAndForward,
    GrantSendOnBehalfTo: [...mailbox.grantSendOnBehalfTo],
  };
}

/** -GrantSendOnBehalfTo takes the full list, or PowerShell's @{Add=...; Remove=...} form. */
function nextSendOnBehalf(state: TenantState, current: string[], value: unknown): string[] {
  if (value === null) return [];
  if (typeof value === 'string') return [resolveRecipientIdentity(state, value)];
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (typeof entry !== 'string')
        throw bindingError("Cannot convert value on parameter 'GrantSendOnBehalfTo'.");
      return resolveRecipientIdentity(state, entry);
    });
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const pick = (key: string): string[] => {
      const found = entries.find(([name]) => name.toLowerCase() === key)?.[1];
      const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
      return list.map((entry) => resolveRecipientIdentity(state, String(entry)));
    };
    const removed = new Set(pick('remove').map((entry) => entry.toLowerCase()));
    const kept = current.filter((entry) => !removed.has(entry.toLowerCase()));
    return [
      ...kept,
      ...pick('add').filter(
        (entry) => !kept.some((existing) => existing.toLowerCase() === entry.toLowerCase()),
      ),
    ];
  }
  throw bindingError("Cannot convert value on parameter 'GrantSendOnBehalfTo'.");
}

export const mailboxCmdlets: Cmdlet[] = [
  {
    name: 'Get-Mailbox',
    parameters: { Identity: 'string' },
    run: ({ state, params }) => {
      const identity = str(params, 'Identity');
      const mailboxes =
        identity === undefined ? state.mailboxes : [requireMailboxByIdentity(state, identity)];
      return mailboxes.map((mailbox) => mailboxWire(state, mailbox));
    },
  },
  {
    name: 'Set-Mailbox',
    parameters: {
      Identity: 'string',
      ForwardingSmtpAddress: 'nullableString',
      ForwardingAddress: 'nullableString',
      DeliverToMailboxAndForward: 'boolean',
      GrantSendOnBehalfTo: 'any',
    },
    mandatory: ['Identity'],
    run: ({ state, params }) => {
      const mailbox = requireMailboxByIdentity(state, str(params, 'Identity') ?? '');
      // Resolve every value before changing anything, so a bad parameter changes nothing.
      const update: Partial<SimMailbox> = {};
      if ('ForwardingSmtpAddress' in params) {
        const value = params.ForwardingSmtpAddress;
        update.forwardingSmtpAddress =
          typeof value === 'string' ? normaliseForwardingSmtpAddress(value) : null;
      }
      if ('ForwardingAddress' in params) {
        const value = params.ForwardingAddress;
        update.forwardingAddress = typeof value === 'string' ? resolveRecipientIdentity(state, value) : null;
      }
      if (typeof params.DeliverToMailboxAndForward === 'boolean') {
        update.deliverToMailboxAndForward = params.DeliverToMailboxAndForward;
      }
      if ('GrantSendOnBehalfTo' in params) {
        update.grantSendOnBehalfTo = nextSendOnBehalf(
          state,
          mailbox.grantSendOnBehalfTo,
          params.GrantSendOnBehalfTo,
        );
      }
      Object.assign(mailbox, update);
      return [];
    },
  },
];
