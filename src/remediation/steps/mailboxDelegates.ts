import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { MailboxDelegate } from '../../m365/types';
import { isInsideTenant } from '../rules/scoreInboxRule';
import { delegateSchema, toJson } from './payloads';
import type { StepContext, StepModule } from './types';
import { z } from 'zod';

const payloadSchema = z.object({ delegate: delegateSchema });

function sameDelegate(a: MailboxDelegate, b: MailboxDelegate): boolean {
  return a.right === b.right && a.trustee.toLowerCase() === b.trustee.toLowerCase();
}

function isSelfEntry(delegate: MailboxDelegate, ctx: StepContext): boolean {
  const trustee = delegate.trustee.toLowerCase();
  return trustee.startsWith('nt authority\\') || trustee === ctx.target.userPrincipalName.toLowerCase();
}

async function listDelegates(ctx: StepContext): Promise<MailboxDelegate[]> {
  const delegates = await ctx.services.exchange.listDelegates(ctx.target.userPrincipalName);
  return delegates.filter((delegate) => !isSelfEntry(delegate, ctx));
}

/** Step 10: FullAccess, SendAs and SendOnBehalf delegates (Exchange mailbox and recipient permissions). */
export const mailboxDelegates: StepModule = {
  id: 'mailbox-delegates',
  ...stepTexts('mailbox-delegates'),
  undoable: true,
  concurrentActions: true,

  async discover(ctx) {
    const delegates = await listDelegates(ctx);
    return {
      findings: delegates.map((delegate, index) => {
        const outside =
          delegate.trustee.includes('@') && !isInsideTenant(delegate.trustee, ctx.tenantDomains);
        const who = { trustee: delegate.trustee, right: delegate.right };
        return finding(
          {
            id: `delegate-${index + 1}`,
            suspicion: outside ? ('high' as const) : ('medium' as const),
            selectedByDefault: true,
          },
          message('delegates.finding', who),
          [
            message('delegates.reasonRight', who),
            ...(outside ? [message('delegates.outside')] : []),
            message('delegates.confirm'),
          ],
        );
      }),
      candidates: delegates.map((delegate, index) => ({
        id: `remove-delegate-${index + 1}`,
        findingId: `delegate-${index + 1}`,
        kind: 'remove-delegate',
        ...described(message('delegates.action', { trustee: delegate.trustee, right: delegate.right })),
        payload: { delegate: toJson(delegate) },
      })),
    };
  },

  async execute(ctx, action) {
    const { delegate } = payloadSchema.parse(action.payload);
    const result = await ctx.services.exchange.removeDelegate(delegate);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    const { delegate } = payloadSchema.parse(action.payload);
    const delegates = await listDelegates(ctx);
    return delegates.some((candidate) => sameDelegate(candidate, delegate)) ? 'missing' : 'applied';
  },

  async undo(ctx, action) {
    const { delegate } = payloadSchema.parse(action.payload);
    const result = await ctx.services.exchange.addDelegate(delegate);
    return { requestIds: [result.requestId] };
  },

  async verifyUndo(ctx, action) {
    const { delegate } = payloadSchema.parse(action.payload);
    const delegates = await listDelegates(ctx);
    return delegates.some((candidate) => sameDelegate(candidate, delegate)) ? 'applied' : 'missing';
  },
};
