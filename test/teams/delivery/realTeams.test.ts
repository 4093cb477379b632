import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/remediation/contract';
import { GROUP_CHAT, PEOPLE } from '../../security/support/teamsActivities';
import type { Person } from '../../security/support/teamsActivities';
import { SECURITY_CHANNEL, startDeliveryHarness } from '../../support/deliveryHarness';
import type { DeliveryHarness } from '../../support/deliveryHarness';

const summaryOf = (name: string) => `Remediation summary: ${name}`;
const texts = (h: DeliveryHarness, conversationId: string) =>
  h.teams.messages(conversationId).map((message) => JSON.stringify(message.activity));

/** Opens and fully remediates one incident per target, all at once, in the SOC group chat. */
async function remediateAll(h: DeliveryHarness, targets: Person[]): Promise<IncidentView[]> {
  const statuses = await Promise.all(targets.map((target) => h.say(PEOPLE.alex, 'compromised', [target])));
  expect(statuses.every((status) => status === 200)).toBe(true);
  await h.settle();
  const incidents = await Promise.all(targets.map((target) => h.incidentOf(target)));
  return Promise.all(incidents.map((incident) => h.remediate(incident)));
}

async function expectDeliveredInFull(h: DeliveryHarness, incidents: IncidentView[]): Promise<void> {
  const chat = texts(h, GROUP_CHAT.id);
  const channel = texts(h, SECURITY_CHANNEL);
  for (const incident of incidents) {
    expect(incident.status).toBe('completed');
    expect(await h.staleCards(incident.id)).toEqual([]);
    const name = incident.target.displayName;
    expect(chat.filter((text) => text.includes(summaryOf(name)))).toHaveLength(1);
    expect(channel.filter((text) => text.includes(summaryOf(name)))).toHaveLength(1);
  }
  // A proactive message in the security channel is a new post there, not a reply to a chat id.
  expect(h.teams.messages(SECURITY_CHANNEL).every((message) => message.replyToId === undefined)).toBe(true);
  expect(chat.some((text) => text.includes('Error id'))).toBe(false);
  // The bot paces itself: Teams never had to say 429 (nor 412: one write at a time).
  expect(h.teams.totals().rejected429).toBe(0);
  expect(h.teams.totals().rejected412).toBe(0);
}

describe('Teams delivery under Teams limits (429 without Retry-After, 412 on overlap)', () => {
  let h: DeliveryHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('one incident: every card ends current, both summaries arrive once, no error message, no 429', async () => {
    h = await startDeliveryHarness();
    const incidents = await remediateAll(h, [PEOPLE.megan]);
    await expectDeliveredInFull(h, incidents);
    // The incident card's account facts are those after the steps ran, not those of discovery.
    const incidentCard = texts(h, GROUP_CHAT.id).find((text) => text.includes('Compromised account'));
    expect(incidentCard).toContain('Sign-in blocked');
    expect(incidentCard).not.toContain('Sign-in allowed');
  });

  it('three concurrent incidents in one chat end with every card current and every summary delivered', async () => {
    h = await startDeliveryHarness();
    const incidents = await remediateAll(h, [PEOPLE.megan, PEOPLE.lynne, PEOPLE.patti]);
    await expectDeliveredInFull(h, incidents);
  });
});

describe('a quieter conversation', () => {
  it('one incident needs at most 30 writes to the chat', async () => {
    const h = await startDeliveryHarness();
    try {
      await remediateAll(h, [PEOPLE.megan]);
      const chat = h.teams.stats(GROUP_CHAT.id);
      expect(chat.posts + chat.updates).toBeLessThanOrEqual(30);
    } finally {
      await h.close();
    }
  });
});

describe('writes Teams refuses', () => {
  it('502s are retried until every card is posted', async () => {
    // Eight writes in a row answered 502 (botbuilder's own client retries some of them too).
    const h = await startDeliveryHarness({
      emulator: { badGatewayOn: Array.from({ length: 8 }, (_, n) => 5 + n) },
    });
    try {
      await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
      await h.settle();
      const incident = await h.incidentOf(PEOPLE.megan);
      expect(h.teams.totals().rejected502).toBe(8);
      expect(h.app.delivery.stats().failed).toBe(0);
      expect(await h.staleCards(incident.id)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('a refused proactive write is counted and logged, never answered with an error message, and the card is posted later', async () => {
    const h = await startDeliveryHarness({ emulator: { forbiddenOn: [5] } });
    try {
      await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
      await h.settle();
      expect(h.app.delivery.stats().failed).toBe(1);
      expect(texts(h, GROUP_CHAT.id).some((text) => text.includes('Error id'))).toBe(false);
      expect(texts(h, GROUP_CHAT.id).some((text) => text.includes('Sorry'))).toBe(false);
      // The card Teams refused is not lost: the next refresh of the incident posts it.
      const incident = await h.incidentOf(PEOPLE.megan);
      expect(await h.staleCards(incident.id)).toHaveLength(1);
      await h.app.teams.presenter.refresh(incident.id);
      await h.settle();
      expect(await h.staleCards(incident.id)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
