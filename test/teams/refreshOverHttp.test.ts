import { afterEach, describe, expect, it } from 'vitest';
import { incidentCardVersion } from '../../src/teams/cards/cardVersion';
import { GROUP_CHAT, PEOPLE, cardAction, postActivity } from '../security/support/teamsActivities';
import type { Person } from '../security/support/teamsActivities';
import { startDeliveryHarness } from '../support/deliveryHarness';
import type { DeliveryHarness } from '../support/deliveryHarness';

let h: DeliveryHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** What Teams sends when a listed user views a card with `refresh`: an automatic adaptiveCard/action. */
async function viewCard(
  harness: DeliveryHarness,
  viewer: Person,
  data: Record<string, unknown>,
): Promise<{ status: number; type: string; value: Record<string, unknown> }> {
  const invoke = cardAction(harness.teams.url, viewer, 'card.refresh', data);
  const response = await postActivity(harness.app.url, {
    ...invoke,
    value: { ...invoke.value, trigger: 'automatic' },
  });
  const body = JSON.parse(response.body) as { type: string; value: Record<string, unknown> };
  return { status: response.status, type: body.type, value: body.value };
}

/** Opens an incident for Megan in the SOC chat; the number of writes Teams took for it. */
async function openForMegan(harness: DeliveryHarness): Promise<number> {
  expect(await harness.say(PEOPLE.alex, 'compromised', [PEOPLE.megan])).toBe(200);
  await harness.settle();
  const totals = harness.teams.totals();
  return totals.posts + totals.updates;
}

const incidentCardIn = (harness: DeliveryHarness): string | undefined =>
  harness.teams
    .messages(GROUP_CHAT.id)
    .map((message) => JSON.stringify(message.activity))
    .find((text) => text.includes('incident.approveAll') || text.includes('"card":"incident"'));

describe('cards that heal, over the real endpoint and the Teams connector emulator', () => {
  it('after Teams refused the incident card update for good, a refresh shows the viewer the current state', async () => {
    // Learn how many writes opening takes, then refuse (403, no retry helps) every write after it.
    h = await startDeliveryHarness();
    const opening = await openForMegan(h);
    await h.close();
    const lost = Array.from({ length: 200 }, (_, n) => opening + 1 + n);
    h = await startDeliveryHarness({ emulator: { forbiddenOn: lost } });
    expect(await openForMegan(h)).toBe(opening);
    const incident = await h.incidentOf(PEOPLE.megan);

    const status = await h.click(PEOPLE.adele, 'incident.approve', {
      i: incident.id,
      v: incidentCardVersion(incident),
    });
    expect(status).toBe(200);
    await h.settle();
    expect((await h.app.engine.getIncident(incident.id))?.approvals).toHaveLength(1);
    // Teams took no write after the opening: the card update was refused.
    expect(h.teams.totals().posts + h.teams.totals().updates).toBe(opening);
    // What the chat shows: the card from before the approval.
    expect(incidentCardIn(h)).toBeDefined();
    expect(incidentCardIn(h)).not.toContain('Adele Vance');

    const healed = await viewCard(h, PEOPLE.alex, { i: incident.id, card: 'incident' });
    expect(healed.status).toBe(200);
    expect(healed.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(healed.value)).toContain('Adele Vance');
    const refresh = healed.value.refresh as { userIds?: string[] };
    expect(refresh.userIds).toEqual([PEOPLE.alex.id, PEOPLE.adele.id]);
  });

  it('refuses a refresh for an incident that does not exist', async () => {
    h = await startDeliveryHarness();
    await openForMegan(h);
    const answer = await viewCard(h, PEOPLE.alex, { i: 'no-such-incident', card: 'incident' });
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(JSON.stringify(answer.value)).not.toContain('Megan');
  });
});
