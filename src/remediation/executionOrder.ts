import type { StepId } from './contract';

/**
 * Which approved steps must FINISH before a step starts, when several are approved at once
 * (approveAllRemaining, a group approval). Everything else runs concurrently, so independent
 * writes share $batch round trips. The orderings kept, and why:
 *
 * - reset-password after block-sign-in: both PATCH the same user object; two writes to one
 *   directory object in one $batch have no defined order (Graph runs items without dependsOn in
 *   any order), and block-sign-in's verification re-reads that object. The new password is also
 *   set while the account is already blocked.
 * - reset-password after auth-methods: the Temporary Access Pass option deletes any existing TAP
 *   and creates a new one; auth-methods may be deleting the attacker's TAP at the same moment.
 * - revoke-sessions after reset-password, but only when block-sign-in is not approved with it:
 *   with sign-in blocked nobody can get new tokens, so revoking in the first round is safe;
 *   without the block, sessions revoked before the reset could be re-established with the old
 *   password in between (Microsoft's order: reset the password, then revoke sessions).
 */
export function executionPrerequisites(stepId: StepId, approvedTogether: readonly StepId[]): StepId[] {
  const together = new Set(approvedTogether);
  switch (stepId) {
    case 'reset-password':
      return ['block-sign-in', 'auth-methods'].filter((id): id is StepId => together.has(id as StepId));
    case 'revoke-sessions':
      return together.has('block-sign-in') || !together.has('reset-password') ? [] : ['reset-password'];
    default:
      return [];
  }
}
