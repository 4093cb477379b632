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
  /**
   * Opens (or reuses) the 1:1 chat with one user without posting: proves a credential could be
   * delivered before one is created. Teams refuses (403) when the app is not installed for them.
   */
  openPrivately?(reference: Partial<ConversationReference>, userChannelId: string): Promise<string>;
  /** Opens (or reuses) the 1:1 chat between the bot and one user and posts there. */
  sendPrivately(
    reference: Partial<ConversationReference>,
    userChannelId: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery>;
}

/**
 * botbuilder gives the synthetic activity of a proactive turn a random id, and sendActivity
 * makes every message a reply to the turn's activity id: an id no conversation has. Without
 * it, the connector is asked for a new post (sendToConversation).
 */
function asNewPost(context: TurnContext): void {
  Reflect.deleteProperty(context.activity, 'id');
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
    await this.proactively(reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.proactively(reference, async (context) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  /**
   * Runs one proactive write and hands its failure back to the caller. botbuilder would give a
   * failure inside continueConversationAsync to onTurnError, which posts an error message into
   * the very conversation that just refused a write. The reference loses its activity id: a
   * proactive message is a new post, not a reply to whatever message the reference came from
   * (that id does not exist in another conversation, such as the security channel).
   */
  private async proactively(
    reference: Partial<ConversationReference>,
    write: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: { error: unknown } | undefined;
    const { activityId: _replyTo, ...withoutReply } = reference;
    void _replyTo;
    await this.adapter.continueConversationAsync(this.appId, withoutReply, async (context) => {
      try {
        asNewPost(context);
        await write(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  async openPrivately(reference: Partial<ConversationReference>, userChannelId: string): Promise<string> {
    const tenantId = reference.conversation?.tenantId;
    const serviceUrl = reference.serviceUrl;
    if (!serviceUrl) throw new Error('Cannot open a 1:1 chat without the service URL of the conversation.');
    let conversationId = '';
    await this.adapter.createConversationAsync(
      this.appId,
      reference.channelId ?? 'msteams',
      serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      {
        isGroup: false,
        bot: reference.bot ?? { id: this.appId, name: 'Remediator' },
        members: [{ id: userChannelId, name: '' }],
        tenantId: tenantId ?? '',
        channelData: { tenant: { id: tenantId } },
        activity: undefined as unknown as Activity,
      },
      async (context) => {
        conversationId = context.activity.conversation?.id ?? '';
      },
    );
    return conversationId;
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
    let failure: { error: unknown } | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      reference.channelId ?? 'msteams',
      serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      parameters,
      async (context) => {
        try {
          asNewPost(context);
          const conversationId =
            TurnContext.getConversationReference(context.activity).conversation?.id ?? '';
          const sent = await context.sendActivity(activity);
          delivery = { conversationId, ...(sent?.id ? { activityId: sent.id } : {}) };
        } catch (error) {
          failure = { error };
        }
      },
    );
    if (failure) throw failure.error;
    if (!delivery) throw new Error('The 1:1 chat was not created.');
    return delivery;
  }
}
