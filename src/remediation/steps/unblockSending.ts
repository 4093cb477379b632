import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import { z } from 'zod';
import type { StepContext, StepModule } from './types';

const payloadSchema = z.object({ senderAddress: z.string() });

function addressesOf(ctx: StepContext): string[] {
  return [ctx.target.userPrincipalName.toLowerCase()];
}

async function blockedEntries(ctx: StepContext) {
  const own = addressesOf(ctx);
  const blocked = await ctx.services.exchange.listBlockedSenders();
  return blocked.filter((entry) => own.includes(entry.senderAddress.toLowerCase()));
}

/** Step 6: remove the user from the restricted users list (Exchange Remove-BlockedSenderAddress). */
export const unblockSending: StepModule = {
  id: 'unblock-sending',
  ...stepTexts('unblock-sending'),
  undoable: false,

  async discover(ctx) {
    const entries = await blockedEntries(ctx);
    return {
      findings: entries.map((entry, index) =>
        finding(
          { id: `blocked-${index + 1}`, suspicion: 'high', selectedByDefault: true },
          message('unblockSending.finding', { address: entry.senderAddress }),
          [message('unblockSending.reason', entry.reason ? { reason: entry.reason } : {})],
        ),
      ),
      candidates: entries.map((entry, index) => ({
        id: `unblock-${index + 1}`,
        findingId: `blocked-${index + 1}`,
        kind: 'remove-blocked-sender',
        ...described(message('unblockSending.action', { address: entry.senderAddress })),
        payload: { senderAddress: entry.senderAddress },
      })),
    };
  },

  async execute(ctx, action) {
    const { senderAddress } = payloadSchema.parse(action.payload);
    const result = await ctx.services.exchange.removeBlockedSender(senderAddress);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    const { senderAddress } = payloadSchema.parse(action.payload);
    const blocked = await ctx.services.exchange.listBlockedSenders();
    const still = blocked.some((entry) => entry.senderAddress.toLowerCase() === senderAddress.toLowerCase());
    return still ? 'missing' : 'applied';
  },
};
