import type { SimEmailAddress, SimMailbox, TenantState } from '../fixture';
import { findMailbox, upnOf } from '../lookups';
import { invalidArgument, objectNotFound } from './binding';

/** Exchange prints recipients as `"Display Name" [SMTP:address]`. */
export function formatRecipient(address: SimEmailAddress): string {
  return `"${address.name || address.address}" [SMTP:${address.address}]`;
}

const displayFormat = /^\s*"?([^"[]*?)"?\s*\[(?:smtp|SMTP|Smtp):([^\]]+)\]\s*$/;

/** Accepts an SMTP address, "SMTP:addr", the `"Name" [SMTP:addr]` form, or an internal recipient's identity. */
export function parseRecipient(state: TenantState, value: string): SimEmailAddress {
  const display = displayFormat.exec(value);
  if (display?.[2]) return { name: display[1]?.trim() ?? '', address: display[2].trim() };
  const bare = value.trim().replace(/^smtp:/i, '');
  const mailbox = findMailbox(state, bare);
  if (mailbox) {
    const user = state.users.find((candidate) => candidate.id === mailbox.userId);
    return { name: user?.displayName ?? '', address: mailbox.primarySmtpAddress };
  }
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(bare)) return { name: '', address: bare };
  throw objectNotFound(value);
}

/** Resolves an internal recipient to the identity Exchange shows for it (its UPN here). */
export function resolveRecipientIdentity(state: TenantState, identity: string): string {
  const mailbox = findMailbox(state, identity);
  if (!mailbox) throw objectNotFound(identity);
  return upnOf(state, mailbox);
}

export function requireMailboxByIdentity(state: TenantState, identity: string): SimMailbox {
  const mailbox = findMailbox(state, identity);
  if (!mailbox) throw objectNotFound(identity);
  return mailbox;
}

/** ForwardingSmtpAddress is stored and shown as "smtp:address". */
export function normaliseForwardingSmtpAddress(value: string): string {
  const address = value.trim().replace(/^smtp:/i, '');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw invalidArgument(`"${value}" isn't a valid SMTP address.`);
  }
  return `smtp:${address}`;
}
