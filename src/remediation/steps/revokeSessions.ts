import type { StepModule } from './types';

/** Graph may record the revocation with whole seconds and its clock may differ slightly from ours. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** Step 2: invalidate refresh tokens and session cookies (revokeSignInSessions). */
export const revokeSessions: StepModule = {
  id: 'revoke-sessions',
  title: 'Revoke sign-in sessions',
  summary: 'Signs the attacker out everywhere: existing refresh tokens and session cookies stop working.',
  manualSteps: 'In the Microsoft Entra admin center open the user and choose "Revoke sessions".',
  undoable: false,
  locksOutTarget: true,

  async discover(ctx) {
    return {
      findings: [
        {
          id: 'sessions-valid',
          title: 'Existing sessions stay valid',
          reasons: [
            'Tokens issued before the password reset keep working until they are revoked (refresh tokens last up to 90 days).',
          ],
          suspicion: 'high',
          selectedByDefault: true,
        },
      ],
      candidates: [
        {
          id: 'revoke-sessions',
          findingId: 'sessions-valid',
          kind: 'revoke-sessions',
          description: `Revoke all sign-in sessions of ${ctx.target.displayName}.`,
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
