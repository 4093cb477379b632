import { randomInt } from 'node:crypto';
import type { SimAuthMethod } from '../fixture';
import { badRequest, json, noContent, objectBody, SimHttpError } from '../http';
import type { RouteContext, RouteDef } from '../http';
import { newGuid } from '../ids';
import { requireUser } from '../lookups';
import { collection, contextUrl } from '../odata';

type MethodType = SimAuthMethod['type'];

/** URL segment of each method type under /users/{id}/authentication/. */
const segmentToType: Record<string, MethodType> = {
  phonemethods: 'phone',
  emailmethods: 'email',
  microsoftauthenticatormethods: 'microsoftAuthenticator',
  fido2methods: 'fido2',
  softwareoathmethods: 'softwareOath',
  temporaryaccesspassmethods: 'temporaryAccessPass',
  windowshelloforbusinessmethods: 'windowsHelloForBusiness',
  passwordmethods: 'password',
};

const odataType: Record<MethodType, string> = {
  password: '#microsoft.graph.passwordAuthenticationMethod',
  phone: '#microsoft.graph.phoneAuthenticationMethod',
  email: '#microsoft.graph.emailAuthenticationMethod',
  microsoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  fido2: '#microsoft.graph.fido2AuthenticationMethod',
  softwareOath: '#microsoft.graph.softwareOathAuthenticationMethod',
  temporaryAccessPass: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  windowsHelloForBusiness: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
};

function isUsable(method: SimAuthMethod, now: Date): boolean {
  const start = Date.parse(method.startDateTime ?? '');
  const lifetime = (method.lifetimeInMinutes ?? 0) * 60_000;
  return Number.isFinite(start) && start <= now.getTime() && now.getTime() < start + lifetime;
}

export function methodWire(method: SimAuthMethod, now: Date): Record<string, unknown> {
  const common = {
    '@odata.type': odataType[method.type],
    id: method.id,
    createdDateTime: method.createdDateTime,
  };
  switch (method.type) {
    case 'password':
      return { ...common, password: null };
    case 'phone':
      return {
        ...common,
        phoneNumber: method.phoneNumber ?? null,
        phoneType: method.phoneType ?? 'mobile',
        smsSignInState: method.smsSignInState ?? 'notAllowedByPolicy',
      };
    case 'email':
      return { ...common, emailAddress: method.emailAddress ?? null };
    case 'microsoftAuthenticator':
      return {
        ...common,
        displayName: method.displayName ?? null,
        deviceTag: method.deviceTag ?? null,
        phoneAppVersion: method.phoneAppVersion ?? null,
      };
    case 'fido2':
      return {
        ...common,
        displayName: method.displayName ?? null,
        aaGuid: method.aaGuid ?? null,
        model: method.model ?? null,
        attestationCertificates: [],
        attestationLevel: 'attested',
      };
    case 'softwareOath':
      return { ...common, secretKey: null };
    case 'temporaryAccessPass': {
      const usable = isUsable(method, now);
      return {
        ...common,
        temporaryAccessPass: null,
        startDateTime: method.startDateTime ?? null,
        lifetimeInMinutes: method.lifetimeInMinutes ?? null,
        isUsableOnce: method.isUsableOnce ?? false,
        isUsable: usable,
        methodUsabilityReason: usable ? 'EnabledByPolicy' : 'Expired',
      };
    }
    default:
      return { ...common, displayName: method.displayName ?? null, keyStrength: 'normal' };
  }
}

function requireSegmentType(context: RouteContext): MethodType {
  const segment = context.params.methodKind ?? '';
  const type = segmentToType[segment.toLowerCase()];
  if (!type) throw new SimHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  return type;
}

function findMethod(context: RouteContext, userId: string, type: MethodType): SimAuthMethod {
  const method = context.state.authenticationMethods.find(
    (candidate) =>
      candidate.userId === userId && candidate.type === type && candidate.id === context.params.methodId,
  );
  if (!method)
    throw new SimHttpError(404, 'itemNotFound', 'The requested authentication method was not found.');
  return method;
}

/** A TAP's characters: letters, digits and symbols as the real service mixes them. */
const tapAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%&*+=?';

function newTemporaryAccessPass(): string {
  return Array.from({ length: 12 }, () => tapAlphabet[randomInt(tapAlphabet.length)]).join('');
}

function createTemporaryAccessPass(context: RouteContext) {
  const user = requireUser(context.state, context.params.userId ?? '');
  const body = context.request.body === undefined ? {} : objectBody(context.request);
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43_200) {
    throw badRequest('lifetimeInMinutes must be between 10 and 43200.', 'badRequest');
  }
  const isUsableOnce = body.isUsableOnce ?? false;
  if (typeof isUsableOnce !== 'boolean')
    throw badRequest("Invalid value for property 'isUsableOnce'.", 'badRequest');
  const now = context.now();
  const start =
    typeof body.startDateTime === 'string' && Number.isFinite(Date.parse(body.startDateTime))
      ? new Date(body.startDateTime).toISOString()
      : now.toISOString();
  const methods = context.state.authenticationMethods;
  if (methods.some((method) => method.userId === user.id && method.type === 'temporaryAccessPass')) {
    throw badRequest(
      'User already has a Temporary Access Pass. Delete it before creating a new one.',
      'badRequest',
    );
  }
  const method: SimAuthMethod = {
    id: newGuid(),
    userId: user.id,
    type: 'temporaryAccessPass',
    isDefault: false,
    createdDateTime: now.toISOString(),
    startDateTime: start,
    lifetimeInMinutes: lifetime,
    isUsableOnce,
  };
  methods.push(method);
  // The pass exists only in this response; state keeps its settings, never the secret.
  const pass = newTemporaryAccessPass();
  return json(201, {
    '@odata.context': contextUrl(
      context.request,
      `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
    ),
    ...methodWire(method, now),
    temporaryAccessPass: pass,
  });
}

function deleteMethod(context: RouteContext) {
  const user = requireUser(context.state, context.params.userId ?? '');
  const type = requireSegmentType(context);
  if (type === 'password') {
    throw badRequest('The password authentication method cannot be deleted.', 'badRequest');
  }
  const method = findMethod(context, user.id, type);
  const others = context.state.authenticationMethods.filter(
    (candidate) => candidate.userId === user.id && candidate !== method && candidate.type !== 'password',
  );
  if (method.isDefault && others.length > 0) {
    throw badRequest(
      'Cannot delete default method with other methods configured. Please change default method before deletion.',
      'badRequest',
    );
  }
  context.state.authenticationMethods = context.state.authenticationMethods.filter(
    (candidate) => candidate !== method,
  );
  return noContent();
}

export const authMethodRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1.0/users/:userId/authentication/methods',
    service: 'graph',
    permissions: ['UserAuthenticationMethod.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const now = context.now();
      const methods = context.state.authenticationMethods
        .filter((method) => method.userId === user.id)
        .map((method) => methodWire(method, now));
      return json(200, collection(context.request, `users('${user.id}')/authentication/methods`, methods));
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/authentication/:methodKind',
    service: 'graph',
    permissions: ['UserAuthenticationMethod.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const type = requireSegmentType(context);
      const now = context.now();
      const methods = context.state.authenticationMethods
        .filter((method) => method.userId === user.id && method.type === type)
        .map((method) => methodWire(method, now));
      return json(
        200,
        collection(
          context.request,
          `users('${user.id}')/authentication/${context.params.methodKind ?? ''}`,
          methods,
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1.0/users/:userId/authentication/:methodKind/:methodId',
    service: 'graph',
    permissions: ['UserAuthenticationMethod.Read.All'],
    throttle: { kind: 'budget' },
    handler: (context) => {
      const user = requireUser(context.state, context.params.userId ?? '');
      const method = findMethod(context, user.id, requireSegmentType(context));
      return json(200, {
        '@odata.context': contextUrl(
          context.request,
          `users('${user.id}')/authentication/${context.params.methodKind ?? ''}/$entity`,
        ),
        ...methodWire(method, context.now()),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1.0/users/:userId/authentication/:methodKind/:methodId',
    service: 'graph',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    throttle: { kind: 'budget' },
    handler: deleteMethod,
  },
  {
    method: 'POST',
    path: '/v1.0/users/:userId/authentication/temporaryAccessPassMethods',
    service: 'graph',
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    throttle: { kind: 'budget' },
    handler: createTemporaryAccessPass,
  },
];
