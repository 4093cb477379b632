import { afterEach, describe, expect, it } from 'vitest';
import { groupCardVersion } from '../../src/teams/cards/cardVersion';
import { AlertInbox } from '../../src/teams';
import { OwedCredentials } from '../../src/teams/delivery/owedCredentials';
import { createHarness, GROUP, TENANT_ID, USERS } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const THREE = 'compromised megan@contoso.com lynner@contoso.com isaiahl@contoso.com';
const bodyText = (response: { body?: unknown }) => JSON.stringify(response.body);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function openedGroup(options: Parameters<typeof createHarness>[0] = {}) {
  harness = createHarness(options);
  await harness.message(THREE);
  await harness.teams.background.idle();
  const [first] = harness.engine.incidents.values();
  if (!first) throw new Error('nothing opened');
  const groupId = first.groupId;
  const version = async () => groupCardVersion(await harness.engine.getGroupProgress(groupId));
  return { groupId, first, version };
}

describe('group card', () => {
  it('one request for several users posts ONE group card instead of a card per step per user', async () => {
    await openedGroup();
    const posted = harness.gateway.calls.filter(
      (call) => call.method === 'send' && call.conversationId === GROUP.id,
    );
    expect(posted).toHaveLength(1);
    const card = JSON.stringify(posted[0]?.activity);
    expect(card).toContain('Compromised accounts: 3 users');
    for (const name of ['Megan Bowen', 'User lynner', 'User isaiahl']) expect(card).toContain(name);
    // Counts per step: every step pending for all three.
    expect(card).toContain('3 pending');
    expect(card).toContain('Approve for all');
    expect(card).toContain('group.details');
  });

  it('"Approve for all" by the requester is refused under four-eyes and changes nothing', async () => {
    const { first, version } = await openedGroup();
    const response = await harness.click('group.approve', { i: first.id, v: await version() }, USERS.alex);
    await harness.teams.background.idle();
    expect(response.status).toBe(200);
    expect(bodyText(response)).toContain('another responder must approve');
    expect([...harness.engine.incidents.values()].map((incident) => incident.status)).toEqual([
      'awaiting-approval',
      'awaiting-approval',
      'awaiting-approval',
    ]);
  });

  it('a second responder approves once for all; the card shows progress in place, then the result', async () => {
    const { first, groupId, version } = await openedGroup({ progress: { groupGapMs: 5 } });
    harness.engine.stepPause = () => sleep(3);
    const response = await harness.click('group.approve', { i: first.id, v: await version() });
    await harness.teams.background.idle();

    expect(harness.engine.callsOf('approveGroup').map((call) => call.args)).toEqual([
      [groupId, { id: USERS.adele.aadObjectId, displayName: 'Adele Vance' }],
    ]);
    const groupCardId = 'activity-1';
    const updates = harness.gateway.calls
      .filter((call) => call.method === 'update' && call.activityId === groupCardId)
      .map((call) => JSON.stringify(call.activity));
    // Several in-place updates while running (counts moving), then the final state.
    const running = updates.filter((text) => text.includes('this card updates itself'));
    expect(running.length).toBeGreaterThan(1);
    expect(new Set(running).size).toBeGreaterThan(1);
    expect(updates.at(-1)).toContain('3 of 3 users completed');
    expect(updates.at(-1)).not.toContain('Approve for all');
    expect(bodyText(response)).toContain('Compromised accounts: 3 users');
  });

  it('sends the new passwords privately to the approver, never into the group chat', async () => {
    const { first, version } = await openedGroup();
    await harness.click('group.approve', { i: first.id, v: await version() });
    await harness.teams.background.idle();
    const secret = harness.engine.secret.value;
    const privately = harness.gateway.calls.filter((call) => call.method === 'sendPrivately');
    expect(privately.filter((call) => JSON.stringify(call.activity).includes(secret))).toHaveLength(3);
    expect(privately.every((call) => call.userChannelId === USERS.adele.id)).toBe(true);
    expect(harness.gateway.textIn(GROUP.id)).not.toContain(secret);
    expect(harness.gateway.textIn(GROUP.id)).toContain(
      '3 new credentials were sent privately to Adele Vance',
    );
    expect(harness.gateway.textIn('channel-security')).toContain('The remediation of 3 accounts');
  });

  it('owes each new password to the approver before the group approval runs, and settles it once sent', async () => {
    const { first, version } = await openedGroup();
    const owed = new OwedCredentials(harness.store);
    const engine = harness.engine;
    const approveGroup = engine.approveGroup.bind(engine);
    const owedWhenRun: string[][] = [];
    // Records what a restart would find at the moment the resets start.
    engine.approveGroup = async (groupId, approver) => {
      owedWhenRun.push((await owed.list()).map((entry) => entry.incidentId).sort());
      return approveGroup(groupId, approver);
    };
    await harness.click('group.approve', { i: first.id, v: await version() });
    await harness.teams.background.idle();
    const incidents = [...harness.engine.incidents.values()].map((incident) => incident.id).sort();
    expect(incidents).toHaveLength(3);
    expect(owedWhenRun).toEqual([incidents]);
    expect(await owed.list()).toEqual([]);
  });

  it('lists failures with their reasons', async () => {
    const { first, version } = await openedGroup();
    harness.engine.failStep = 'mailbox-forwarding';
    await harness.click('group.approve', { i: first.id, v: await version() });
    await harness.teams.background.idle();
    const last = harness.gateway.calls.filter((call) => call.method === 'update').at(-1);
    const card = JSON.stringify(last?.activity);
    expect(card).toContain('Failures');
    expect(card).toContain('User lynner · Remove mailbox forwarding: Graph kept answering 429.');
    expect(card).toContain('3 failed');
  });

  it('a stale "Approve for all" is not acted on', async () => {
    const { first } = await openedGroup();
    const response = await harness.click('group.approve', { i: first.id, v: 'g.0.0.3.0.0' });
    expect(bodyText(response)).toContain('out of date');
    expect(harness.engine.callsOf('approveGroup')).toHaveLength(0);
  });

  it('"Details" posts that user\'s incident card and step cards on demand, once', async () => {
    const { first } = await openedGroup();
    const before = harness.gateway.calls.length;
    const response = await harness.click('group.details', { i: first.id, detailsIncident: 'inc-2' });
    await harness.teams.background.idle();
    expect(bodyText(response)).toContain('The cards for User lynner follow below');
    const posted = harness.gateway.calls.slice(before).filter((call) => call.method === 'send');
    expect(posted).toHaveLength(13);
    expect(JSON.stringify(posted[0]?.activity)).toContain('Compromised account: User lynner');

    const again = await harness.click('group.details', { i: first.id, detailsIncident: 'inc-2' });
    await harness.teams.background.idle();
    expect(bodyText(again)).toContain('already in this conversation');
    expect(harness.gateway.calls.filter((call) => call.method === 'send')).toHaveLength(14);
  });

  it('"Details" refuses a user outside the group', async () => {
    const { first } = await openedGroup();
    await harness.message('compromised megan2@contoso.com');
    await harness.teams.background.idle();
    const before = harness.gateway.calls.length;
    const response = await harness.click('group.details', { i: first.id, detailsIncident: 'inc-4' });
    await harness.teams.background.idle();
    expect(bodyText(response)).toContain('not part of this group');
    expect(harness.gateway.calls.slice(before)).toHaveLength(0);
  });

  it('speaks the language of the conversation that opened the group', async () => {
    harness = createHarness();
    await harness.message(THREE, { locale: 'nb-NO' });
    await harness.teams.background.idle();
    expect(harness.gateway.textIn(GROUP.id)).toContain('Kompromitterte kontoer: 3 brukere');
    const response = await harness.click('group.approve', { i: 'inc-1' }, USERS.adele);
    await harness.teams.background.idle();
    expect(bodyText(response)).toContain('Kompromitterte kontoer');
  });

  it('an alert naming several users, taken on from the security channel, gets one group card', async () => {
    harness = createHarness({ alerts: true });
    const inbox = new AlertInbox(harness.store);
    const record = await inbox.add(
      {
        users: ['megan@contoso.com', 'lynner@contoso.com'],
        alertId: 'a-1',
        source: 'SIEM',
        severity: 'high',
        title: 'Password spray succeeded',
      },
      '2026-11-25T10:00:00.000Z',
    );
    const channel = {
      id: 'channel-security',
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT_ID,
    };
    await harness.click('alert.investigate', { i: record.reference }, USERS.alex, channel);
    await harness.teams.background.idle();
    const posted = harness.gateway.calls.filter((call) => call.method === 'send');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.activity)).toContain('Compromised accounts: 2 users');
  });
});
