import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('loadConfig', () => {
  it('defaults to a simulated tenant, four-eyes on and no anonymous demo', () => {
    const config = loadConfig({});
    expect(config.tenant.mode).toBe('simulated');
    expect(config.policy.fourEyes).toBe(true);
    expect(config.bot.localDemo).toBe(false);
    expect(config.bot.host).toBe('127.0.0.1');
  });

  it('names every missing variable for a live tenant', () => {
    expect(() => loadConfig({ TENANT_MODE: 'live' })).toThrow(ConfigError);
    try {
      loadConfig({ TENANT_MODE: 'live' });
    } catch (error) {
      expect((error as ConfigError).issues.join('\n')).toMatch(
        /M365_TENANT_ID[\s\S]*M365_CLIENT_ID[\s\S]*SECRET_M365_CLIENT_SECRET/,
      );
    }
  });

  it('rejects a malformed value with the variable name', () => {
    expect(() => loadConfig({ RESPONDERS_GROUP_ID: 'not-a-guid' })).toThrow(
      /RESPONDERS_GROUP_ID: must be a GUID/,
    );
    expect(() => loadConfig({ FOUR_EYES: 'maybe' })).toThrow(/FOUR_EYES/);
  });

  it('splits break-glass accounts', () => {
    expect(
      loadConfig({ BREAK_GLASS_ACCOUNTS: ' a@contoso.com, b@contoso.com ,' }).policy.breakGlassAccounts,
    ).toEqual(['a@contoso.com', 'b@contoso.com']);
  });
});
