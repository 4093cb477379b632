import { TestAdapter } from 'botbuilder';
import type { Activity, InvokeResponse } from 'botbuilder';
import { createSilentLogger } from '../../src/observability/logger';
import { createSqliteStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { AlertInbox, createTeamsBot } from '../../src/teams';
import type { TeamsBot } from '../../src/teams';
import { FakeMemberResolver, FakeRemediationEngine, MEGAN, RecordingGateway } from './fakes';

export const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
export const BOT = { id: '28:bot', name: 'Remediator' };
export const USERS = {
  alex: { id: '29:alex', name: 'Alex Wilber', aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00' },
  adele: { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a54ff265-58d9-483a-8973-e07982bd7315' },
};
export const GROUP = {
  id: 'group-chat-soc',
  isGroup: true,
  conversationType: 'groupChat',
  tenantId: TENANT_ID,
};
export const PERSONAL = { id: 'personal-alex', conversationType: 'personal', tenantId: TENANT_ID };

export interface Harness {
  adapter: TestAdapter;
  engine: FakeRemediationEngine;
  gateway: RecordingGateway;
  members: FakeMemberResolver;
  store: Store;
  teams: TeamsBot;
  /** Sends one activity and returns what the bot replied within the turn. */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** Runs a card click and returns the invoke response. */
  click(
    verb: string,
    data: Record<string, unknown>,
    from?: typeof USERS.alex,
    conversation?: object,
  ): Promise<InvokeResponse>;
  message(
    text: string,
    options?: {
      from?: typeof USERS.alex;
      mentions?: { id: string; name: string }[];
      locale?: string;
      conversation?: object;
    },
  ): Promise<Partial<Activity>[]>;
  close(): Promise<void>;
}

export function createHarness(
  options: {
    fourEyes?: boolean;
    simulated?: boolean;
    fastAnswerMs?: number;
    allowedTenantId?: string;
    progress?: { groupGapMs?: number };
    /** SIEM alerts taken on from the security channel ('channel-security'). */
    alerts?: boolean;
  } = {},
): Harness {
  const engine = new FakeRemediationEngine();
  engine.fourEyes = options.fourEyes ?? true;
  const gateway = new RecordingGateway();
  const members = new FakeMemberResolver({
    '29:megan': {
      aadObjectId: MEGAN.id,
      userPrincipalName: MEGAN.userPrincipalName,
      name: MEGAN.displayName,
    },
  });
  const store = createSqliteStore({ inMemory: true });
  const teams = createTeamsBot({
    engine,
    store,
    gateway,
    members,
    logger: createSilentLogger(),
    simulated: options.simulated ?? true,
    fourEyes: engine.fourEyes,
    allowedTenantId: options.allowedTenantId ?? TENANT_ID,
    securityChannelId: 'channel-security',
    fastAnswerMs: options.fastAnswerMs ?? 1_000,
    progress: options.progress ?? { groupGapMs: 10 },
    ...(options.alerts
      ? { alerts: { inbox: new AlertInbox(store), securityChannelId: 'channel-security' } }
      : {}),
  });
  const adapter = new TestAdapter(async (context) => teams.bot.run(context));

  const send = async (activity: Partial<Activity>) => {
    adapter.activeQueue.splice(0);
    await adapter.processActivity({
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      recipient: BOT,
      conversation: GROUP as Activity['conversation'],
      channelData: { tenant: { id: TENANT_ID } },
      locale: 'en-US',
      ...activity,
    });
    return [...adapter.activeQueue];
  };

  const message: Harness['message'] = async (text, messageOptions = {}) => {
    const mentions = [BOT, ...(messageOptions.mentions ?? [])];
    const mentionText = (name: string) => `<at>${name}</at>`;
    return send({
      type: 'message',
      text: `${mentionText(BOT.name)} ${text}`,
      from: messageOptions.from ?? USERS.alex,
      locale: messageOptions.locale ?? 'en-US',
      ...(messageOptions.conversation
        ? { conversation: messageOptions.conversation as Activity['conversation'] }
        : {}),
      entities: mentions.map((mentioned) => ({
        type: 'mention',
        mentioned,
        text: mentionText(mentioned.name),
      })),
    });
  };

  const click: Harness['click'] = async (verb, data, from = USERS.adele, conversation = GROUP) => {
    const replies = await send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      from,
      replyToId: 'card-activity',
      conversation: conversation as Activity['conversation'],
      value: { action: { type: 'Action.Execute', verb, data } },
    });
    const response = replies.find((reply) => reply.type === 'invokeResponse');
    return (response?.value ?? { status: 0 }) as InvokeResponse;
  };

  return {
    adapter,
    engine,
    gateway,
    members,
    store,
    teams,
    send,
    click,
    message,
    close: async () => {
      await teams.background.idle();
      await store.close();
    },
  };
}
