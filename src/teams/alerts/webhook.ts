import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../observability/logger';
import { RefusalAudit } from '../../remediation/refusalAudit';
import type { AuditSink } from '../../remediation/refusalAudit';
import type { KeyValueStore } from '../../store/types';
import { alertSchema } from './alert';
import type { Alert, AlertSink } from './alert';

/**
 * POST /api/alerts: a SIEM (Microsoft Sentinel or Defender XDR through a Logic App HTTP action)
 * reports a possible compromise. The request is signed with a shared secret:
 *
 *   X-Remediator-Timestamp: <unix seconds>
 *   X-Remediator-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *
 * An accepted alert only RAISES a "possible compromise" card for responders: it never opens
 * an incident, approves a step or touches the tenant by itself.
 */

export const ALERT_TIMESTAMP_HEADER = 'x-remediator-timestamp';
export const ALERT_SIGNATURE_HEADER = 'x-remediator-signature';
export const SIGNATURE_PREFIX = 'sha256=';

/** A signed request older or newer than this is refused (clock skew plus Logic App retries). */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export interface AlertRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: string | Buffer | undefined;
}

export interface AlertResponse {
  status: number;
  body: { status: string; reference?: string; error?: string; issues?: string[] };
}

export type AlertRefusal =
  | 'MissingSignature'
  | 'BadSignature'
  | 'StaleTimestamp'
  | 'Replayed'
  | 'InvalidBody'
  | 'TooManyAlerts'
  | 'NotConfigured';

export interface AlertWebhookOptions {
  /** SECRET_ALERT_WEBHOOK_SECRET; without one every request is refused. */
  secret: string | undefined;
  sink: AlertSink;
  audit: AuditSink;
  logger: Logger;
  clock?: () => number;
  windowMs?: number;
  /** Signatures remembered within the window, bounded so a flood cannot exhaust memory. */
  maxRemembered?: number;
  /**
   * Where accepted signatures are remembered. Default: this process's memory, which a restart
   * forgets and another instance never sees; the bot passes the shared store.
   */
  replay?: ReplayMemory;
}

/** Accepted signatures, remembered until the window closes, so a replayed request is refused. */
export interface ReplayMemory {
  /** Remembers `key` until `until`: 'new' the first time, 'seen' for a replay, 'full' when out of room. */
  remember(key: string, until: number, now: number): Promise<'new' | 'seen' | 'full'>;
  /** Forgets a signature (its alert was not delivered, so the SIEM's retry must be accepted). */
  forget(key: string): Promise<void>;
}

/** One process's memory, bounded. */
export class InMemoryReplayMemory implements ReplayMemory {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxRemembered = 10_000) {}

  async remember(key: string, until: number, now: number): Promise<'new' | 'seen' | 'full'> {
    for (const [known, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(known);
    }
    if ((this.seen.get(key) ?? 0) > now) return 'seen';
    // Fail closed rather than forget a signature that could then be replayed.
    if (this.seen.size >= this.maxRemembered) return 'full';
    this.seen.set(key, until);
    return 'new';
  }

  async forget(key: string): Promise<void> {
    this.seen.delete(key);
  }
}

const REPLAY_KEY_PREFIX = 'security/alert-signatures/';

/**
 * The project's store as replay memory: survives a restart and is shared by every instance.
 * The first writer of a signature wins (create-if-absent), so two instances receiving the same
 * request at once accept it once. Only verified signatures are written, so junk cannot fill it.
 */
export class StoreReplayMemory implements ReplayMemory {
  constructor(private readonly store: KeyValueStore) {}

  async remember(key: string, until: number, now: number): Promise<'new' | 'seen' | 'full'> {
    const storeKey = REPLAY_KEY_PREFIX + createHash('sha256').update(key).digest('hex');
    if (await this.store.createItem(storeKey, { until })) return 'new';
    const existing = await this.store.getItem(storeKey);
    const remembered =
      typeof existing?.value === 'object' && existing.value !== null && 'until' in existing.value;
    const expires = remembered
      ? Number((existing.value as { until: unknown }).until)
      : Number.POSITIVE_INFINITY;
    if (!existing || expires > now) return 'seen';
    // An expired signature (its timestamp is stale anyway): take it over only if nobody else did.
    return (await this.store.setItem(storeKey, { until }, existing.eTag)) ? 'new' : 'seen';
  }

  async forget(key: string): Promise<void> {
    await this.store.deleteItem(REPLAY_KEY_PREFIX + createHash('sha256').update(key).digest('hex'));
  }
}

export function signAlert(secret: string, timestamp: string, rawBody: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

function header(headers: AlertRequest['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? undefined : value;
}

/** Constant-time comparison of two signatures, whatever their lengths. */
function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  // timingSafeEqual throws on different lengths; compare against itself to keep the timing flat.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

export class AlertWebhook {
  private readonly replay: ReplayMemory;
  private readonly refusals: RefusalAudit;
  private readonly clock: () => number;
  private readonly windowMs: number;

  constructor(private readonly options: AlertWebhookOptions) {
    this.clock = options.clock ?? Date.now;
    this.windowMs = options.windowMs ?? REPLAY_WINDOW_MS;
    this.replay = options.replay ?? new InMemoryReplayMemory(options.maxRemembered ?? 10_000);
    this.refusals = new RefusalAudit(options.audit, { clock: this.clock });
  }

  async handle(request: AlertRequest): Promise<AlertResponse> {
    const verdict = await this.verify(request);
    if (!verdict.ok) {
      await this.refuse(verdict.code, verdict.detail);
      return {
        status: verdict.status,
        body: {
          status: 'refused',
          error: verdict.code,
          ...(verdict.issues ? { issues: verdict.issues } : {}),
        },
      };
    }
    let reference: string;
    try {
      ({ reference } = await this.options.sink.raise(verdict.alert));
    } catch (error) {
      // Not delivered: forget the signature, so the SIEM's retry of this very request is accepted.
      await this.replay.forget(verdict.signatureKey);
      this.options.logger.error({ err: error, alertId: verdict.alert.alertId }, 'alert could not be posted');
      await this.options.audit.appendAudit({
        at: new Date(this.clock()).toISOString(),
        event: 'alert.failed',
        outcome: 'failed',
        detail: `${verdict.alert.source} alert ${verdict.alert.alertId}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return { status: 503, body: { status: 'not-delivered', error: 'NotDelivered' } };
    }
    await this.options.audit.appendAudit({
      at: new Date(this.clock()).toISOString(),
      event: 'alert.received',
      outcome: 'info',
      detail: `${verdict.alert.source} alert ${verdict.alert.alertId} (${verdict.alert.severity}) for ${verdict.alert.users.length} user(s); awaiting a responder`,
    });
    return { status: 202, body: { status: 'awaiting-responder', reference } };
  }

  /** Signature, freshness, replay, then the body: in that order, so unsigned input is never parsed. */
  async verify(
    request: AlertRequest,
  ): Promise<
    | { ok: true; alert: Alert; signatureKey: string }
    | { ok: false; status: number; code: AlertRefusal; detail: string; issues?: string[] }
  > {
    const secret = this.options.secret;
    if (!secret) {
      return { ok: false, status: 503, code: 'NotConfigured', detail: 'no webhook secret is configured' };
    }
    const timestamp = header(request.headers, ALERT_TIMESTAMP_HEADER);
    const signature = header(request.headers, ALERT_SIGNATURE_HEADER);
    const raw = request.rawBody === undefined ? undefined : request.rawBody.toString();
    if (!timestamp || !signature || raw === undefined) {
      return { ok: false, status: 401, code: 'MissingSignature', detail: 'timestamp or signature missing' };
    }
    if (!/^\d{1,12}$/.test(timestamp)) {
      return { ok: false, status: 401, code: 'BadSignature', detail: 'timestamp is not unix seconds' };
    }
    if (!signaturesMatch(signAlert(secret, timestamp, raw), signature.trim())) {
      return { ok: false, status: 401, code: 'BadSignature', detail: 'signature does not match' };
    }
    const now = this.clock();
    if (Math.abs(now - Number(timestamp) * 1000) > this.windowMs) {
      return {
        ok: false,
        status: 401,
        code: 'StaleTimestamp',
        detail: 'timestamp outside the 5-minute window',
      };
    }
    const key = signature.trim().toLowerCase();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, status: 400, code: 'InvalidBody', detail: 'body is not JSON' };
    }
    const parsed = alertSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 10)
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
      return { ok: false, status: 400, code: 'InvalidBody', detail: issues.join('; '), issues };
    }
    // Remembered only once it is known good: a genuine request is accepted exactly once.
    const remembered = await this.replay.remember(key, now + this.windowMs, now);
    if (remembered === 'seen') {
      return { ok: false, status: 409, code: 'Replayed', detail: 'this signed request was already received' };
    }
    // Fail closed rather than forget a signature that could then be replayed.
    if (remembered === 'full') {
      return { ok: false, status: 429, code: 'TooManyAlerts', detail: 'too many alerts within the window' };
    }
    return { ok: true, alert: parsed.data, signatureKey: key };
  }

  private async refuse(code: AlertRefusal, detail: string): Promise<void> {
    this.options.logger.warn({ code, detail }, 'alert webhook request refused');
    await this.refusals.record({ event: 'alert.refused', detail: `${code}: ${detail}` });
  }
}
