import type { Logger } from '../observability/logger';

export interface GracefulShutdownOptions {
  /** Stops the server, lets work in flight finish and closes the store. */
  close(): Promise<void>;
  logger: Logger;
  /** After this long the process gives up waiting and exits 1 (the platform would kill it anyway). */
  timeoutMs: number;
  /** process.exit in production; a recorder in tests. */
  exit(code: number): void;
}

/**
 * The signal handler of the bot process. The first SIGTERM/SIGINT starts an orderly close
 * (exit 0 when it completes, 1 when it fails or outlasts the deadline); a second signal means
 * the operator does not want to wait, so the process exits at once.
 */
export function createSignalHandler(options: GracefulShutdownOptions): (signal: NodeJS.Signals) => void {
  const { logger } = options;
  let shuttingDown = false;
  let exited = false;
  // Exactly one exit code wins: a close() that settles after the deadline must not overrule it.
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    options.exit(code);
  };
  return (signal) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down: draining requests in flight');
    const startedAt = Date.now();
    // Not unref'd: if close() hangs with nothing else pending, the deadline must still fire.
    const deadline = setTimeout(() => {
      logger.error({ signal, timeoutMs: options.timeoutMs }, 'shutdown deadline passed: exiting');
      exit(1);
    }, options.timeoutMs);
    let closing: Promise<void>;
    try {
      closing = options.close();
    } catch (error) {
      closing = Promise.reject(error);
    }
    closing.then(
      () => {
        clearTimeout(deadline);
        logger.info({ signal, durationMs: Date.now() - startedAt }, 'shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error({ err: error, signal }, 'shutdown failed');
        exit(1);
      },
    );
  };
}
