import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../observability/logger';
import { RequestRefusedError } from './botAuthentication';
import type { GuardedCloudAdapter } from './botAuthentication';
import { assertActivityShape, assertInboundAllowed } from './inboundGuard';
import type { InboundGuardOptions } from './inboundGuard';
import { RefusalAudit } from '../security/refusalAudit';
import type { AuditSink } from '../security/refusalAudit';

export interface MessagesHandlerOptions extends InboundGuardOptions {
  adapter: GuardedCloudAdapter;
  runTurn(context: TurnContext): Promise<void>;
  logger: Logger;
  /** Tenant and channel refusals are audited here (rate-limited). */
  audit?: AuditSink;
}

/** Fixed answers: a refused caller learns the status, never the reason (that goes to the log). */
const REFUSAL_BODIES: Record<number, { error: string }> = {
  400: { error: 'BadRequest' },
  401: { error: 'Unauthorized' },
  403: { error: 'Forbidden' },
};

/** Who the (authenticated) caller said they were, for the audit trail; bounded, never trusted. */
function origin(body: unknown): string {
  const activity = body as { from?: { aadObjectId?: unknown }; conversation?: { id?: unknown } };
  const from = typeof activity.from?.aadObjectId === 'string' ? activity.from.aadObjectId.slice(0, 64) : '';
  const conversation =
    typeof activity.conversation?.id === 'string' ? activity.conversation.id.slice(0, 200) : '';
  return ` (from ${from || 'unknown'} in ${conversation || 'unknown conversation'})`;
}

function authorizationHeader(req: Request): string {
  const value = req.headers.authorization;
  return typeof value === 'string' ? value : '';
}

/**
 * POST /api/messages: shape (400), token (401), channel and tenant (403), and only then the bot.
 * Nothing before the last step runs bot logic, touches the store (except the audit of a
 * refusal from an authenticated caller) or the tenant.
 */
export function createMessagesHandler(options: MessagesHandlerOptions) {
  const { adapter, logger } = options;
  const refusals = new RefusalAudit(options.audit);

  return async (req: Request, res: Response): Promise<void> => {
    let stage: 'shape' | 'token' | 'inbound' = 'shape';
    try {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new RequestRefusedError(400, 'BadActivity', 'body is not a JSON object');
      }
      assertActivityShape(body);
      const activity = body as Activity;
      stage = 'token';
      const authentication = await adapter.authenticate(activity, authorizationHeader(req));
      stage = 'inbound';
      assertInboundAllowed(body as Record<string, unknown>, options);
      const invoke = await adapter.runAuthenticated(authentication, activity, (context) =>
        options.runTurn(context),
      );
      res.send(invoke?.status ?? 200, invoke?.body);
    } catch (error) {
      if (error instanceof RequestRefusedError) {
        logger.warn({ code: error.code, detail: error.detail, status: error.status }, 'request refused');
        if (stage === 'inbound') {
          await refusals
            .record({ event: 'request.refused', detail: `${error.code}: ${error.detail}${origin(req.body)}` })
            .catch((auditError: unknown) => logger.error({ err: auditError }, 'audit of a refusal failed'));
        }
        res.send(error.status, REFUSAL_BODIES[error.status]);
        return;
      }
      // onTurnError has already answered the user; the channel gets no internals.
      logger.error({ err: error }, 'processing an activity failed');
      res.send(500, { error: 'InternalError' });
    }
  };
}
