import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Json, KeyValueStore } from '../store/types';

/** Where an incident's cards live in Teams, so they can be updated in place later. */
export interface IncidentCards {
  incidentId: string;
  /** The conversation the incident was opened from (kept for proactive updates). */
  reference: Partial<ConversationReference>;
  locale: string;
  /** The requester's Teams id, for a private note when the incident started in a group. */
  requesterChannelId?: string;
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

const schema = z.object({
  incidentId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  locale: z.string(),
  requesterChannelId: z.string().optional(),
  incidentActivityId: z.string().optional(),
  stepActivityIds: z.record(z.string(), z.string()),
  stepNotices: z.record(z.string(), z.string()).optional(),
  summaryPosted: z.boolean(),
  summaryActivityId: z.string().optional(),
  summaryClaimedAt: z.string().optional(),
  summaryDelivered: z.object({ chat: z.boolean().optional(), channel: z.boolean().optional() }).optional(),
  unposted: z.array(z.string()).optional(),
});

const KEY_PREFIX = 'teams/incident-cards/';

/** Persisted in the project's key-value store so a restarted bot still updates old cards. */
export class CardRegistry {
  constructor(private readonly store: KeyValueStore) {}

  async get(incidentId: string): Promise<IncidentCards | undefined> {
    const entry = await this.store.getItem(KEY_PREFIX + incidentId);
    if (!entry) return undefined;
    const parsed = schema.safeParse(entry.value);
    return parsed.success ? (parsed.data as IncidentCards) : undefined;
  }

  async put(cards: IncidentCards): Promise<void> {
    await this.store.setItem(KEY_PREFIX + cards.incidentId, JSON.parse(JSON.stringify(cards)) as Json);
  }

  /** Read-modify-write with the store's eTag, retried when another turn wrote first. */
  async update(
    incidentId: string,
    change: (cards: IncidentCards) => IncidentCards,
  ): Promise<IncidentCards | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await this.store.getItem(KEY_PREFIX + incidentId);
      if (!entry) return undefined;
      const parsed = schema.safeParse(entry.value);
      if (!parsed.success) return undefined;
      const next = change(parsed.data as IncidentCards);
      const written = await this.store.setItem(
        KEY_PREFIX + incidentId,
        JSON.parse(JSON.stringify(next)) as Json,
        entry.eTag,
      );
      if (written !== undefined) return next;
    }
    throw new Error(`Could not record the cards of incident ${incidentId}: too many concurrent updates.`);
  }
}

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
  activityId?: string;
  members: GroupMember[];
  /** The security channel has been told the whole group finished. */
  completionAnnounced: boolean;
}

const groupSchema = z.object({
  groupId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  locale: z.string(),
  requesterChannelId: z.string().optional(),
  requesterName: z.string(),
  activityId: z.string().optional(),
  members: z.array(
    z.object({ incidentId: z.string(), displayName: z.string(), userPrincipalName: z.string() }),
  ),
  completionAnnounced: z.boolean(),
});

const GROUP_KEY_PREFIX = 'teams/group-cards/';

/** Group cards, in the same key-value store as the incident cards. */
export class GroupCardRegistry {
  constructor(private readonly store: KeyValueStore) {}

  async get(groupId: string): Promise<GroupCards | undefined> {
    const entry = await this.store.getItem(GROUP_KEY_PREFIX + groupId);
    if (!entry) return undefined;
    const parsed = groupSchema.safeParse(entry.value);
    return parsed.success ? (parsed.data as GroupCards) : undefined;
  }

  async put(cards: GroupCards): Promise<void> {
    await this.store.setItem(GROUP_KEY_PREFIX + cards.groupId, JSON.parse(JSON.stringify(cards)) as Json);
  }

  /** Sets completionAnnounced; true only for the one caller that flipped it (updates can race). */
  async claimCompletion(groupId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const entry = await this.store.getItem(GROUP_KEY_PREFIX + groupId);
      const parsed = entry ? groupSchema.safeParse(entry.value) : undefined;
      if (!entry || !parsed?.success || parsed.data.completionAnnounced) return false;
      const next = { ...parsed.data, completionAnnounced: true };
      const written = await this.store.setItem(
        GROUP_KEY_PREFIX + groupId,
        JSON.parse(JSON.stringify(next)) as Json,
        entry.eTag,
      );
      if (written !== undefined) return true;
    }
    return false;
  }
}
