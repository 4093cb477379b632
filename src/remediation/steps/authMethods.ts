import { message } from '../../i18n/message';
import { described, finding, stepTexts } from './text';
import type { AuthMethod } from '../../m365/types';
import { ageInMs } from '../time';
import { authMethodSchema, toJson } from './payloads';
import type { StepModule } from './types';
import { z } from 'zod';

/** Attackers register their own MFA method right after getting in: a week is a generous window. */
export const RECENT_METHOD_WINDOW_MS = 7 * 24 * 3_600_000;

const payloadSchema = z.object({ method: authMethodSchema });

/** The method as data ("Microsoft Authenticator iPhone 15"); its kind is named per locale. */
function methodLabel(method: AuthMethod) {
  return message('authMethods.method', {
    kind: method.kind,
    ...(method.detail ? { detail: method.detail } : {}),
  });
}

/** Step 8: review authentication methods and remove the attacker's. Never touches the password method. */
export const authMethods: StepModule = {
  id: 'auth-methods',
  ...stepTexts('auth-methods'),
  undoable: false,
  concurrentActions: true,
  // Entra refuses to delete the default method while others exist: it goes after the others.
  retryAfterOthers: (error) => error.code === 'DefaultMethodInUse',

  async discover(ctx) {
    const now = ctx.now();
    const methods = (await ctx.services.authMethods.listMethods(ctx.target.id)).filter(
      (method) => method.kind !== 'password',
    );
    const findings = methods.map((method, index) => {
      const label = methodLabel(method);
      const age = ageInMs(method.createdDateTime, now);
      const recent = age !== undefined && age <= RECENT_METHOD_WINDOW_MS;
      const when = { method: label, then: method.createdDateTime ?? '', now: now.toISOString() };
      const reason =
        method.createdDateTime === undefined
          ? message('authMethods.reasonUnknownDate', { method: label })
          : message(recent ? 'authMethods.reasonRecent' : 'authMethods.reasonOld', when);
      return finding(
        {
          id: `method-${index + 1}`,
          suspicion: recent ? ('high' as const) : age === undefined ? ('low' as const) : ('none' as const),
          selectedByDefault: recent,
        },
        label,
        [reason],
      );
    });
    return {
      findings,
      candidates: methods.map((method, index) => ({
        id: `delete-method-${index + 1}`,
        findingId: `method-${index + 1}`,
        kind: 'delete-auth-method',
        ...described(message('authMethods.action', { method: methodLabel(method) })),
        payload: { method: toJson(method) },
      })),
    };
  },

  async execute(ctx, action) {
    const { method } = payloadSchema.parse(action.payload);
    const result = await ctx.services.authMethods.deleteMethod(ctx.target.id, {
      id: method.id,
      kind: method.kind,
    });
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    const { method } = payloadSchema.parse(action.payload);
    const methods = await ctx.services.authMethods.listMethods(ctx.target.id);
    return methods.some((candidate) => candidate.id === method.id) ? 'missing' : 'applied';
  },
};
