import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from './support/remediatorHarness';
import type { Harness } from './support/remediatorHarness';
import { cardTexts } from './support/hostileText';
import { GROUP_CHAT, PEOPLE, TENANT_ID } from './support/teamsActivities';
import type { Conversation } from './support/teamsActivities';

/**
 * Undo puts back what the attacker used (sign-in, forwarding, admin roles), so it is remediation
 * too: one responder asks, a second approves, from the incident's conversation only, audited and
 * announced. Proven over HTTP with the simulated tenant's request log as the witness.
 */

const SECURITY_CHANNEL = '19:security@thread.tacv2';
const ISAIAH_1ON1: Conversation = {
  id: 'a:isaiah-personal',
  conversationType: 'personal',
  tenantId: TENANT_ID,
};

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness({ env: { SECURITY_CHANNEL_ID: SECURITY_CHANNEL } });
  return harness;
}

const refused = async (h: Harness) => (await h.audit()).filter((event) => event.outcome === 'refused');

/** Texts of the cards and messages sent (posted or updated) since `from`. */
function sent(h: Harness, from: number, conversationId?: string): { texts: string[]; cards: string[][] } {
  const calls = h.connector.calls
    .slice(from)
    .filter((call) => call.method === 'POST' || call.method === 'PUT')
    .filter((call) => conversationId === undefined || call.url.includes(encodeURIComponent(conversationId)));
  const texts: string[] = [];
  const cards: string[][] = [];
  for (const call of calls) {
    const activity = JSON.parse(call.body || '{}') as {
      text?: string;
      attachments?: { content?: unknown }[];
    };
    if (activity.text) texts.push(activity.text);
    for (const attachment of activity.attachments ?? []) cards.push(cardTexts(attachment.content));
  }
  return { texts, cards };
}

describe('undo needs a second responder', () => {
  it('a lone responder’s undo changes nothing; the one who asked and the target cannot approve it; a second responder can', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'incident.approveAll', { i: incident.id });
    expect((await h.incident(incident.id)).status).toBe('completed');
    expect(h.tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId)?.accountEnabled).toBe(
      false,
    );
    h.tenant.resetLog();
    const mark = h.connector.calls.length;

    const asked = await h.click(PEOPLE.isaiah, 'step.undo', { i: incident.id, s: 'block-sign-in' });
    expect(asked.body).toContain('waiting for a second responder');
    const again = await h.click(PEOPLE.isaiah, 'step.undo', { i: incident.id, s: 'block-sign-in' });
    expect(again.body).toMatch(/Four-eyes: Isaiah Langer asked for this undo/);
    const byTarget = await h.click(PEOPLE.megan, 'step.undo', { i: incident.id, s: 'block-sign-in' });
    expect(byTarget.body).toMatch(/compromised user cannot/);
    expect(h.writes()).toEqual([]);
    expect((await h.incident(incident.id)).steps.find((step) => step.id === 'block-sign-in')).toMatchObject({
      status: 'done',
      undoStatus: 'requested',
    });

    await h.click(PEOPLE.adele, 'step.undo', { i: incident.id, s: 'block-sign-in' });
    expect(h.writes().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PATCH /v1.0/users/${PEOPLE.megan.aadObjectId}`,
    ]);
    expect(h.tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId)?.accountEnabled).toBe(
      true,
    );

    const audit = await h.audit();
    expect(audit.map((event) => `${event.event}:${event.outcome}:${event.actor?.displayName ?? ''}`)).toEqual(
      expect.arrayContaining([
        'step.undo.requested:info:Isaiah Langer',
        'step.undo.approve:refused:Isaiah Langer',
        'step.undo:info:Adele Vance',
        'step.undone:ok:Adele Vance',
      ]),
    );

    // Announced where the incident lives and in the security channel.
    for (const conversation of [GROUP_CHAT.id, SECURITY_CHANNEL]) {
      const { texts } = sent(h, mark, conversation);
      expect(texts.some((text) => text.includes('Isaiah Langer asked to undo "Block sign-in"'))).toBe(true);
      expect(texts.some((text) => text.includes('approved by Adele Vance'))).toBe(true);
    }
    // Every card tells the truth: the step card, the incident card and the (updated) summary.
    const cards = sent(h, mark, GROUP_CHAT.id).cards;
    const last = (predicate: (texts: string[]) => boolean) => [...cards].reverse().find(predicate) ?? [];
    const stepCard = last((texts) => texts[1] === 'Block sign-in');
    expect(stepCard).toContain('Status: Undone by Adele Vance');
    const incidentCard = last((texts) => texts.some((text) => text.startsWith('Compromised account: ')));
    expect(incidentCard[incidentCard.indexOf('Block sign-in') + 1]).toMatch(/^Undone by Adele Vance( ·|$)/);
    const summary = last((texts) => texts.some((text) => text.startsWith('Remediation summary')));
    expect(summary[summary.indexOf('Block sign-in') + 1]).toBe('Undone by Adele Vance');
  });

  it('restore roles from a 1:1 chat is refused and audited; in the incident’s chat one responder asks and a second approves', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'admin-roles' });
    const megansRoles = () =>
      h.tenant
        .state()
        .roleAssignments.filter((assignment) => assignment.principalId === PEOPLE.megan.aadObjectId);
    expect(megansRoles()).toEqual([]);
    h.tenant.resetLog();

    const elsewhere = await h.say(PEOPLE.isaiah, 'restore roles MeganB@contoso.com', [], ISAIAH_1ON1);
    expect(elsewhere.join('\n')).toMatch(/opened in another conversation, so nothing was done/);
    expect(await refused(h)).toEqual([
      expect.objectContaining({ event: 'command.restore-roles', incidentId: incident.id }),
    ]);

    const asked = await h.say(PEOPLE.isaiah, 'restore roles MeganB@contoso.com');
    expect(asked.join('\n')).toMatch(/needs a second responder: nothing has changed yet/);
    const askedAgain = await h.say(PEOPLE.isaiah, 'restore roles MeganB@contoso.com');
    expect(askedAgain.join('\n')).toMatch(/Four-eyes: Isaiah Langer asked for this undo/);
    const byNonResponder = await h.say(PEOPLE.lynne, 'restore roles MeganB@contoso.com');
    expect(byNonResponder.join('\n')).toMatch(/not a member of the responders group/);
    expect(h.writes()).toEqual([]);
    expect(megansRoles()).toEqual([]);

    const approved = await h.say(PEOPLE.alex, 'restore roles MeganB@contoso.com');
    expect(approved.join('\n')).toMatch(/Admin roles restored for Megan Bowen/);
    expect(megansRoles()).toHaveLength(1);
  });

  it('cancel <id> from another chat is refused and audited, and the incident stays as it was', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const replies = await h.say(PEOPLE.isaiah, `cancel ${incident.id}`, [], ISAIAH_1ON1);
    expect(replies.join('\n')).toMatch(/opened in another conversation/);
    expect(replies.join('\n')).not.toContain('Megan');
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
    expect(await refused(h)).toEqual([
      expect.objectContaining({ event: 'command.cancel', incidentId: incident.id }),
    ]);
    // Where it was opened, a responder may still cancel it.
    await h.say(PEOPLE.isaiah, `cancel ${incident.id}`);
    expect((await h.incident(incident.id)).status).toBe('cancelled');
  });
});
