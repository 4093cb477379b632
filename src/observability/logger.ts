import pino from 'pino';
import type { Logger, DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are secrets wherever they appear in a log object. Passwords and
 * Temporary Access Passes generated during a remediation must never reach a log line.
 */
export const SECRET_KEYS = [
  'password',
  'newPassword',
  'temporaryAccessPass',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'authorization',
  'Authorization',
  'MicrosoftAppPassword',
];

const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream that records lines. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'remediator' },
    },
    options.destination,
  );
}

/** A logger that writes nowhere, for tests and library defaults. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
