import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { StepModule } from './types';

/** Graph may record the revocation with whole seconds and its clock may differ slightly from ours. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** Step 2: invalidate refresh tokens and session cookies (revokeSignInSessions). */
export const revokeSessions: StepModule = {
  id: 'revoke-sessions',
  ...stepTexts('revoke-sessions'),
  undoable: false,
  locksOutTarget: true,

  async discover(ctx) {
    return {
      findings: [
        finding(
          { id: 'sessions-valid', suspicion: 'high', selectedByDefault: true },
          message('revokeSessions.finding'),
          [message('revokeSessions.reason')],
        ),
      ],
      candidates: [
        {
          id: 'revoke-sessions',
          findingId: 'sessions-valid',
          kind: 'revoke-sessions',
          ...described(message('revokeSessions.action', { name: ctx.target.displayName })),
          payload: {},
        },
      ],
    };
  },

  async execute(ctx) {
    const result = await ctx.services.users.revokeSignInSessions(ctx.target.id);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, _action, { since }) {
    const user = await ctx.services.users.getUser(ctx.target.id);
    const validFrom = user.signInSessionsValidFromDateTime;
    if (validFrom === undefined) return 'unverifiable';
    return Date.parse(validFrom) >= Date.parse(since) - CLOCK_SKEW_MS ? 'applied' : 'missing';
  },
};
