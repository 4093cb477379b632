import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
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
  ...stepTexts('mailbox-forwarding'),
  undoable: true,

  async discover(ctx) {
    const current = await readForwarding(ctx);
    const domains = ctx.tenantDomains;
    const keepsCopy = current.deliverToMailboxAndForward ? 1 : 0;
    const findings: Finding[] = [];
    const candidates: ActionRecord[] = [];
    const before = toJson(current);
    if (current.forwardingSmtpAddress) {
      const address = extractAddress(stripSmtpPrefix(current.forwardingSmtpAddress));
      const outside = !isInsideTenant(address, ctx.tenantDomains);
      findings.push(
        finding(
          { id: 'forwarding-smtp', suspicion: outside ? 'high' : 'medium', selectedByDefault: true },
          message('forwarding.finding', { address }),
          [message('forwarding.reasonSmtp', { address, outside: outside ? 1 : 0, domains, keepsCopy })],
        ),
      );
      candidates.push({
        id: 'clear-forwarding-smtp',
        findingId: 'forwarding-smtp',
        kind: 'clear-forwarding',
        ...described(message('forwarding.action', { address, field: 'ForwardingSmtpAddress' })),
        payload: { field: 'forwardingSmtpAddress', before },
      });
    }
    if (current.forwardingAddress) {
      const address = current.forwardingAddress;
      findings.push(
        finding(
          { id: 'forwarding-recipient', suspicion: 'medium', selectedByDefault: true },
          message('forwarding.finding', { address }),
          [message('forwarding.reasonRecipient', { address, keepsCopy })],
        ),
      );
      candidates.push({
        id: 'clear-forwarding-recipient',
        findingId: 'forwarding-recipient',
        kind: 'clear-forwarding',
        ...described(message('forwarding.action', { address, field: 'ForwardingAddress' })),
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
