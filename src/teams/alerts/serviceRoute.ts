import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Json, KeyValueStore } from '../../store/types';

const ROUTE_KEY = 'teams/service-route';

const routeSchema = z.object({
  serviceUrl: z.string(),
  channelId: z.string(),
  bot: z.object({ id: z.string(), name: z.string() }),
  tenantId: z.string().optional(),
});
type ServiceRoute = z.infer<typeof routeSchema>;

/** A Teams channel conversation id without the thread's message suffix (";messageid=..."). */
export function channelOf(conversationId: string | undefined): string {
  return (conversationId ?? '').split(';')[0] ?? '';
}

/**
 * The alert webhook has no conversation to answer into: the security channel is reached
 * proactively, through the Bot Connector service URL Teams last used for this tenant.
 */
export class ServiceRouteMemory {
  private last: string | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly securityChannelId: string | undefined,
  ) {}

  /** Called for every authenticated activity; writes only when the route changed. */
  async remember(activity: Partial<Activity>): Promise<void> {
    if (!activity.serviceUrl || !activity.recipient?.id) return;
    const route: ServiceRoute = {
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId ?? 'msteams',
      bot: { id: activity.recipient.id, name: activity.recipient.name ?? 'Remediator' },
      ...(activity.conversation?.tenantId ? { tenantId: activity.conversation.tenantId } : {}),
    };
    const serialised = JSON.stringify(route);
    if (serialised === this.last) return;
    this.last = serialised;
    await this.store.setItem(ROUTE_KEY, route as unknown as Json);
  }

  /** The security channel as a proactive conversation reference, once Teams has talked to the bot. */
  async securityChannel(): Promise<Partial<ConversationReference> | undefined> {
    if (!this.securityChannelId) return undefined;
    const stored = await this.store.getItem(ROUTE_KEY);
    const route = routeSchema.safeParse(stored?.value);
    if (!route.success) return undefined;
    return {
      serviceUrl: route.data.serviceUrl,
      channelId: route.data.channelId,
      bot: { ...route.data.bot, role: 'bot' } as ConversationReference['bot'],
      conversation: {
        id: this.securityChannelId,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(route.data.tenantId ? { tenantId: route.data.tenantId } : {}),
      },
    };
  }
}
