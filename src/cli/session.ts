import pino from 'pino';
import { loadConfig } from '../config/config';
import { createLogger, SecretRegistry } from '../observability/logger';
import type { Logger } from '../observability/logger';
import { CRASH_POINTS } from '../remediation';
import type { CrashPoint } from '../remediation';
import { createCliEnvironment } from './environment';
import type { CliEnvironment } from './environment';
import { LineReader } from './prompt';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Options every command takes. */
export interface GlobalOptions {
  fixture?: string;
  tenantUrl?: string;
  dataDir?: string;
  as?: string;
  solo?: boolean;
  verbose?: boolean;
}

/** Test-only hook: REMEDIATOR_CRASH_POINT=<point>[:<n>] kills the process at the n-th time it reaches <point>. */
export const CRASH_POINT_VARIABLE = 'REMEDIATOR_CRASH_POINT';

function crashHookFrom(value: string | undefined): ((point: CrashPoint) => void) | undefined {
  if (!value) return undefined;
  const [name, count] = value.split(':');
  if (!CRASH_POINTS.includes(name as CrashPoint)) return undefined;
  let remaining = count ? Number(count) : 1;
  return (point) => {
    if (point !== name) return;
    remaining -= 1;
    if (remaining === 0) process.kill(process.pid, 'SIGKILL');
  };
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * One invocation of the CLI: its streams and environment variables, the runtime it opens for a
 * command (and closes after), and the answers it reads from the terminal.
 */
export class CliSession {
  private reader: LineReader | undefined;

  constructor(
    readonly io: CliIo,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async withEnvironment<T>(
    options: GlobalOptions,
    run: (environment: CliEnvironment) => Promise<T>,
  ): Promise<T> {
    const config = loadConfig(this.env);
    // The same by-value redaction as the bot: configuration secrets and every generated credential.
    const secrets = new SecretRegistry();
    const logger: Logger = createLogger({
      level: options.verbose ? 'debug' : 'warn',
      secrets,
      // Logs go to stderr so stdout stays clean for --json.
      destination: pino.destination(2),
    });
    const crashHook = crashHookFrom(this.env[CRASH_POINT_VARIABLE]);
    const environment = await createCliEnvironment({
      config,
      logger,
      secrets,
      solo: options.solo ?? false,
      ...(options.fixture ? { fixture: options.fixture } : {}),
      ...(options.tenantUrl ? { tenantUrl: options.tenantUrl } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(crashHook ? { crashHook } : {}),
    });
    try {
      // Finish whatever a previous run left half-done before doing anything new.
      await environment.engine.resumeInterrupted();
      return await run(environment);
    } finally {
      await environment.close();
    }
  }

  async ask(question: string): Promise<string> {
    this.io.stdout.write(question);
    this.reader ??= new LineReader(this.io.stdin);
    const answer = await this.reader.next();
    return (answer ?? '').trim().toLowerCase().charAt(0);
  }

  close(): void {
    this.reader?.close();
  }
}
