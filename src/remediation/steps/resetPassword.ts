import { english } from '../../i18n/findings';
import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { ApproveStepOptions } from '../contract';
import { generatePassword } from '../password';
import type { StepModule } from './types';

const TAP_LIFETIME_MINUTES = 60;

function credentialKindOf(payload: unknown): 'password' | 'temporaryAccessPass' {
  const kind =
    typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>).credentialKind
      : undefined;
  return kind === 'temporaryAccessPass' ? 'temporaryAccessPass' : 'password';
}

/** Step 3: a new random password (force change) or a Temporary Access Pass, handed once to the approver. */
export const resetPassword: StepModule = {
  id: 'reset-password',
  ...stepTexts('reset-password'),
  undoable: false,
  locksOutTarget: true,
  deliversSecret: true,

  async discover(ctx) {
    const { target } = ctx;
    if (target.onPremisesSyncEnabled) {
      const guidance = message('resetPassword.manualSynced', { name: target.displayName });
      return {
        findings: [],
        candidates: [],
        manualGuidance: english(guidance),
        manualGuidanceMessage: guidance,
      };
    }
    if (target.userType === 'Guest') {
      const guidance = message('resetPassword.manualGuest', { name: target.displayName });
      return {
        findings: [],
        candidates: [],
        manualGuidance: english(guidance),
        manualGuidanceMessage: guidance,
      };
    }
    return {
      findings: [
        finding(
          { id: 'password-known', suspicion: 'high', selectedByDefault: true },
          message('resetPassword.finding'),
          [message('resetPassword.reason')],
        ),
      ],
      candidates: [
        {
          id: 'reset-credential',
          findingId: 'password-known',
          kind: 'reset-password',
          ...described(message('resetPassword.actionPassword', { name: target.displayName })),
          payload: { credentialKind: 'password' },
        },
      ],
    };
  },

  plan(candidates, _findings, selection, options: ApproveStepOptions) {
    const kind = options.credentialKind ?? 'password';
    return candidates
      .filter((candidate) => candidate.findingId === undefined || selection.includes(candidate.findingId))
      .map((candidate) => ({
        ...candidate,
        ...(kind === 'temporaryAccessPass'
          ? described(message('resetPassword.actionTap', { minutes: TAP_LIFETIME_MINUTES }))
          : {}),
        payload: { credentialKind: kind },
      }));
  },

  async execute(ctx, action) {
    if (credentialKindOf(action.payload) === 'temporaryAccessPass') {
      // Entra keeps one TAP per user. An existing one is either the attacker's or one whose
      // value never reached anybody (a crash after creating it), so it goes first.
      const requestIds: string[] = [];
      const methods = await ctx.services.authMethods.listMethods(ctx.target.id);
      for (const method of methods.filter((candidate) => candidate.kind === 'temporaryAccessPass')) {
        requestIds.push((await ctx.services.authMethods.deleteMethod(ctx.target.id, method)).requestId);
      }
      const tap = await ctx.services.authMethods.createTemporaryAccessPass(ctx.target.id, {
        lifetimeInMinutes: TAP_LIFETIME_MINUTES,
        isUsableOnce: true,
      });
      const expiresAt = new Date(
        Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000,
      ).toISOString();
      return {
        requestIds: [...requestIds, tap.requestId],
        secret: { kind: 'temporaryAccessPass', value: tap.temporaryAccessPass, expiresAt },
      };
    }
    const password = generatePassword();
    const result = await ctx.services.users.resetPassword(ctx.target.id, password, true);
    return { requestIds: [result.requestId], secret: { kind: 'password', value: password } };
  },

  async verify(ctx, action) {
    if (credentialKindOf(action.payload) === 'temporaryAccessPass') {
      const methods = await ctx.services.authMethods.listMethods(ctx.target.id);
      return methods.some((method) => method.kind === 'temporaryAccessPass') ? 'applied' : 'missing';
    }
    // Graph never reads a password back; the 204 to the PATCH is the only evidence there is.
    return 'unverifiable';
  },
};
