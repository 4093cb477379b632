import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Request, Response, Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../observability/logger';
import type { AlertWebhook } from '../teams/alerts';
import { GuardedCloudAdapter } from './botAuthentication';
import { createMessagesHandler } from './messagesHandler';
import type { AuditSink } from '../security/refusalAudit';

/** A dependency /readyz checks: the store, the tenant. Throws (or rejects) when not ready. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

export interface BotServerOptions {
  adapter: CloudAdapter;
  /** The bot's turn logic (RemediatorBot.run). */
  runTurn(context: TurnContext): Promise<void>;
  probes: ReadinessProbe[];
  logger: Logger;
  /** Bot Framework activities are small; anything bigger is refused before parsing. */
  maxBodyBytes?: number;
  /** A readiness check slower than this counts as a failure. */
  probeTimeoutMs?: number;
  /** Activities from any other tenant are refused (403) before the bot sees them. */
  allowedTenantId?: string;
  /** Where refused requests (wrong tenant, wrong channel) are audited. */
  audit?: AuditSink;
  /** POST /api/alerts, the signed SIEM webhook; the route exists only when given. */
  alerts?: AlertWebhook;
  /** True once shutdown began: /readyz answers 503 so load balancers stop routing here. */
  isDraining?: () => boolean;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

async function withTimeout(check: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** restify app: POST /api/messages (CloudAdapter), GET /healthz (alive), GET /readyz (dependencies). */
export function createBotServer(options: BotServerOptions): Server {
  const { adapter, logger } = options;
  const probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  const server = restify.createServer({ name: 'remediator', handleUncaughtExceptions: false });
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      mapParams: false,
      // Malformed JSON is answered 400 by the JSON parser, before the adapter sees it.
      rejectUnknown: true,
    }),
  );

  if (adapter instanceof GuardedCloudAdapter) {
    // Shape (400), token (401, whatever botbuilder threw), channel and tenant (403), then the bot.
    server.post(
      '/api/messages',
      createMessagesHandler({
        adapter,
        runTurn: (context) => options.runTurn(context),
        logger,
        ...(options.allowedTenantId ? { allowedTenantId: options.allowedTenantId } : {}),
        ...(options.audit ? { audit: options.audit } : {}),
      }),
    );
  } else {
    // A plain CloudAdapter (tests of the HTTP plumbing): botbuilder's own request handling.
    server.post('/api/messages', async (req: Request, res: Response) => {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        res.send(400, { error: 'Expected a JSON activity.' });
        return;
      }
      await adapter.process(req, res, (context) => options.runTurn(context));
    });
  }

  const alerts = options.alerts;
  if (alerts) {
    server.post('/api/alerts', async (req: Request, res: Response) => {
      // restify's JSON parser keeps the exact bytes received: the signature covers those.
      const { rawBody } = req as Request & { rawBody?: string | Buffer };
      try {
        const answer = await alerts.handle({ headers: req.headers, rawBody });
        res.send(answer.status, answer.body);
      } catch (error) {
        logger.error({ err: error }, 'alert webhook failed');
        res.send(500, { status: 'error' });
      }
    });
  }

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'alive' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (options.isDraining?.()) {
      res.send(503, { status: 'draining', checks: [] });
      return;
    }
    const results = await Promise.all(
      options.probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), probeTimeoutMs);
          return { name: probe.name, ready: true };
        } catch (error) {
          // The reason goes to the log only: /readyz is unauthenticated.
          logger.warn({ err: error, probe: probe.name }, 'readiness probe failed');
          return { name: probe.name, ready: false };
        }
      }),
    );
    const ready = results.every((result) => result.ready);
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
  });

  return server;
}

export async function listen(server: Server, port: number, host: string): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
