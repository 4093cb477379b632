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
  title: 'Unblock sending',
  summary:
    'Microsoft blocks accounts that sent spam; once the account is clean the user must be able to send again.',
  manualSteps:
    'In the Microsoft Defender portal open Email & collaboration > Review > Restricted entities and release the user (or Remove-BlockedSenderAddress -SenderAddress <user>).',
  undoable: false,

  async discover(ctx) {
    const entries = await blockedEntries(ctx);
    return {
      findings: entries.map((entry, index) => ({
        id: `blocked-${index + 1}`,
        title: `${entry.senderAddress} is blocked from sending`,
        reasons: [
          `on the restricted users list${entry.reason ? ` (reason: ${entry.reason})` : ''}; Microsoft limits how often one account can be released, so release it after the other steps`,
        ],
        suspicion: 'high',
        selectedByDefault: true,
      })),
      candidates: entries.map((entry, index) => ({
        id: `unblock-${index + 1}`,
        findingId: `blocked-${index + 1}`,
        kind: 'remove-blocked-sender',
        description: `Release ${entry.senderAddress} from the restricted users list.`,
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
