import { TurnContext } from 'botbuilder';
import type { Activity, CloudAdapter, ConversationParameters, ConversationReference } from 'botbuilder';

/** Where a private message went, so a later update (Hide) can find it. */
export interface PrivateDelivery {
  conversationId: string;
  activityId?: string;
}

/**
 * Outbound messages outside the current turn: cards posted and updated after long work
 * (Teams retries requests that take over 15 s), secrets sent 1:1, notifications to the
 * security channel. Tests pass a fake that records every call.
 */
export interface ConversationGateway {
  send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined>;
  update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void>;
  /** Opens (or reuses) the 1:1 chat between the bot and one user and posts there. */
  sendPrivately(
    reference: Partial<ConversationReference>,
    userChannelId: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery>;
}

/** OAuth scope of the Bot Framework channel service; the audience for proactive connector calls. */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

export class CloudAdapterGateway implements ConversationGateway {
  /** appId is '' in the anonymous local demo. */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  async sendPrivately(
    reference: Partial<ConversationReference>,
    userChannelId: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery> {
    const tenantId = reference.conversation?.tenantId;
    const serviceUrl = reference.serviceUrl;
    if (!serviceUrl) throw new Error('Cannot open a 1:1 chat without the service URL of the conversation.');
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: reference.bot ?? { id: this.appId, name: 'Remediator' },
      members: [{ id: userChannelId, name: '' }],
      tenantId: tenantId ?? '',
      channelData: { tenant: { id: tenantId } },
      activity: undefined as unknown as Activity,
    };
    let delivery: PrivateDelivery | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      reference.channelId ?? 'msteams',
      serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      parameters,
      async (context) => {
        const conversationId = TurnContext.getConversationReference(context.activity).conversation?.id ?? '';
        const sent = await context.sendActivity(activity);
        delivery = { conversationId, ...(sent?.id ? { activityId: sent.id } : {}) };
      },
    );
    if (!delivery) throw new Error('The 1:1 chat was not created.');
    return delivery;
  }
}
