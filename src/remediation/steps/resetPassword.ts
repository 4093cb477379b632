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
  title: 'Reset password',
  summary: 'The attacker may know the current password; replace it with one only the responder receives.',
  manualSteps:
    'In the Microsoft Entra admin center open the user and choose "Reset password"; give the new password to the user in person or by phone, never by email.',
  undoable: false,
  locksOutTarget: true,
  deliversSecret: true,

  async discover(ctx) {
    const { target } = ctx;
    if (target.onPremisesSyncEnabled) {
      return {
        findings: [],
        candidates: [],
        manualGuidance: `${target.displayName}'s account is synchronised from on-premises Active Directory, so the password must be reset there (Active Directory Users and Computers, or Set-ADAccountPassword -Reset) and then synced by Microsoft Entra Connect. The same applies to users of a federated domain: reset at the identity provider. Meanwhile, block sign-in and revoke sessions here.`,
      };
    }
    if (target.userType === 'Guest') {
      return {
        findings: [],
        candidates: [],
        manualGuidance: `${target.displayName} is a guest: the password belongs to their home organisation, whose administrators must reset it. Here, block sign-in and revoke sessions; contact the guest's organisation.`,
      };
    }
    return {
      findings: [
        {
          id: 'password-known',
          title: 'The attacker may know the password',
          reasons: ['A compromised password stays usable until it is changed.'],
          suspicion: 'high',
          selectedByDefault: true,
        },
      ],
      candidates: [
        {
          id: 'reset-credential',
          findingId: 'password-known',
          kind: 'reset-password',
          description: `Set a new random password for ${target.displayName}, to be changed at next sign-in; meant for the approver only, never stored.`,
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
        description:
          kind === 'temporaryAccessPass'
            ? `Create a one-time Temporary Access Pass (${TAP_LIFETIME_MINUTES} minutes, replacing any existing one); meant for the approver only, never stored.`
            : candidate.description,
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
