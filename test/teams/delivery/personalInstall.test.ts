import { afterEach, describe, expect, it } from 'vitest';
import { groupCardVersion, incidentCardVersion, stepCardVersion } from '../../../src/teams/cards/cardVersion';
import { GROUP_CHAT, PEOPLE } from '../../security/support/teamsActivities';
import { startDeliveryHarness } from '../../support/deliveryHarness';
import type { DeliveryHarness } from '../../support/deliveryHarness';

const passwordChangedAt = (h: DeliveryHarness) =>
  (
    h.tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId) as
      { lastPasswordChangeDateTime?: string } | undefined
  )?.lastPasswordChangeDateTime;

const secretCardsIn = (h: DeliveryHarness, conversationId: string) =>
  h.teams
    .messages(conversationId)
    .filter((message) => JSON.stringify(message.activity).includes('secret.hide'));

describe('an approver who never installed the app personally', () => {
  let h: DeliveryHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('never ends with a reset password they did not receive: the reset is refused with guidance', async () => {
    // Only Alex has Remediator as a personal app; Teams refuses to open Adele's 1:1 chat (403).
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
    await h.settle();
    let incident = await h.incidentOf(PEOPLE.megan);
    const before = passwordChangedAt(h);
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id, v: incidentCardVersion(incident) });
    await h.settle();
    incident = await h.incidentOf(PEOPLE.megan);

    await h.click(PEOPLE.adele, 'incident.approveAll', { i: incident.id, v: incidentCardVersion(incident) });
    const reset = incident.steps.find((step) => step.id === 'reset-password');
    await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'reset-password',
      v: stepCardVersion(reset!),
    });
    await h.settle();

    incident = await h.incidentOf(PEOPLE.megan);
    expect(incident.steps.find((step) => step.id === 'reset-password')?.status).toBe('pending');
    expect(passwordChangedAt(h)).toBe(before);
    expect(h.teams.totals().refused403).toBeGreaterThan(0);
    expect(secretCardsIn(h, GROUP_CHAT.id)).toEqual([]);

    // Once Adele adds the app, the same click resets the password and it reaches her.
    h.teams.install(PEOPLE.adele.id);
    await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'reset-password',
      v: stepCardVersion(reset!),
    });
    await h.settle();
    expect(passwordChangedAt(h)).not.toBe(before);
    const adeleChat = h.teams.personalConversationOf(PEOPLE.adele.id);
    expect(secretCardsIn(h, adeleChat ?? '')).toHaveLength(1);
  });

  it('refuses a group approval (which resets passwords) until the approver can receive them', async () => {
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan, PEOPLE.lynne]);
    await h.settle();
    const incident = await h.incidentOf(PEOPLE.megan);
    const groupId = incident.groupId ?? '';
    expect(groupId).not.toBe('');
    const before = passwordChangedAt(h);
    const progress = await h.app.engine.getGroupProgress(groupId);
    await h.click(PEOPLE.adele, 'group.approve', { i: incident.id, v: groupCardVersion(progress) });
    await h.settle();
    expect((await h.incidentOf(PEOPLE.megan)).status).toBe('awaiting-approval');
    expect(passwordChangedAt(h)).toBe(before);
  });
});
