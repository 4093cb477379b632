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
  summaryPosted: boolean;
}

const schema = z.object({
  incidentId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  locale: z.string(),
  requesterChannelId: z.string().optional(),
  incidentActivityId: z.string().optional(),
  stepActivityIds: z.record(z.string(), z.string()),
  summaryPosted: z.boolean(),
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
