import type { StepId } from '../contract';
import { adminRoles } from './adminRoles';
import { appConsents } from './appConsents';
import { authMethods } from './authMethods';
import { blockSignIn } from './blockSignIn';
import { confirmCompromised } from './confirmCompromised';
import { inboxRules } from './inboxRules';
import { mailboxDelegates } from './mailboxDelegates';
import { mailboxForwarding } from './mailboxForwarding';
import { resetPassword } from './resetPassword';
import { revokeSessions } from './revokeSessions';
import { signInEvidence } from './signInEvidence';
import { unblockSending } from './unblockSending';
import type { StepModule } from './types';

export type { StepModule, StepContext, Discovery, ExecuteResult, VerifyResult } from './types';

/** The step catalogue, keyed by id; the engine walks it in STEP_IDS order. */
export const STEP_CATALOGUE: Record<StepId, StepModule> = {
  'block-sign-in': blockSignIn,
  'revoke-sessions': revokeSessions,
  'reset-password': resetPassword,
  'mailbox-forwarding': mailboxForwarding,
  'inbox-rules': inboxRules,
  'unblock-sending': unblockSending,
  'admin-roles': adminRoles,
  'auth-methods': authMethods,
  'app-consents': appConsents,
  'mailbox-delegates': mailboxDelegates,
  'confirm-compromised': confirmCompromised,
  'sign-in-evidence': signInEvidence,
};
