import pino from 'pino';
import type { Logger, DestinationStream } from 'pino';
import { REDACTED, SecretRegistry } from './secretRegistry';

export type { Logger } from 'pino';
export { SecretRegistry } from './secretRegistry';

/**
 * Keys whose values are secrets wherever they appear in a log object. Passwords and
 * Temporary Access Passes generated during a remediation must never reach a log line.
 */
export const SECRET_KEYS = [
  'password',
  'newPassword',
  'passwordProfile',
  'temporaryAccessPass',
  'secret',
  'clientSecret',
  'client_secret',
  'appPassword',
  'connectionString',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-remediator-signature',
  'MicrosoftAppPassword',
];

/**
 * pino's fast-redact needs fixed paths; four levels deep covers request/response objects
 * (`req.headers.authorization`, `err.body.passwordProfile`). Deeper secrets are caught by value.
 */
const redactPaths = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  const top = segment.startsWith('.') ? key : segment;
  return [top, `*${segment}`, `*.*${segment}`, `*.*.*${segment}`];
});

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream that records lines. */
  destination?: DestinationStream;
  /**
   * Secrets to scrub by value from every line (generated passwords, TAPs, config secrets).
   * Bearer tokens and JWTs are scrubbed by pattern even without one.
   */
  secrets?: SecretRegistry;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? new SecretRegistry();
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: REDACTED },
      base: { service: 'remediator' },
      // The last stop before a line leaves the process: whatever key or message a secret hid
      // in (an error message, a logged request body), it is replaced here.
      hooks: { streamWrite: (line) => secrets.redact(line) },
    },
    options.destination,
  );
}

/** A logger that writes nowhere, for tests and library defaults. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
