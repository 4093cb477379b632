import type { BotConfig } from '../config/config';
import { createBotFrameworkAuthentication, GuardedCloudAdapter } from './botAuthentication';
import type { BotAuthenticationEndpoints } from './botAuthentication';

/**
 * CloudAdapter with real Bot Framework JWT validation whenever an app id is configured (Teams
 * channel tokens only); with none (the guarded local demo) botbuilder runs anonymously.
 * `endpoints` points token validation at a local OpenID configuration in tests.
 */
export function createCloudAdapter(
  bot: BotConfig,
  tenantId: string | undefined,
  endpoints?: BotAuthenticationEndpoints,
): GuardedCloudAdapter {
  return new GuardedCloudAdapter(
    createBotFrameworkAuthentication({
      bot,
      ...(tenantId ? { tenantId } : {}),
      ...(endpoints ? { endpoints } : {}),
    }),
  );
}
