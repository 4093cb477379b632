import { TurnContext } from 'botbuilder';
import type { Activity, ConversationReference, ResourceResponse, SendActivitiesHandler } from 'botbuilder';
import type { Logger } from '../../observability/logger';
import type { ConversationGateway, PrivateDelivery } from '../gateway';
import { SlidingWindowPacer } from './slidingWindow';
import {
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
  TRANSIENT_STATUSES,
  pacedBelow,
} from './teamsLimits';
import type { RateWindow } from './teamsLimits';

/** A write that did not arrive after every attempt; the caller decides what that means. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryStats {
  posts: number;
  updates: number;
  privatePosts: number;
  /** Updates that never went out because a newer content for the same message replaced them. */
  coalesced: number;
  retries: number;
  throttled: number;
  failed: number;
}

export interface OutboxOptions {
  /** Does the actual connector call (CloudAdapterGateway in production). */
  writer: ConversationGateway;
  logger: Logger;
  /** Limits per conversation and per tenant; the documented ones (paced one below) by default. */
  conversationLimits?: readonly RateWindow[];
  tenantLimits?: readonly RateWindow[];
  /** Multiplies window lengths and backoff (tests run the documented limits faster with 0.1). */
  timeScale?: number;
  maxAttempts?: number;
  random?: () => number;
}

type Kind = 'post' | 'update' | 'private' | 'open';

interface Waiter {
  resolve(value: string | undefined): void;
  reject(error: unknown): void;
}

interface Job {
  kind: Kind;
  /** Updates to the same message coalesce while they wait: only the latest content is sent. */
  coalesceKey?: string;
  activity: Partial<Activity>;
  write(activity: Partial<Activity>): Promise<string | undefined>;
  describe: Record<string, unknown>;
  waiters: Waiter[];
}

interface Lane {
  key: string;
  tenantKey: string;
  queue: Job[];
  pacer: SlidingWindowPacer;
  running: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** HTTP status of a failed connector call (botbuilder's RestError), if it carries one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [candidate.statusCode, candidate.status, candidate.response?.status]) {
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/** Retry-After of a failed connector call in milliseconds, when Teams sent one in seconds. */
export function retryAfterMsOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const headers = (error as { response?: { headers?: unknown } }).response?.headers as
    { get?: (name: string) => string | undefined | null } | Record<string, unknown> | undefined;
  if (!headers) return undefined;
  const raw =
    typeof headers.get === 'function'
      ? (headers.get as (name: string) => unknown)('retry-after')
      : (headers as Record<string, unknown>)['retry-after'];
  const seconds = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The lane of a user's 1:1 chat, whose conversation id is known only once it is open. */
function personalReference(
  reference: Partial<ConversationReference>,
  userChannelId: string,
): Partial<ConversationReference> {
  return {
    ...reference,
    conversation: {
      ...(reference.conversation ?? { isGroup: false, name: '', conversationType: 'personal' }),
      id: `personal:${userChannelId}`,
    } as ConversationReference['conversation'],
  };
}

function laneKeyOf(reference: Partial<ConversationReference>): { key: string; tenantKey: string } {
  const tenantKey = reference.conversation?.tenantId ?? '';
  return { key: `${tenantKey}|${reference.conversation?.id ?? ''}`, tenantKey };
}

/**
 * One queue per conversation that every proactive post and card update goes through: never two
 * writes in flight to one conversation, paced below Teams' limits per conversation and per
 * tenant, updates to the same card coalesced, 412/429/502/503/504 retried with Retry-After or
 * jittered exponential backoff. The caller learns what happened: the activity id, or a
 * DeliveryError. Nothing is ever posted into a conversation about a failed write.
 */
export class DeliveryOutbox implements ConversationGateway {
  private readonly lanes = new Map<string, Lane>();
  private readonly tenantPacers = new Map<string, SlidingWindowPacer>();
  private readonly conversationPacers = new Map<string, SlidingWindowPacer>();
  private readonly conversationLimits: readonly RateWindow[];
  private readonly tenantLimits: readonly RateWindow[];
  private readonly timeScale: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly counters: DeliveryStats = {
    posts: 0,
    updates: 0,
    privatePosts: 0,
    coalesced: 0,
    retries: 0,
    throttled: 0,
    failed: 0,
  };
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: OutboxOptions) {
    this.timeScale = options.timeScale ?? 1;
    this.conversationLimits =
      options.conversationLimits ?? pacedBelow(TEAMS_CONVERSATION_LIMITS, this.timeScale);
    this.tenantLimits = options.tenantLimits ?? pacedBelow(TEAMS_TENANT_LIMITS, this.timeScale);
    this.maxAttempts = options.maxAttempts ?? 8;
    this.random = options.random ?? Math.random;
  }

  stats(): DeliveryStats {
    return { ...this.counters };
  }

  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    return this.enqueue(reference, {
      kind: 'post',
      activity,
      write: (content) => this.options.writer.send(reference, content),
      describe: { conversationId: reference.conversation?.id, kind: 'post' },
    });
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.enqueue(reference, {
      kind: 'update',
      coalesceKey: activityId,
      activity,
      write: async (content) => {
        await this.options.writer.update(reference, activityId, content);
        return activityId;
      },
      describe: { conversationId: reference.conversation?.id, kind: 'update', activityId },
    });
  }

  async openPrivately(reference: Partial<ConversationReference>, userChannelId: string): Promise<string> {
    const { writer } = this.options;
    if (!writer.openPrivately) throw new DeliveryError('Cannot open a 1:1 chat here.', undefined, 0);
    const open = writer.openPrivately.bind(writer);
    const personal = personalReference(reference, userChannelId);
    return (
      (await this.enqueue(personal, {
        kind: 'open',
        activity: {},
        write: () => open(reference, userChannelId),
        describe: { conversationId: `personal:${userChannelId}`, kind: 'open' },
      })) ?? ''
    );
  }

  async sendPrivately(
    reference: Partial<ConversationReference>,
    userChannelId: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery> {
    let delivery: PrivateDelivery | undefined;
    const personal = personalReference(reference, userChannelId);
    await this.enqueue(personal, {
      kind: 'private',
      activity,
      write: async (content) => {
        delivery = await this.options.writer.sendPrivately(reference, userChannelId, content);
        return delivery.activityId;
      },
      describe: { conversationId: `personal:${userChannelId}`, kind: 'private' },
    });
    if (!delivery) throw new DeliveryError('The 1:1 chat was not created.', undefined, 1);
    return delivery;
  }

  /**
   * For `context.onSendActivities`: replies inside a turn join the conversation's queue too, so
   * a turn's answer never overlaps a proactive card update (412) nor breaks the pace. Invoke
   * responses are the HTTP answer to the click, not a connector write: they pass straight on.
   */
  turnReplies(): SendActivitiesHandler {
    return async (context, activities, next) => {
      if (activities.every((activity) => activity.type === 'invokeResponse' || activity.type === 'trace')) {
        return next();
      }
      let responses: ResourceResponse[] = [];
      const reference = TurnContext.getConversationReference(context.activity);
      await this.enqueue(reference, {
        kind: 'post',
        activity: {},
        write: async () => {
          responses = await next();
          return responses[0]?.id;
        },
        describe: { conversationId: reference.conversation?.id, kind: 'reply' },
      });
      return responses;
    };
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(
    reference: Partial<ConversationReference>,
    job: Omit<Job, 'waiters'>,
  ): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const lane = this.laneFor(reference);
      const waiter = { resolve, reject };
      const waiting = job.coalesceKey
        ? lane.queue.find((queued) => queued.coalesceKey === job.coalesceKey)
        : undefined;
      if (waiting) {
        waiting.activity = job.activity;
        waiting.waiters.push(waiter);
        this.counters.coalesced += 1;
      } else {
        lane.queue.push({ ...job, waiters: [waiter] });
      }
      void this.pump(lane);
    });
  }

  private laneFor(reference: Partial<ConversationReference>): Lane {
    const { key, tenantKey } = laneKeyOf(reference);
    let lane = this.lanes.get(key);
    if (!lane) {
      // The pacer outlives the lane: a lane is dropped when its queue empties, its history must not be.
      let pacer = this.conversationPacers.get(key);
      if (!pacer) {
        pacer = new SlidingWindowPacer(this.conversationLimits);
        this.conversationPacers.set(key, pacer);
      }
      lane = { key, tenantKey, queue: [], pacer, running: false };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private tenantPacer(tenantKey: string): SlidingWindowPacer {
    let pacer = this.tenantPacers.get(tenantKey);
    if (!pacer) {
      pacer = new SlidingWindowPacer(this.tenantLimits);
      this.tenantPacers.set(tenantKey, pacer);
    }
    return pacer;
  }

  private async pump(lane: Lane): Promise<void> {
    if (lane.running) return;
    lane.running = true;
    try {
      for (let job = lane.queue.shift(); job; job = lane.queue.shift()) await this.run(lane, job);
    } finally {
      lane.running = false;
      if (lane.queue.length > 0) {
        void this.pump(lane);
      } else {
        this.lanes.delete(lane.key);
        if (this.lanes.size === 0) for (const done of this.idleWaiters.splice(0)) done();
      }
    }
  }

  /** Waits for a slot both the conversation and the tenant allow, and takes it. */
  private async slot(lane: Lane): Promise<void> {
    const tenant = this.tenantPacer(lane.tenantKey);
    let at = Date.now();
    for (;;) {
      const conversationAt = lane.pacer.earliest(at);
      at = tenant.earliest(conversationAt);
      if (at === conversationAt) break;
    }
    lane.pacer.commit(at);
    tenant.commit(at);
    await sleep(at - Date.now());
  }

  private backoffMs(attempt: number): number {
    // Exponential with full jitter, as Teams asks, capped at 30 s.
    const ceiling = Math.min(30_000, 1_000 * 2 ** (attempt - 1)) * this.timeScale;
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  private async run(lane: Lane, job: Job): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.slot(lane);
      // Coalesced content may have arrived while this job waited for its slot.
      const content = job.activity;
      const waiters = job.waiters.splice(0);
      try {
        const id = await job.write(content);
        if (job.kind === 'post') this.counters.posts += 1;
        else if (job.kind === 'update') this.counters.updates += 1;
        else if (job.kind === 'private') this.counters.privatePosts += 1;
        for (const waiter of waiters) waiter.resolve(id);
        return;
      } catch (error) {
        job.waiters.unshift(...waiters);
        const status = statusOf(error);
        const transient = status === undefined || TRANSIENT_STATUSES.includes(status);
        if (status === 429) this.counters.throttled += 1;
        if (!transient || attempt >= this.maxAttempts) {
          this.counters.failed += 1;
          this.options.logger.warn(
            { ...job.describe, status, attempts: attempt, err: error },
            'proactive write failed',
          );
          const failure = new DeliveryError(
            `Teams did not accept the ${job.kind} (${status ?? 'no status'}) after ${attempt} attempt(s).`,
            status,
            attempt,
            { cause: error },
          );
          for (const waiter of job.waiters.splice(0)) waiter.reject(failure);
          return;
        }
        this.counters.retries += 1;
        const delay = retryAfterMsOf(error) ?? this.backoffMs(attempt);
        if (status === 429) lane.pacer.pauseUntil(Date.now() + delay);
        await sleep(delay);
      }
    }
  }
}
