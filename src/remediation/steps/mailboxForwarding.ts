import type { MailboxForwarding } from '../../m365/types';
import type { Finding } from '../contract';
import type { ActionRecord } from '../storage';
import { extractAddress, isInsideTenant } from '../rules/scoreInboxRule';
import { forwardingSchema, toJson } from './payloads';
import type { StepContext, StepModule } from './types';
import { z } from 'zod';

const payloadSchema = z.object({
  field: z.enum(['forwardingSmtpAddress', 'forwardingAddress']),
  before: forwardingSchema,
});

function stripSmtpPrefix(value: string): string {
  return value.replace(/^smtp:/i, '');
}

async function readForwarding(ctx: StepContext): Promise<MailboxForwarding> {
  const mailbox = await ctx.services.exchange.getMailbox(ctx.target.userPrincipalName);
  return {
    forwardingSmtpAddress: mailbox.forwardingSmtpAddress,
    forwardingAddress: mailbox.forwardingAddress,
    deliverToMailboxAndForward: mailbox.deliverToMailboxAndForward,
  };
}

/** Step 4: mailbox-level forwarding (Exchange Set-Mailbox), which Graph cannot see. */
export const mailboxForwarding: StepModule = {
  id: 'mailbox-forwarding',
  title: 'Remove mailbox forwarding',
  summary: 'Attackers forward all mail to an address they control to keep reading it after they lose access.',
  manualSteps:
    'In the Exchange admin center open the mailbox, Mail flow settings > Email forwarding, and turn forwarding off (or Set-Mailbox -ForwardingSmtpAddress $null -ForwardingAddress $null).',
  undoable: true,

  async discover(ctx) {
    const current = await readForwarding(ctx);
    const domains = ctx.tenantDomains.join(', ') || 'the tenant';
    const keepsCopy = current.deliverToMailboxAndForward
      ? 'a copy stays in the mailbox'
      : 'no copy stays in the mailbox';
    const findings: Finding[] = [];
    const candidates: ActionRecord[] = [];
    const before = toJson(current);
    if (current.forwardingSmtpAddress) {
      const address = extractAddress(stripSmtpPrefix(current.forwardingSmtpAddress));
      const outside = !isInsideTenant(address, ctx.tenantDomains);
      findings.push({
        id: 'forwarding-smtp',
        title: `Forwards all mail to ${address}`,
        reasons: [
          `forwards all mail to ${address} (${outside ? 'outside' : 'inside'} ${domains}); ${keepsCopy}`,
        ],
        suspicion: outside ? 'high' : 'medium',
        selectedByDefault: true,
      });
      candidates.push({
        id: 'clear-forwarding-smtp',
        findingId: 'forwarding-smtp',
        kind: 'clear-forwarding',
        description: `Stop forwarding to ${address} (ForwardingSmtpAddress = $null).`,
        payload: { field: 'forwardingSmtpAddress', before },
      });
    }
    if (current.forwardingAddress) {
      findings.push({
        id: 'forwarding-recipient',
        title: `Forwards all mail to ${current.forwardingAddress}`,
        reasons: [`forwards all mail to the recipient ${current.forwardingAddress}; ${keepsCopy}`],
        suspicion: 'medium',
        selectedByDefault: true,
      });
      candidates.push({
        id: 'clear-forwarding-recipient',
        findingId: 'forwarding-recipient',
        kind: 'clear-forwarding',
        description: `Stop forwarding to ${current.forwardingAddress} (ForwardingAddress = $null).`,
        payload: { field: 'forwardingAddress', before },
      });
    }
    return { findings, candidates };
  },

  async execute(ctx, action) {
    const { field } = payloadSchema.parse(action.payload);
    const current = await readForwarding(ctx);
    const next: MailboxForwarding = { ...current, [field]: null };
    if (next.forwardingSmtpAddress === null && next.forwardingAddress === null) {
      next.deliverToMailboxAndForward = false;
    }
    const result = await ctx.services.exchange.setForwarding(ctx.target.userPrincipalName, next);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    const { field } = payloadSchema.parse(action.payload);
    const current = await readForwarding(ctx);
    return current[field] === null ? 'applied' : 'missing';
  },

  async undo(ctx, action) {
    const { field, before } = payloadSchema.parse(action.payload);
    const current = await readForwarding(ctx);
    const next: MailboxForwarding = {
      ...current,
      [field]: before[field],
      deliverToMailboxAndForward: before.deliverToMailboxAndForward,
    };
    const result = await ctx.services.exchange.setForwarding(ctx.target.userPrincipalName, next);
    return { requestIds: [result.requestId] };
  },

  async verifyUndo(ctx, action) {
    const { field, before } = payloadSchema.parse(action.payload);
    const current = await readForwarding(ctx);
    const normalise = (value: string | null) =>
      value === null ? null : stripSmtpPrefix(value).toLowerCase();
    return normalise(current[field]) === normalise(before[field]) ? 'applied' : 'missing';
  },
};
