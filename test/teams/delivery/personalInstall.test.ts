import { afterEach, describe, expect, it } from 'vitest';
import { groupCardVersion, incidentCardVersion, stepCardVersion } from '../../../src/teams/cards/cardVersion';
import type { IncidentView } from '../../../src/remediation/contract';
import { startTenant } from '../../m365/support';
import { GROUP_CHAT, PEOPLE } from '../../security/support/teamsActivities';
import type { Person } from '../../security/support/teamsActivities';
import { startDeliveryHarness } from '../../support/deliveryHarness';
import type { DeliveryHarness } from '../../support/deliveryHarness';

const INSTALL_PERMISSION = 'TeamsAppInstallation.ReadWriteSelfForUser.All';

const passwordChangedAt = (h: DeliveryHarness) =>
  (
    h.tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId) as
      { lastPasswordChangeDateTime?: string } | undefined
  )?.lastPasswordChangeDateTime;

const secretCardsIn = (h: DeliveryHarness, conversationId: string) =>
  h.teams
    .messages(conversationId)
    .filter((message) => JSON.stringify(message.activity).includes('secret.hide'));

const installsFor = (h: DeliveryHarness, person: Person) =>
  h.tenant.state().teamsAppInstallations.filter((installation) => installation.userId === person.aadObjectId);

const installAudit = async (h: DeliveryHarness) =>
  (await h.app.engine.exportAudit())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; outcome: string; actor?: { id: string } })
    .filter((event) => event.event === 'approver.installApp');

/** Adele approves the incident, then the reset-password step, from the group chat. */
async function approveReset(h: DeliveryHarness): Promise<IncidentView> {
  await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
  await h.settle();
  let incident = await h.incidentOf(PEOPLE.megan);
  await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id, v: incidentCardVersion(incident) });
  await h.settle();
  incident = await h.incidentOf(PEOPLE.megan);
  const reset = incident.steps.find((step) => step.id === 'reset-password');
  await h.click(PEOPLE.adele, 'step.approve', {
    i: incident.id,
    s: 'reset-password',
    v: stepCardVersion(reset!),
  });
  await h.settle();
  return incident;
}

describe('an approver who never installed the app personally', () => {
  let h: DeliveryHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('gets the app installed through Graph, and the new password reaches them in their 1:1 chat', async () => {
    // Only Alex has Remediator as a personal app; Teams refuses to open Adele's 1:1 chat (403)
    // until the tenant has the app installed for her.
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    const before = passwordChangedAt(h);
    const incident = await approveReset(h);

    expect(installsFor(h, PEOPLE.adele)).toHaveLength(1);
    expect(h.teams.totals().refused403).toBeGreaterThan(0);
    expect(passwordChangedAt(h)).not.toBe(before);
    const adeleChat = h.teams.personalConversationOf(PEOPLE.adele.id);
    expect(secretCardsIn(h, adeleChat ?? '')).toHaveLength(1);
    expect(secretCardsIn(h, GROUP_CHAT.id)).toEqual([]);
    const step = (await h.app.engine.getIncident(incident.id))?.steps.find((s) => s.id === 'reset-password');
    expect(step?.status).toBe('done');
    const audited = await installAudit(h);
    expect(audited).toEqual([
      expect.objectContaining({
        outcome: 'ok',
        actor: expect.objectContaining({ id: PEOPLE.adele.aadObjectId }),
      }),
    ]);
  });

  it('refuses the reset with guidance when the install fails too (403 from Graph), and resets nothing', async () => {
    const tenant = await startTenant({ withheldPermissions: [INSTALL_PERMISSION] });
    h = await startDeliveryHarness({ tenant, emulator: { personalInstalls: [PEOPLE.alex.id] } });
    const before = passwordChangedAt(h);
    await approveReset(h);

    const incident = await h.incidentOf(PEOPLE.megan);
    expect(incident.steps.find((step) => step.id === 'reset-password')?.status).toBe('pending');
    expect(passwordChangedAt(h)).toBe(before);
    expect(installsFor(h, PEOPLE.adele)).toEqual([]);
    expect(secretCardsIn(h, GROUP_CHAT.id)).toEqual([]);
    expect(await installAudit(h)).toEqual([expect.objectContaining({ outcome: 'failed' })]);

    // Once Adele adds the app by hand, the same click resets the password and it reaches her.
    h.teams.install(PEOPLE.adele.id);
    const reset = incident.steps.find((step) => step.id === 'reset-password');
    await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'reset-password',
      v: stepCardVersion(reset!),
    });
    await h.settle();
    expect(passwordChangedAt(h)).not.toBe(before);
    expect(secretCardsIn(h, h.teams.personalConversationOf(PEOPLE.adele.id) ?? '')).toHaveLength(1);
  });

  it('installs at most once: an install that is already there (409) counts as installed', async () => {
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
    await h.settle();
    const incident = await h.incidentOf(PEOPLE.megan);
    const adele = { id: PEOPLE.adele.aadObjectId, displayName: PEOPLE.adele.name };
    expect(await h.app.engine.installAppForApprover(adele, { incidentId: incident.id })).toBe(true);
    expect(await h.app.engine.installAppForApprover(adele, { incidentId: incident.id })).toBe(true);
    expect(installsFor(h, PEOPLE.adele)).toHaveLength(1);
    expect((await installAudit(h)).map((event) => event.outcome)).toEqual(['ok', 'ok']);
  });

  it('never installs for the target, nor (four-eyes) for the requester: refused and audited', async () => {
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
    await h.settle();
    const incident = await h.incidentOf(PEOPLE.megan);
    const megan = { id: PEOPLE.megan.aadObjectId, displayName: PEOPLE.megan.name };
    const alex = { id: PEOPLE.alex.aadObjectId, displayName: PEOPLE.alex.name };
    expect(await h.app.engine.installAppForApprover(megan, { incidentId: incident.id })).toBe(false);
    expect(await h.app.engine.installAppForApprover(alex, { incidentId: incident.id })).toBe(false);
    expect(h.tenant.state().teamsAppInstallations).toEqual([]);
    const refusals = (await h.app.engine.exportAudit())
      .split('\n')
      .filter((line) => line.includes('approver.installApp'));
    expect(refusals.map((line) => (JSON.parse(line) as { outcome: string }).outcome)).toEqual([
      'refused',
      'refused',
    ]);
  });

  it('a group approval (which resets passwords) installs the app for the approver, then runs', async () => {
    h = await startDeliveryHarness({ emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan, PEOPLE.lynne]);
    await h.settle();
    const incident = await h.incidentOf(PEOPLE.megan);
    const groupId = incident.groupId ?? '';
    const before = [passwordChangedAt(h)];
    const progress = await h.app.engine.getGroupProgress(groupId);
    await h.click(PEOPLE.adele, 'group.approve', { i: incident.id, v: groupCardVersion(progress) });
    await h.settle();
    expect(installsFor(h, PEOPLE.adele)).toHaveLength(1);
    expect(passwordChangedAt(h)).not.toBe(before[0]);
    // The new password reaches Adele privately, and none is shown in the group chat.
    expect(secretCardsIn(h, h.teams.personalConversationOf(PEOPLE.adele.id) ?? '')).not.toEqual([]);
    expect(secretCardsIn(h, GROUP_CHAT.id)).toEqual([]);
  });

  it('refuses a group approval until the approver can receive the passwords when the install fails', async () => {
    const tenant = await startTenant({ withheldPermissions: [INSTALL_PERMISSION] });
    h = await startDeliveryHarness({ tenant, emulator: { personalInstalls: [PEOPLE.alex.id] } });
    await h.say(PEOPLE.alex, 'compromised', [PEOPLE.megan, PEOPLE.lynne]);
    await h.settle();
    const incident = await h.incidentOf(PEOPLE.megan);
    const before = passwordChangedAt(h);
    const progress = await h.app.engine.getGroupProgress(incident.groupId ?? '');
    await h.click(PEOPLE.adele, 'group.approve', { i: incident.id, v: groupCardVersion(progress) });
    await h.settle();
    expect((await h.incidentOf(PEOPLE.megan)).status).toBe('awaiting-approval');
    expect(passwordChangedAt(h)).toBe(before);
  });
});
