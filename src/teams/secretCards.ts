import { z } from 'zod';
import type { Json, KeyValueStore } from '../store/types';

const KEY_PREFIX = 'teams/secret-cards/';

const recordSchema = z.object({
  recipientChannelId: z.string(),
  conversationId: z.string(),
});

/**
 * Which message carried a credential, and to whom. "Hide" acts only on that message, clicked by
 * that person in that chat: the card data (incident, step) is never trusted to say which
 * message to overwrite, and `replyToId` alone is whatever the client claims.
 */
export class SecretCards {
  constructor(private readonly store: KeyValueStore) {}

  async remember(
    activityId: string | undefined,
    recipientChannelId: string,
    conversationId: string | undefined,
  ) {
    if (!activityId || !conversationId) return;
    await this.store.setItem(KEY_PREFIX + encodeURIComponent(activityId), {
      recipientChannelId,
      conversationId,
    } satisfies Json);
  }

  /** True when `activityId` is a credential message sent to this user in this conversation. */
  async mayHide(
    activityId: string | undefined,
    clickerChannelId: string | undefined,
    conversationId: string | undefined,
  ): Promise<boolean> {
    if (!activityId || !clickerChannelId || !conversationId) return false;
    const entry = await this.store.getItem(KEY_PREFIX + encodeURIComponent(activityId));
    const parsed = recordSchema.safeParse(entry?.value);
    return (
      parsed.success &&
      parsed.data.recipientChannelId === clickerChannelId &&
      parsed.data.conversationId === conversationId
    );
  }
}
