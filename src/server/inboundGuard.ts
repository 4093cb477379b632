import { z } from 'zod';
import { RequestRefusedError } from './botAuthentication';

/** Teams sends small activities; these bounds refuse crafted giants before any handler sees them. */
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(1_000).optional(),
    channelId: z.string().max(64).optional(),
    serviceUrl: z.string().max(2_000).optional(),
    text: z.string().max(40_000).optional(),
    locale: z.string().max(64).optional(),
    from: z
      .object({ id: z.string().max(1_000) })
      .passthrough()
      .optional(),
    conversation: z
      .object({ id: z.string().max(2_000) })
      .passthrough()
      .optional(),
    entities: z.array(z.unknown()).max(100).optional(),
    attachments: z.array(z.unknown()).max(50).optional(),
  })
  .passthrough();

/** The activity is an object of the expected shape (400 otherwise). */
export function assertActivityShape(body: unknown): void {
  const parsed = activityShape.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RequestRefusedError(
      400,
      'BadActivity',
      issue ? `${issue.path.join('.') || '(activity)'}: ${issue.message}` : 'not an activity',
    );
  }
}

export interface InboundGuardOptions {
  /** The one tenant Remediator serves; activities from any other are refused. */
  allowedTenantId?: string;
  /**
   * Channels whose sender identity the bot trusts. Only Teams vouches for `from.aadObjectId`;
   * Web Chat or Direct Line clients (enabled on every Azure Bot by default) could claim any.
   */
  allowedChannelIds?: string[];
}

function tenantsOf(activity: Record<string, unknown>): string[] {
  const conversation = activity.conversation as { tenantId?: unknown } | undefined;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  return [conversation?.tenantId, channelData?.tenant?.id]
    .filter((value): value is string => typeof value === 'string' && value.length > 0)
    .map((value) => value.toLowerCase());
}

/**
 * Channel and tenant pinning, checked after authentication and before any bot logic. The
 * refusal is a 403; the caller audits it.
 */
export function assertInboundAllowed(activity: Record<string, unknown>, options: InboundGuardOptions): void {
  const channels = options.allowedChannelIds ?? ['msteams'];
  const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
  if (!channels.includes(channelId)) {
    throw new RequestRefusedError(403, 'WrongChannel', `channel "${channelId.slice(0, 64)}" is not served`);
  }
  const tenants = tenantsOf(activity);
  if (new Set(tenants).size > 1) {
    throw new RequestRefusedError(
      403,
      'TenantMismatch',
      'conversation and channel data name different tenants',
    );
  }
  const allowed = options.allowedTenantId?.toLowerCase();
  if (!allowed) return;
  const [tenant] = tenants;
  if (!tenant) throw new RequestRefusedError(403, 'NoTenant', 'the activity names no tenant');
  if (tenant !== allowed) {
    throw new RequestRefusedError(
      403,
      'WrongTenant',
      `tenant ${tenant.slice(0, 64)} is not the configured tenant`,
    );
  }
}
