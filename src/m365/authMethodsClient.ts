import { invalidInput } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment } from './graph/urls';
import { authMethodWire, temporaryAccessPassWire } from './graph/wire';
import type {
  AuthMethod,
  AuthMethodKind,
  AuthMethodsClient,
  TemporaryAccessPass,
  WriteResult,
} from './types';

type AuthMethodWire = ReturnType<typeof authMethodWire.parse>;

const KIND_BY_ODATA_TYPE: Record<string, AuthMethodKind> = {
  '#microsoft.graph.passwordAuthenticationMethod': 'password',
  '#microsoft.graph.phoneAuthenticationMethod': 'phone',
  '#microsoft.graph.emailAuthenticationMethod': 'email',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticator',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOath',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPass',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusiness',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredential',
};

/** The per-type collection a method is deleted through (Graph has no generic DELETE). */
const COLLECTION_BY_KIND: Partial<Record<AuthMethodKind, string>> = {
  phone: 'phoneMethods',
  email: 'emailMethods',
  microsoftAuthenticator: 'microsoftAuthenticatorMethods',
  fido2: 'fido2Methods',
  softwareOath: 'softwareOathMethods',
  temporaryAccessPass: 'temporaryAccessPassMethods',
  windowsHelloForBusiness: 'windowsHelloForBusinessMethods',
  platformCredential: 'platformCredentialMethods',
};

function describe(kind: AuthMethodKind, wire: AuthMethodWire): string {
  switch (kind) {
    case 'password':
      return 'Password';
    case 'phone':
      return [wire.phoneNumber, wire.phoneType ? `(${wire.phoneType})` : undefined].filter(Boolean).join(' ');
    case 'email':
      return wire.emailAddress ?? '';
    case 'fido2':
      return wire.displayName ?? wire.model ?? 'Security key';
    case 'softwareOath':
      return 'Software OATH token';
    case 'temporaryAccessPass':
      return 'Temporary Access Pass';
    default:
      return wire.displayName ?? wire.deviceTag ?? '';
  }
}

export function toAuthMethod(wire: AuthMethodWire): AuthMethod {
  const kind = KIND_BY_ODATA_TYPE[wire['@odata.type']] ?? 'other';
  return {
    id: wire.id,
    kind,
    detail: describe(kind, wire),
    createdDateTime: wire.createdDateTime ?? undefined,
  };
}

/** Entra ID accepts 10 minutes to 30 days for a Temporary Access Pass. */
const TAP_MIN_MINUTES = 10;
const TAP_MAX_MINUTES = 43_200;

export class GraphAuthMethodsClient implements AuthMethodsClient {
  constructor(private readonly api: GraphApi) {}

  async listMethods(userId: string): Promise<AuthMethod[]> {
    const user = pathSegment('authMethods.listMethods', userId, 'User id');
    const methods = await this.api.listAll(
      { operation: 'authMethods.listMethods', method: 'GET', url: `/users/${user}/authentication/methods` },
      authMethodWire,
    );
    return methods.map(toAuthMethod);
  }

  async deleteMethod(userId: string, method: Pick<AuthMethod, 'id' | 'kind'>): Promise<WriteResult> {
    const collection = COLLECTION_BY_KIND[method.kind];
    if (collection === undefined) {
      throw invalidInput(
        'authMethods.deleteMethod',
        `A ${method.kind} method cannot be deleted through Graph.`,
      );
    }
    const user = pathSegment('authMethods.deleteMethod', userId, 'User id');
    const id = pathSegment('authMethods.deleteMethod', method.id, 'Method id');
    const { requestId } = await this.api.call({
      operation: 'authMethods.deleteMethod',
      method: 'DELETE',
      url: `/users/${user}/authentication/${collection}/${id}`,
    });
    return { requestId };
  }

  async createTemporaryAccessPass(
    userId: string,
    options: { lifetimeInMinutes: number; isUsableOnce: boolean },
  ): Promise<TemporaryAccessPass & WriteResult> {
    const { lifetimeInMinutes, isUsableOnce } = options;
    if (
      !Number.isInteger(lifetimeInMinutes) ||
      lifetimeInMinutes < TAP_MIN_MINUTES ||
      lifetimeInMinutes > TAP_MAX_MINUTES
    ) {
      throw invalidInput(
        'authMethods.createTemporaryAccessPass',
        `lifetimeInMinutes must be a whole number from ${TAP_MIN_MINUTES} to ${TAP_MAX_MINUTES}.`,
      );
    }
    const user = pathSegment('authMethods.createTemporaryAccessPass', userId, 'User id');
    const { body, requestId } = await this.api.read(
      {
        operation: 'authMethods.createTemporaryAccessPass',
        method: 'POST',
        url: `/users/${user}/authentication/temporaryAccessPassMethods`,
        body: { lifetimeInMinutes, isUsableOnce },
      },
      temporaryAccessPassWire,
    );
    return {
      id: body.id,
      temporaryAccessPass: body.temporaryAccessPass,
      startDateTime: body.startDateTime ?? new Date().toISOString(),
      lifetimeInMinutes: body.lifetimeInMinutes,
      isUsableOnce: body.isUsableOnce,
      requestId,
    };
  }
}
