import type { AuthMethodsClient, M365Services, UsersClient } from './types';
import type { SecretRegistry } from '../observability/secretRegistry';

/**
 * Registers every credential Remediator generates at the moment it crosses the service layer,
 * BEFORE the request is sent: a password is registered before the PATCH that sets it (so a
 * failed request's error, logged at any level, is scrubbed too), a TAP as soon as Entra returns
 * it. The engine needs no change to be covered: the composition root wraps its services.
 */
export function withSecretRegistration(services: M365Services, secrets: SecretRegistry): M365Services {
  const users = services.users;
  const authMethods = services.authMethods;
  const wrappedUsers = delegate<UsersClient>(users, {
    resetPassword: (userId, password, forceChangeNextSignIn) => {
      secrets.register(password);
      return users.resetPassword(userId, password, forceChangeNextSignIn);
    },
  });
  const wrappedAuthMethods = delegate<AuthMethodsClient>(authMethods, {
    createTemporaryAccessPass: async (userId, options) => {
      const pass = await authMethods.createTemporaryAccessPass(userId, options);
      secrets.register(pass.temporaryAccessPass);
      return pass;
    },
  });
  return { ...services, users: wrappedUsers, authMethods: wrappedAuthMethods };
}

/**
 * An object that answers `overrides` itself and forwards every other method to `target`
 * (bound, so class instances keep their private state).
 */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) {
        return (overrides as Record<PropertyKey, unknown>)[property];
      }
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
