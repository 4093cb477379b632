import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from './support/remediatorHarness';
import type { Harness } from './support/remediatorHarness';
import { GROUP_CHAT, PEOPLE, TENANT_ID } from './support/teamsActivities';
import type { Conversation, Person } from './support/teamsActivities';

/**
 * Refusals are cheap and say nothing: a flood of refused actions adds a bounded number of audit
 * rows and no card updates; unknown senders are refused like any non-responder; "Hide" acts only
 * for the credential's recipient, on the message that carried it. All over the real endpoint.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

const refusedRows = async (h: Harness) => (await h.audit()).filter((event) => event.outcome === 'refused');
const cardUpdates = (h: Harness, from: number) =>
  h.connector.calls.slice(from).filter((call) => call.method === 'PUT');

const STRANGER: Person = {
  id: '29:stranger',
  name: 'Someone Else',
  aadObjectId: 'deadbeef-0000-4000-8000-00000000beef',
  userPrincipalName: 'someone@elsewhere.example',
};

describe('a flood of refused actions', () => {
  it('300 "compromised" messages from a non-responder: bounded audit rows with a count, never "Looking at…"', async () => {
    const h = await start();
    const replies: string[] = [];
    for (let n = 0; n < 300; n += 1)
      replies.push(...(await h.say(PEOPLE.lynne, 'compromised MeganB@contoso.com')));
    expect(replies.every((reply) => /not a member of the responders group/.test(reply))).toBe(true);
    expect(replies.some((reply) => reply.includes('Looking at'))).toBe(false);
    const rows = await refusedRows(h);
    // The first five in detail, then one summary at 10 and one at 100 further refusals.
    expect(rows.filter((row) => row.event === 'incident.refused')).toHaveLength(5);
    expect(rows.filter((row) => row.event === 'refusal.summary').map((row) => row.detail)).toEqual([
      expect.stringMatching(/^10 further refusal/),
      expect.stringMatching(/^100 further refusal/),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('100 refused clicks (the requester approving their own incident): bounded audit rows and no card update', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const mark = h.connector.calls.length;
    for (let n = 0; n < 100; n += 1) {
      const response = await h.click(PEOPLE.alex, n % 2 === 0 ? 'incident.approveAll' : 'step.approve', {
        i: incident.id,
        s: 'block-sign-in',
      });
      expect(response.body).toMatch(/Four-eyes: Alex Wilber opened this incident/);
    }
    expect(cardUpdates(h, mark)).toEqual([]);
    const rows = await refusedRows(h);
    expect(rows.length).toBeLessThanOrEqual(7);
    expect(rows.filter((row) => row.event === 'refusal.summary')).toHaveLength(1);
    expect(h.writes()).toEqual([]);
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
  });
});

describe('unknown senders', () => {
  it('a sender whose object id is not in the tenant is refused and audited like any non-responder (no 5xx)', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const click = await h.click(STRANGER, 'incident.approve', { i: incident.id });
    expect(click.status).toBe(200);
    expect(click.body).toMatch(/not a member of the responders group/);
    const replies = await h.say(STRANGER, 'compromised MeganB@contoso.com');
    expect(replies.join('\n')).toMatch(/not a member of the responders group/);
    expect(replies.join('\n')).not.toMatch(/went wrong/);
    expect((await refusedRows(h)).map((row) => row.actor?.id)).toEqual([
      STRANGER.aadObjectId,
      STRANGER.aadObjectId,
    ]);
    expect(h.writes()).toEqual([]);
  });
});

describe('Hide', () => {
  it('only the credential’s recipient, only on the message that carried it, only in that chat', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'reset-password' });
    const privateChat = h.connector.privateConversationIds[0] ?? '';
    const carrier = h.connector.calls.find(
      (call) => call.method === 'POST' && call.url.includes(`/conversations/${privateChat}/activities`),
    )?.responseId;
    expect(carrier).toBeTruthy();
    const adelesChat: Conversation = { id: privateChat, conversationType: 'personal', tenantId: TENANT_ID };
    const hide = (from: Person, replyToId: string, conversation: Conversation) =>
      h.click(from, 'secret.hide', { i: incident.id, s: 'reset-password' }, conversation, { replyToId });

    const mark = h.connector.calls.length;
    for (const [from, replyToId, conversation] of [
      [PEOPLE.lynne, 'card-activity', GROUP_CHAT],
      [PEOPLE.lynne, carrier ?? '', adelesChat],
      [PEOPLE.isaiah, carrier ?? '', GROUP_CHAT],
      [PEOPLE.adele, 'card-activity', adelesChat],
    ] as const) {
      const response = await hide(from, replyToId, conversation);
      expect(response.body).toMatch(/Only the responder who received a credential can hide it/);
    }
    expect(cardUpdates(h, mark)).toEqual([]);
    expect((await refusedRows(h)).filter((row) => row.event === 'card.secret.hide')).toHaveLength(4);

    const hidden = await hide(PEOPLE.adele, carrier ?? '', adelesChat);
    expect(hidden.body).toMatch(/hidden/);
    expect(cardUpdates(h, mark).map((call) => call.url)).toEqual([
      expect.stringContaining(`/conversations/${privateChat}/activities/${carrier ?? ''}`),
    ]);
  });
});
