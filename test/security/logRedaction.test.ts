import { describe, expect, it } from 'vitest';
import type {
  M365Services,
  TemporaryAccessPass,
  UsersClient,
  AuthMethodsClient,
  WriteResult,
} from '../../src/m365/types';
import { loadConfig } from '../../src/config/config';
import { createLogger, SecretRegistry } from '../../src/observability/logger';
import { withSecretRegistration } from '../../src/m365/secretRegistration';
import { registerConfigSecrets } from '../../src/runtime/configSecrets';

function recordingLogger(secrets?: SecretRegistry) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: { write: (line: string) => void lines.push(line) },
    ...(secrets ? { secrets } : {}),
  });
  return { logger, lines, text: () => lines.join('') };
}

const PASSWORD = 'Kq7#mWz$Pa9xRt!vNb4e';
const TAP = 'T@p-9Xy2-LmQ8';

describe('the logger redacts secrets by key', () => {
  it.each([
    ['password', { password: PASSWORD }],
    ['a nested passwordProfile', { request: { body: { passwordProfile: { password: PASSWORD } } } }],
    ['temporaryAccessPass', { result: { temporaryAccessPass: PASSWORD } }],
    ['an Authorization header', { req: { headers: { authorization: `Bearer ${PASSWORD}` } } }],
    ['a cookie header', { req: { headers: { cookie: `session=${PASSWORD}` } } }],
    ['clientSecret', { config: { clientSecret: PASSWORD } }],
    ['MicrosoftAppPassword', { MicrosoftAppPassword: PASSWORD }],
    ['a webhook signature header', { headers: { 'x-remediator-signature': `sha256=${PASSWORD}` } }],
  ])('%s', (_name, object) => {
    const { logger, text } = recordingLogger();
    logger.info(object, 'request');
    expect(text()).not.toContain(PASSWORD);
    expect(text()).toContain('[redacted]');
  });
});

describe('the logger redacts secrets by value, wherever they hide', () => {
  it('a registered password in a message, an error, or an unknown key is replaced', () => {
    const secrets = new SecretRegistry();
    secrets.register(PASSWORD);
    const { logger, text } = recordingLogger(secrets);
    logger.info(`new password is ${PASSWORD}`);
    logger.error({ err: new Error(`PATCH failed for body {"password":"${PASSWORD}"}`) }, 'failed');
    logger.debug({ whatever: { deeply: { nested: [PASSWORD] } } }, 'x');
    expect(lines(text())).toBeGreaterThan(2);
    expect(text()).not.toContain(PASSWORD);
  });

  it('a value with characters JSON escapes is found in its escaped form too', () => {
    const secrets = new SecretRegistry();
    const tricky = 'ab"cd\\ef\ngh';
    secrets.register(tricky);
    const { logger, text } = recordingLogger(secrets);
    logger.info({ note: tricky }, 'x');
    expect(text()).not.toContain(JSON.stringify(tricky).slice(1, -1));
  });

  it('bearer tokens and JWTs are removed by pattern even when nobody registered them', () => {
    const { logger, text } = recordingLogger();
    const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJpc3MiOiJodHRwczovL2FwaSJ9', 'c2lnbmF0dXJlLXZhbHVlLXh5eg'].join(
      '.',
    );
    logger.info(`calling with Bearer abc.def-ghi and ${jwt}`);
    logger.info(
      'connection DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5c2VjcmV0;EndpointSuffix=core',
    );
    logger.info('POST /token client_secret=s3cr3t-value&grant_type=client_credentials');
    expect(text()).not.toContain('abc.def-ghi');
    expect(text()).not.toContain(jwt);
    expect(text()).not.toContain('c2VjcmV0a2V5');
    expect(text()).not.toContain('s3cr3t-value');
  });

  it('short values are not registered (they would shred every line) and old ones expire', () => {
    let now = 0;
    const secrets = new SecretRegistry({ ttlMs: 1_000, clock: () => now });
    secrets.register('abc');
    expect(secrets.size).toBe(0);
    secrets.register(PASSWORD);
    expect(secrets.redact(`x ${PASSWORD} y`)).toBe('x [redacted] y');
    now = 1_001;
    expect(secrets.contains(PASSWORD)).toBe(false);
  });

  it('a secret that contains another is removed whole', () => {
    const secrets = new SecretRegistry();
    secrets.register('secret-part');
    secrets.register('the-secret-part-and-more');
    expect(secrets.redact('the-secret-part-and-more')).toBe('[redacted]');
  });
});

function lines(text: string): number {
  return text.split('\n').filter((line) => line.length > 0).length;
}

describe('generated credentials are registered as they cross the service layer', () => {
  function fakeServices(calls: string[]): M365Services {
    const users = {
      resetPassword: async (userId: string): Promise<WriteResult> => {
        calls.push(`resetPassword ${userId}`);
        return { requestId: 'r1' } as WriteResult;
      },
      getUser: async (id: string) => {
        calls.push(`getUser ${id}`);
        return { id } as never;
      },
    } as unknown as UsersClient;
    const authMethods = {
      createTemporaryAccessPass: async (userId: string) => {
        calls.push(`createTemporaryAccessPass ${userId}`);
        return {
          id: 'tap-1',
          temporaryAccessPass: TAP,
          startDateTime: '2026-11-25T22:00:00Z',
          lifetimeInMinutes: 60,
          isUsableOnce: true,
          requestId: 'r2',
        } as TemporaryAccessPass & WriteResult;
      },
    } as unknown as AuthMethodsClient;
    return { users, authMethods } as unknown as M365Services;
  }

  it('a password is registered BEFORE the request that sets it, a TAP as soon as it is returned', async () => {
    const calls: string[] = [];
    const secrets = new SecretRegistry();
    const services = withSecretRegistration(fakeServices(calls), secrets);
    await services.users.resetPassword('megan', PASSWORD, true);
    expect(secrets.contains(PASSWORD)).toBe(true);
    const tap = await services.authMethods.createTemporaryAccessPass('megan', {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(tap.temporaryAccessPass).toBe(TAP);
    expect(secrets.contains(TAP)).toBe(true);
    // Other methods pass straight through.
    await services.users.getUser('megan');
    expect(calls).toEqual(['resetPassword megan', 'createTemporaryAccessPass megan', 'getUser megan']);
  });

  it('a password is scrubbed from the log even when the request fails and the error carries it', async () => {
    const secrets = new SecretRegistry();
    const failing = {
      users: {
        resetPassword: async (_id: string, password: string) => {
          throw new Error(`400 Bad Request: password ${password} does not meet complexity`);
        },
      },
      authMethods: {},
    } as unknown as M365Services;
    const services = withSecretRegistration(failing, secrets);
    const { logger, text } = recordingLogger(secrets);
    await services.users
      .resetPassword('megan', PASSWORD, true)
      .catch((error: unknown) => logger.error({ err: error }, 'reset failed'));
    expect(text()).toContain('reset failed');
    expect(text()).not.toContain(PASSWORD);
  });

  it('configuration secrets are registered at start-up', () => {
    const secrets = new SecretRegistry();
    const config = loadConfig({
      SECRET_BOT_PASSWORD: 'bot-password-value-123',
      SECRET_ALERT_WEBHOOK_SECRET: 'w'.repeat(40),
      SECRET_M365_CLIENT_SECRET: 'client-secret-value-456',
    });
    registerConfigSecrets(config, secrets);
    expect(secrets.redact('bot-password-value-123 client-secret-value-456 ' + 'w'.repeat(40))).toBe(
      '[redacted] [redacted] [redacted]',
    );
  });
});
