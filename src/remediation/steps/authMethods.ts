import type { AuthMethod } from '../../m365/types';
import { ageInMs, describeAge } from '../time';
import { authMethodSchema, toJson } from './payloads';
import type { StepModule } from './types';
import { z } from 'zod';

/** Attackers register their own MFA method right after getting in: a week is a generous window. */
export const RECENT_METHOD_WINDOW_MS = 7 * 24 * 3_600_000;

const payloadSchema = z.object({ method: authMethodSchema });

const KIND_LABEL: Record<AuthMethod['kind'], string> = {
  password: 'password',
  phone: 'phone method',
  email: 'email method',
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'FIDO2 security key',
  softwareOath: 'software OATH token',
  temporaryAccessPass: 'Temporary Access Pass',
  windowsHelloForBusiness: 'Windows Hello for Business',
  platformCredential: 'platform credential',
  other: 'sign-in method',
};

/** Step 8: review authentication methods and remove the attacker's. Never touches the password method. */
export const authMethods: StepModule = {
  id: 'auth-methods',
  title: 'Remove suspicious sign-in methods',
  summary:
    'An attacker who registered their own phone or authenticator can pass MFA after the password is reset.',
  manualSteps:
    'In the Microsoft Entra admin center open the user > Authentication methods and delete the methods the user does not recognise.',
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
      const label = `${KIND_LABEL[method.kind]}${method.detail ? ` ${method.detail}` : ''}`;
      const age = ageInMs(method.createdDateTime, now);
      const recent = age !== undefined && age <= RECENT_METHOD_WINDOW_MS;
      const when =
        method.createdDateTime === undefined
          ? 'registration date unknown'
          : `added ${describeAge(method.createdDateTime, now)}`;
      return {
        id: `method-${index + 1}`,
        title: label,
        reasons: [
          recent
            ? `${label} ${when}: recently added methods are how attackers keep MFA access`
            : `${label}, ${when}`,
        ],
        suspicion: recent ? ('high' as const) : age === undefined ? ('low' as const) : ('none' as const),
        selectedByDefault: recent,
      };
    });
    return {
      findings,
      candidates: methods.map((method, index) => ({
        id: `delete-method-${index + 1}`,
        findingId: `method-${index + 1}`,
        kind: 'delete-auth-method',
        description: `Delete the ${KIND_LABEL[method.kind]}${method.detail ? ` ${method.detail}` : ''}.`,
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
