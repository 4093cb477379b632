import { afterEach, describe, expect, it } from 'vitest';
import { contosoFixture, startHarness } from './support/remediatorHarness';
import type { FixtureObject, Harness } from './support/remediatorHarness';
import { HOSTILE, cardTexts, violations } from './support/hostileText';
import { PEOPLE } from './support/teamsActivities';

/**
 * A tenant whose attacker-controlled names are hostile, driven through the real endpoint:
 * every card and message the bot sends (posted or updated, in any conversation) is checked.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MEGAN_ID = PEOPLE.megan.aadObjectId;

type Rule = { name: string; actions: { forwardTo?: { name: string; address: string }[] } };
type Mailbox = { userId: string; inboxRules: Rule[] };
type Named = { displayName?: string; userId?: string; id?: string; appDisplayName?: string };

/** Contoso, with rule, app, device and user names an attacker (or a guest) chose. */
function hostileFixture(): FixtureObject {
  const fixture = contosoFixture();
  const hostile = Object.values(HOSTILE);
  const pick = (index: number) => hostile[index % hostile.length] ?? HOSTILE.link;
  const users = fixture.users as Named[];
  for (const user of users) {
    if (user.id === MEGAN_ID) user.displayName = `Megan ${HOSTILE.link} ${HOSTILE.forgedLine}`;
  }
  const mailbox = (fixture.mailboxes as Mailbox[]).find((candidate) => candidate.userId === MEGAN_ID);
  mailbox?.inboxRules.forEach((rule, index) => {
    rule.name = pick(index);
    for (const recipient of rule.actions.forwardTo ?? []) recipient.name = HOSTILE.mention;
  });
  for (const principal of fixture.servicePrincipals as Named[]) {
    if (principal.displayName === 'Mail Sync Pro') principal.displayName = `Mail Sync ${HOSTILE.link}`;
  }
  for (const method of fixture.authenticationMethods as Named[]) {
    if (method.userId === MEGAN_ID && method.displayName) method.displayName = HOSTILE.inline;
  }
  return fixture;
}

/** Every text the bot sent: message text, and every text inside card attachments. */
function sentTexts(h: Harness): string[] {
  return h.connector.calls
    .filter((call) => call.method === 'POST' || call.method === 'PUT')
    .flatMap((call) => {
      let activity: { text?: unknown; attachments?: { content?: unknown }[] };
      try {
        activity = JSON.parse(call.body) as typeof activity;
      } catch {
        return [];
      }
      const text = typeof activity.text === 'string' ? [activity.text] : [];
      return [
        ...text,
        ...(activity.attachments ?? []).flatMap((attachment) => cardTexts(attachment.content)),
      ];
    });
}

describe('attacker text never speaks in a card or message', () => {
  it('a whole remediation of a hostile mailbox: cards, updates, summary, channel notice and report are inert', async () => {
    harness = await startHarness({
      fixture: hostileFixture(),
      env: { SECURITY_CHANNEL_ID: '19:security@thread.tacv2' },
    });
    const h = harness;
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'incident.approveAll', { i: incident.id });
    await h.say(PEOPLE.alex, `report ${incident.id}`);
    await h.say(PEOPLE.alex, 'status');
    await h.say(PEOPLE.alex, 'history MeganB@contoso.com');

    const texts = sentTexts(h);
    expect(violations(texts)).toEqual([]);
    // The hostile names did reach the responders, as plain text.
    const all = texts.join('\n');
    expect(all).toContain('Microsoft Defender: re-verify your admin session');
    expect(all).toContain('Mail Sync');
    // The summary and the security channel were posted (the whole path ran).
    expect(
      h.connector.calls.some((call) => call.url.includes(encodeURIComponent('19:security@thread.tacv2'))),
    ).toBe(true);
  });

  it.each([
    ['a Markdown link', 'compromised [text](https://evil.example)'],
    ['a mention tag', 'compromised <at>Adele Vance</at>'],
    ['emphasis and a heading', 'compromised **Approved** # by Adele'],
  ])(
    'a message carrying %s is not echoed as Markdown, to a responder or to anyone else',
    async (_name, text) => {
      harness = await startHarness();
      const h = harness;
      const replies = [...(await h.say(PEOPLE.alex, text)), ...(await h.say(PEOPLE.lynne, text))];
      expect(replies.length).toBeGreaterThan(0);
      expect(violations(replies)).toEqual([]);
      expect(h.writes()).toEqual([]);
    },
  );
});
