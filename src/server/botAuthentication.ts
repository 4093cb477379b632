import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type {
  Activity,
  ConfigurationBotFrameworkAuthenticationOptions,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import type { BotConfig } from '../config/config';

// botframework-connector is botbuilder's own dependency, not ours: its types are taken from
// botbuilder's signatures and its public-cloud constants are restated below.
type BotFrameworkAuthentication = ConstructorParameters<typeof CloudAdapter>[0] & object;
type AuthenticationConfiguration = NonNullable<
  ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[2]
>;
type AuthenticateRequestResult = Awaited<ReturnType<BotFrameworkAuthentication['authenticateRequest']>>;
type Claim = Parameters<NonNullable<AuthenticationConfiguration['validateClaims']>>[0][number];

/** botframework-connector AuthenticationConstants (public Azure cloud). */
const PUBLIC_CLOUD = {
  toBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  toBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  toBotFromChannelTokenIssuer: 'https://api.botframework.com',
  toChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  toChannelFromBotOAuthScope: 'https://api.botframework.com',
  oAuthUrl: 'https://api.botframework.com',
  callerId: 'urn:botframework:azure',
} as const;

/**
 * Where Bot Framework tokens are validated against. Production uses botbuilder's public-cloud
 * defaults; tests point the metadata URLs at a local OpenID configuration + JWKS.
 */
export interface BotAuthenticationEndpoints {
  /** OpenID metadata for tokens from the Bot Framework channel service (Teams). */
  channelOpenIdMetadataUrl: string;
  /** OpenID metadata botbuilder uses for Emulator and skill tokens (which we refuse anyway). */
  emulatorOpenIdMetadataUrl: string;
  /** The `iss` of channel tokens: https://api.botframework.com. */
  channelTokenIssuer: string;
}

export const PUBLIC_CLOUD_ENDPOINTS: BotAuthenticationEndpoints = {
  channelOpenIdMetadataUrl: PUBLIC_CLOUD.toBotFromChannelOpenIdMetadataUrl,
  emulatorOpenIdMetadataUrl: PUBLIC_CLOUD.toBotFromEmulatorOpenIdMetadataUrl,
  channelTokenIssuer: PUBLIC_CLOUD.toBotFromChannelTokenIssuer,
};

function claimValue(claims: Claim[], type: string): string | undefined {
  return claims.find((claim) => claim.type === type)?.value;
}

/**
 * Remediator talks to Teams only. botbuilder also accepts Emulator tokens (issued by Entra ID to
 * anyone holding the bot's credentials) and skill tokens (from other bots, issued by Entra ID);
 * neither has a place here, so every token must be a channel token issued by the Bot Framework.
 */
export function channelTokensOnly(channelTokenIssuer: string): AuthenticationConfiguration {
  return {
    requiredEndorsements: [],
    validateClaims: async (claims: Claim[]) => {
      if (claimValue(claims, 'iss') !== channelTokenIssuer) {
        throw new Error('Only Bot Framework channel tokens are accepted (no Emulator or skill tokens).');
      }
    },
  };
}

export interface BotAuthenticationOptions {
  bot: Pick<BotConfig, 'appId' | 'appPassword' | 'appType'>;
  tenantId?: string;
  /** Defaults to the public cloud; tests pass local endpoints. */
  endpoints?: BotAuthenticationEndpoints;
}

/** ConfigurationBotFrameworkAuthentication with Teams-only claims validation. */
export function createBotFrameworkAuthentication(
  options: BotAuthenticationOptions,
): BotFrameworkAuthentication {
  const { bot, tenantId } = options;
  const endpoints = options.endpoints ?? PUBLIC_CLOUD_ENDPOINTS;
  // botbuilder insists on an app id for SingleTenant; the anonymous demo has none, and
  // MultiTenant with empty credentials is how botbuilder expresses "no authentication".
  const appType = bot.appId ? bot.appType : 'MultiTenant';
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: appType === 'SingleTenant' ? (tenantId ?? '') : '',
    // Setting any of these makes botbuilder use exactly these values (all of them, so the
    // outbound ones keep their public-cloud defaults).
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: PUBLIC_CLOUD.toChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: PUBLIC_CLOUD.toChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: endpoints.channelTokenIssuer,
    OAuthUrl: PUBLIC_CLOUD.oAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: endpoints.channelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl,
    CallerId: PUBLIC_CLOUD.callerId,
  };
  return new ConfigurationBotFrameworkAuthentication(
    settings,
    undefined,
    channelTokensOnly(endpoints.channelTokenIssuer),
  );
}

/** Why a request was refused before any bot logic ran. */
export class RequestRefusedError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly code: string,
    /** For the log only; the caller gets the status and a fixed message. */
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'RequestRefusedError';
  }
}

/**
 * CloudAdapter that authenticates a request as a separate step, so the server can refuse it
 * with a clean 401 (botbuilder's own `process` answers some token failures with 500 and echoes
 * the internal reason to the caller), check the tenant and channel with the claims in hand,
 * and only then run the turn.
 */
export class GuardedCloudAdapter extends CloudAdapter {
  constructor(private readonly authentication: BotFrameworkAuthentication) {
    super(authentication);
  }

  /** Every failure, whatever botbuilder or jsonwebtoken threw, is a 401. */
  async authenticate(activity: Partial<Activity>, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.authentication.authenticateRequest(activity as Activity, authHeader);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new RequestRefusedError(401, 'Unauthorized', detail);
    }
  }

  /** Runs the turn with an already validated identity (no second token validation). */
  async runAuthenticated(
    authentication: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, activity, logic);
  }
}
