import net from 'node:net';
import type { BotConfig } from '../config/config';

export class StartupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupRefusedError';
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1';
  return false;
}

/**
 * Without an app id botbuilder accepts every request anonymously, on any interface. That is
 * only acceptable for the explicit local demo, bound to loopback.
 */
export function assertBotMayStart(bot: Pick<BotConfig, 'appId' | 'localDemo' | 'host'>): void {
  if (bot.appId) return;
  if (!bot.localDemo) {
    throw new StartupRefusedError(
      'Refusing to start: BOT_ID is not set, so requests could not be authenticated. Set BOT_ID (and SECRET_BOT_PASSWORD), or set LOCAL_DEMO=true for an anonymous demo on loopback.',
    );
  }
  if (!isLoopbackHost(bot.host)) {
    throw new StartupRefusedError(
      `Refusing to start: LOCAL_DEMO=true without BOT_ID accepts unauthenticated requests, so HOST must be a loopback address (127.0.0.1, ::1 or localhost), not "${bot.host}".`,
    );
  }
}
