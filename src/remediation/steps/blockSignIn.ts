import type { StepModule } from './types';

/** Step 1: stop new sign-ins while the account is cleaned (accountEnabled=false). */
export const blockSignIn: StepModule = {
  id: 'block-sign-in',
  title: 'Block sign-in',
  summary: 'Stops the attacker from signing in again while the account is being cleaned.',
  manualSteps:
    'In the Microsoft Entra admin center open the user, choose Edit properties and clear "Account enabled".',
  undoable: true,
  locksOutTarget: true,

  async discover(ctx) {
    const user = await ctx.services.users.getUser(ctx.target.id);
    if (!user.accountEnabled) return { findings: [], candidates: [] };
    return {
      findings: [
        {
          id: 'sign-in-enabled',
          title: 'Sign-in is allowed',
          reasons: [
            `${user.displayName} can still sign in, and so can anyone who has the password or a session.`,
          ],
          suspicion: 'high',
          selectedByDefault: true,
        },
      ],
      candidates: [
        {
          id: 'block-sign-in',
          findingId: 'sign-in-enabled',
          kind: 'set-account-enabled',
          description: `Block sign-in for ${user.displayName} (accountEnabled = false).`,
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
