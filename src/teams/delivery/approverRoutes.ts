import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { KeyValueStore } from '../../store/types';

const PREFIX = 'teams/people/';
const schema = z.object({ channelUserId: z.string().min(1).max(200) });

/**
 * A responder's Teams id (29:…) by their Entra object id, learnt from the activities they send.
 * A step resumed after a restart knows only who approved it (the object id); the credential it
 * issues must still reach that person's 1:1 chat.
 */
export class ApproverRoutes {
  constructor(private readonly store: KeyValueStore) {}

  async remember(activity: Partial<Activity>): Promise<void> {
    const aadObjectId = activity.from?.aadObjectId;
    const channelUserId = activity.from?.id;
    if (!aadObjectId || !channelUserId || aadObjectId.length > 100) return;
    const key = PREFIX + aadObjectId.toLowerCase();
    const known = await this.store.getItem(key);
    if (schema.safeParse(known?.value).data?.channelUserId === channelUserId) return;
    await this.store.setItem(key, { channelUserId });
  }

  async channelIdOf(aadObjectId: string): Promise<string | undefined> {
    const entry = await this.store.getItem(PREFIX + aadObjectId.toLowerCase());
    return schema.safeParse(entry?.value).data?.channelUserId;
  }
}
