import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { StepModule } from './types';

/** Step 1: stop new sign-ins while the account is cleaned (accountEnabled=false). */
export const blockSignIn: StepModule = {
  id: 'block-sign-in',
  ...stepTexts('block-sign-in'),
  undoable: true,
  locksOutTarget: true,

  async discover(ctx) {
    const user = await ctx.services.users.getUser(ctx.target.id);
    if (!user.accountEnabled) return { findings: [], candidates: [] };
    return {
      findings: [
        finding(
          { id: 'sign-in-enabled', suspicion: 'high', selectedByDefault: true },
          message('blockSignIn.finding'),
          [message('blockSignIn.reason', { name: user.displayName })],
        ),
      ],
      candidates: [
        {
          id: 'block-sign-in',
          findingId: 'sign-in-enabled',
          kind: 'set-account-enabled',
          ...described(message('blockSignIn.action', { name: user.displayName })),
          payload: { before: { accountEnabled: true } },
        },
      ],
    };
  },

  async execute(ctx) {
    const result = await ctx.services.users.setAccountEnabled(ctx.target.id, false);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx) {
    const user = await ctx.services.users.getUser(ctx.target.id);
    return user.accountEnabled ? 'missing' : 'applied';
  },

  async undo(ctx) {
    const result = await ctx.services.users.setAccountEnabled(ctx.target.id, true);
    return { requestIds: [result.requestId] };
  },

  async verifyUndo(ctx) {
    const user = await ctx.services.users.getUser(ctx.target.id);
    return user.accountEnabled ? 'applied' : 'missing';
  },
};
