import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { RETRY, retryOnContention } from '../concurrency/retryOnContention';
import type { Attempt } from '../concurrency/retryOnContention';
import type { Json, KeyValueStore } from '../store/types';
import { MAX_REFRESH_USERS } from './cards/templates';

/**
 * Records of where cards live in Teams, one per key, in the project's key-value store so a
 * restarted bot (or another instance) still updates old cards. Every change is a
 * read-modify-write conditional on the store's eTag, retried on contention (bounded, with jitter).
 */
export class CardRegistry<T = IncidentCards> {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    private readonly schema: z.ZodType<T>,
    private readonly keyOf: (record: T) => string,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const entry = await this.store.getItem(this.prefix + key);
    if (!entry) return undefined;
    const parsed = this.schema.safeParse(entry.value);
    return parsed.success ? parsed.data : undefined;
  }

  async put(record: T): Promise<void> {
    await this.store.setItem(this.prefix + this.keyOf(record), toJson(record));
  }

  /**
   * The changed record, undefined when there is none. A write that lost to another turn or
   * instance is tried again with the project's one bounded, jittered contention retry.
   */
  async update(key: string, change: (record: T) => T): Promise<T | undefined> {
    return retryOnContention(`record ${this.prefix}${key}`, {}, async (): Promise<Attempt<T | undefined>> => {
      const entry = await this.store.getItem(this.prefix + key);
      const parsed = entry ? this.schema.safeParse(entry.value) : undefined;
      if (!entry || !parsed?.success) return undefined;
      const next = change(parsed.data);
      const written = await this.store.setItem(this.prefix + key, toJson(next), entry.eTag);
      return written === undefined ? RETRY : next;
    });
  }

  /**
   * Applies `change` only when `may(record)` holds; true only for the one caller whose write
   * landed (two instances racing for a once-only duty: exactly one wins).
   */
  async claim(key: string, may: (record: T) => boolean, change: (record: T) => T): Promise<boolean> {
    let won = false;
    try {
      await this.update(key, (record) => {
        won = may(record);
        return won ? change(record) : record;
      });
    } catch {
      return false;
    }
    return won;
  }
}

const toJson = (record: unknown): Json => JSON.parse(JSON.stringify(record)) as Json;

/**
 * The responders a card refreshes for: the requester first, then whoever acted on the incident,
 * in the order they first acted, without duplicates, at most 60.
 */
export function refreshUsers(requesterChannelId: string | undefined, responders: string[] = []): string[] {
  const ids = requesterChannelId ? [requesterChannelId, ...responders] : responders;
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

/** Adds one responder's MRI to a bounded list (unchanged when present or full). */
export function withResponder(responders: string[] | undefined, channelUserId: string): string[] {
  const list = responders ?? [];
  if (list.includes(channelUserId) || list.length >= MAX_REFRESH_USERS) return list;
  return [...list, channelUserId];
}

/** Where an incident's cards live in Teams, so they can be updated in place later. */
export interface IncidentCards {
  incidentId: string;
  /** The conversation the incident was opened from (kept for proactive updates). */
  reference: Partial<ConversationReference>;
  locale: string;
  /** The requester's Teams id, for a private note when the incident started in a group. */
  requesterChannelId?: string;
  /** Teams ids (MRIs) of the responders who acted on the incident's cards: its cards refresh for them. */
  responders?: string[];
  incidentActivityId?: string;
  stepActivityIds: Record<string, string>;
  /** A line shown on a step card for good, e.g. where its credential went (one write fewer than a message). */
  stepNotices?: Record<string, string>;
  /** Claimed by whoever is posting the summary (kept for records written before summaryDelivered). */
  summaryPosted: boolean;
  /** The summary card, kept so a later undo updates it instead of leaving it saying "Done". */
  summaryActivityId?: string;
  /** When the current summary claim was taken: a claim older than the lease is abandoned (a crash). */
  summaryClaimedAt?: string;
  /** Where the summary has arrived; set only after Teams accepted it. */
  summaryDelivered?: { chat?: boolean; channel?: boolean };
  /** Cards Teams refused to take when they were posted ('incident' or a step id): posted on the next refresh. */
  unposted?: string[];
}

const incidentCardsSchema = z.object({
  incidentId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  locale: z.string(),
  requesterChannelId: z.string().optional(),
  responders: z.array(z.string()).optional(),
  incidentActivityId: z.string().optional(),
  stepActivityIds: z.record(z.string(), z.string()),
  stepNotices: z.record(z.string(), z.string()).optional(),
  summaryPosted: z.boolean(),
  summaryActivityId: z.string().optional(),
  summaryClaimedAt: z.string().optional(),
  summaryDelivered: z.object({ chat: z.boolean().optional(), channel: z.boolean().optional() }).optional(),
  unposted: z.array(z.string()).optional(),
}) as unknown as z.ZodType<IncidentCards>;

/** One user of a group card: enough to list them and to post their cards on demand. */
export interface GroupMember {
  incidentId: string;
  displayName: string;
  userPrincipalName: string;
}

/** Where a mass incident's single group card lives, so progress can replace it in place. */
export interface GroupCards {
  groupId: string;
  reference: Partial<ConversationReference>;
  locale: string;
  requesterChannelId?: string;
  requesterName: string;
  /** Teams ids (MRIs) of the responders who acted on the group card: it refreshes for them. */
  responders?: string[];
  activityId?: string;
  members: GroupMember[];
  /** The security channel has been told the whole group finished. */
  completionAnnounced: boolean;
}

const groupCardsSchema = z.object({
  groupId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  locale: z.string(),
  requesterChannelId: z.string().optional(),
  requesterName: z.string(),
  responders: z.array(z.string()).optional(),
  activityId: z.string().optional(),
  members: z.array(
    z.object({ incidentId: z.string(), displayName: z.string(), userPrincipalName: z.string() }),
  ),
  completionAnnounced: z.boolean(),
}) as unknown as z.ZodType<GroupCards>;

export type IncidentCardRegistry = CardRegistry<IncidentCards>;
export type GroupCardRegistry = CardRegistry<GroupCards>;

export const incidentCardRegistry = (store: KeyValueStore): IncidentCardRegistry =>
  new CardRegistry(store, 'teams/incident-cards/', incidentCardsSchema, (cards) => cards.incidentId);

export const groupCardRegistry = (store: KeyValueStore): GroupCardRegistry =>
  new CardRegistry(store, 'teams/group-cards/', groupCardsSchema, (cards) => cards.groupId);

/** Sets completionAnnounced; true only for the one caller that flipped it (updates can race). */
export const claimCompletion = (registry: GroupCardRegistry, groupId: string): Promise<boolean> =>
  registry.claim(
    groupId,
    (cards) => !cards.completionAnnounced,
    (cards) => ({ ...cards, completionAnnounced: true }),
  );
