/** Teams-shaped activities for the demo tenant, as the Bot Connector would post them. */
export const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
export const BOT = { id: '28:remediator', name: 'Remediator' };

export const PEOPLE = {
  alex: {
    id: '29:alex',
    name: 'Alex Wilber',
    aadObjectId: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00',
    userPrincipalName: 'AlexW@contoso.com',
  },
  adele: {
    id: '29:adele',
    name: 'Adele Vance',
    aadObjectId: 'a54ff265-58d9-483a-8973-e07982bd7315',
    userPrincipalName: 'AdeleV@contoso.com',
  },
  isaiah: {
    id: '29:isaiah',
    name: 'Isaiah Langer',
    aadObjectId: '66c6c932-b922-4196-94cd-f2fbc6386dc3',
    userPrincipalName: 'IsaiahL@contoso.com',
  },
  megan: {
    id: '29:megan',
    name: 'Megan Bowen',
    aadObjectId: '14e1ed1f-b4f7-47ee-ae98-d39876f6f691',
    userPrincipalName: 'MeganB@contoso.com',
  },
  patti: {
    id: '29:patti',
    name: 'Patti Fernandez',
    aadObjectId: '32dd9542-a763-49ba-b9ec-607b4d542e1f',
    userPrincipalName: 'PattiF@contoso.com',
  },
  lynne: {
    id: '29:lynne',
    name: 'Lynne Robbins',
    aadObjectId: '3f18b6c1-f525-47a4-a81a-1813061f1773',
    userPrincipalName: 'LynneR@contoso.com',
  },
} as const;

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
}

export interface Conversation {
  id: string;
  conversationType: 'groupChat' | 'channel' | 'personal';
  isGroup?: boolean;
  tenantId?: string;
}

export const GROUP_CHAT: Conversation = {
  id: '19:soc-group-chat@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: TENANT_ID,
};
export const OTHER_GROUP_CHAT: Conversation = {
  id: '19:other-chat@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: TENANT_ID,
};

let sequence = 0;

function base(serviceUrl: string, from: Person, conversation: Conversation) {
  sequence += 1;
  return {
    id: `activity-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation,
    channelData: { tenant: { id: conversation.tenantId ?? TENANT_ID } },
  };
}

/** "@Remediator <text>", mentioning the given people as real Teams mention entities. */
export function mentionMessage(
  serviceUrl: string,
  from: Person,
  text: string,
  mentions: Person[] = [],
  conversation: Conversation = GROUP_CHAT,
) {
  const at = (name: string) => `<at>${name}</at>`;
  const mentionText = mentions.map((person) => at(person.name)).join(' ');
  return {
    ...base(serviceUrl, from, conversation),
    type: 'message',
    text: `${at(BOT.name)} ${text}${mentionText ? ` ${mentionText}` : ''}`,
    entities: [BOT, ...mentions.map((person) => ({ id: person.id, name: person.name }))].map((mentioned) => ({
      type: 'mention',
      mentioned,
      text: at(mentioned.name),
    })),
  };
}

/** An Action.Execute click (invoke adaptiveCard/action). */
export function cardAction(
  serviceUrl: string,
  from: Person,
  verb: string,
  data: Record<string, unknown>,
  conversation: Conversation = GROUP_CHAT,
) {
  return {
    ...base(serviceUrl, from, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'card-activity',
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

export async function postActivity(
  botUrl: string,
  activity: object,
  authorization?: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  return { status: response.status, body: await response.text() };
}
