import { message } from '../i18n/message';
import { z } from 'zod';
import type { Actor, StepId } from './contract';
import { isStepId, refusal } from './contract';

/** A mass incident (a phishing wave) opens hundreds of targets as one group. */
export const MAX_TARGETS_PER_REQUEST = 1000;

export const actorSchema = z.object({
  id: z.string().min(1).max(200),
  displayName: z.string().max(500),
  userPrincipalName: z.string().max(500).optional(),
});

export const idSchema = z.string().min(1).max(200);

export const openRequestSchema = z.object({
  targets: z.array(z.string().trim().min(1).max(500)).min(1).max(MAX_TARGETS_PER_REQUEST),
  requester: actorSchema,
  origin: z.object({
    kind: z.enum(['teams', 'cli', 'webhook']),
    tenantId: z.string().max(200).optional(),
    conversationId: z.string().max(1000).optional(),
  }),
});

export const approveOptionsSchema = z
  .object({
    selectedFindingIds: z.array(z.string().min(1).max(200)).max(500).optional(),
    credentialKind: z.enum(['password', 'temporaryAccessPass']).optional(),
  })
  .optional();

export const concurrencySchema = z.number().int().min(1).max(1000);

/** Every engine entry point takes its caller's input through these: cards and CLIs are not trusted. */
export function validActor(actor: Actor): Actor {
  const parsed = actorSchema.parse(actor);
  return {
    id: parsed.id,
    displayName: parsed.displayName,
    ...(parsed.userPrincipalName !== undefined ? { userPrincipalName: parsed.userPrincipalName } : {}),
  };
}

export function validStepId(stepId: unknown): StepId {
  if (!isStepId(stepId))
    throw refusal('StepNotActionable', message('refusal.unknownStep', { step: String(stepId) }));
  return stepId;
}
