import { afterEach, describe, expect, it } from 'vitest';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { IncidentView } from '../../src/remediation/contract';
import { incidentCardVersion } from '../../src/teams/cards/cardVersion';
import { createHarness, GROUP, TENANT_ID, USERS } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

interface RefreshBlock {
  action: { type: string; verb: string; data: Record<string, unknown> };
  userIds?: string[];
}

const CAROL = { id: '29:carol', name: 'Carol Viewer', aadObjectId: '0b1c2d3e-0000-4000-8000-00000000ca01' };

async function openedIncident(options: Parameters<typeof createHarness>[0] = {}): Promise<IncidentView> {
  harness = createHarness(options);
  await harness.message('compromised meganb@contoso.com');
  await harness.teams.background.idle();
  const incident = harness.engine.incidents.get('inc-1');
  if (!incident) throw new Error('incident not opened');
  return incident;
}

/** The card Teams holds for a message: its last post or update as the gateway delivered it. */
function shownCard(activityId: string): Record<string, unknown> {
  let shown: Partial<Activity> | undefined;
  let posted = 0;
  for (const call of harness.gateway.calls) {
    if (call.method === 'send') posted += 1;
    if (call.method === 'send' && `activity-${posted}` === activityId) shown = call.activity;
    if (call.method === 'update' && call.activityId === activityId) shown = call.activity;
  }
  const content = shown?.attachments?.[0]?.content as Record<string, unknown> | undefined;
  if (!content) throw new Error(`no card for ${activityId}`);
  return content;
}

const refreshOf = (card: unknown): RefreshBlock => (card as { refresh: RefreshBlock }).refresh;
/** The invoke answer: an Adaptive Card for this viewer, or a message (a refusal). */
const answerOf = (response: InvokeResponse) => response.body as { type: string; value: unknown };
const cardOf = (response: InvokeResponse) => {
  expect(answerOf(response).type).toBe('application/vnd.microsoft.card.adaptive');
  return answerOf(response).value as Record<string, unknown>;
};
const MESSAGE = 'application/vnd.microsoft.activity.message';

describe('Universal Actions refresh', () => {
  it('every posted card carries a refresh action for its ids and the requester', async () => {
    const incident = await openedIncident();
    const cards = harness.gateway.calls.filter((call) => call.method === 'send' && call.activity.attachments);
    expect(cards.length).toBe(1 + incident.steps.length);
    for (const call of cards) {
      const refresh = refreshOf(call.activity.attachments?.[0]?.content);
      expect(refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'card.refresh' });
      expect(refresh.action.data.i).toBe(incident.id);
      expect(refresh.userIds).toEqual([USERS.alex.id]);
      // The refresh asks for the current card: it carries no version to be stale against.
      expect(refresh.action.data.v).toBeUndefined();
    }
    const stepCard = refreshOf(cards[1]?.activity.attachments?.[0]?.content);
    expect(stepCard.action.data).toMatchObject({ s: incident.steps[0]?.id, card: 'step' });
  });

  it('lists the responders who act on the incident, requester first, at most 60, in a stable order', async () => {
    const incident = await openedIncident();
    const clickers = Array.from({ length: 70 }, (_, n) => ({
      id: `29:responder-${n}`,
      name: `Responder ${n}`,
      aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    }));
    for (const clicker of clickers) harness.engine.responders.add(clicker.aadObjectId);
    for (const clicker of clickers) {
      // A click on an outdated card changes nothing, but its sender has acted on the incident.
      const response = await harness.click('incident.approve', { i: incident.id, v: 'outdated' }, clicker);
      expect(response.status).toBe(200);
    }
    const response = await harness.click('card.refresh', { i: incident.id, card: 'incident' }, USERS.alex);
    const userIds = refreshOf(cardOf(response)).userIds ?? [];
    expect(userIds).toHaveLength(60);
    expect(userIds[0]).toBe(USERS.alex.id);
    expect(userIds.slice(1)).toEqual(clickers.slice(0, 59).map((clicker) => clicker.id));
    expect(harness.engine.callsOf('approveIncident')).toHaveLength(0);
  });

  it('heals a card whose update was lost: the refresh answers with the current state', async () => {
    const incident = await openedIncident();
    harness.gateway.loseUpdates = true;
    const approved = await harness.click(
      'incident.approve',
      { i: incident.id, v: incidentCardVersion(incident) },
      USERS.adele,
    );
    expect(approved.status).toBe(200);
    await harness.teams.background.idle();
    expect(harness.engine.incidents.get(incident.id)?.status).not.toBe('awaiting-approval');
    // The chat still shows the card from before the approval: the update never arrived.
    const where = await harness.store.getItem(`teams/incident-cards/${incident.id}`);
    const shown = shownCard(String((where?.value as { incidentActivityId?: string }).incidentActivityId));
    expect(JSON.stringify(shown)).toContain('Megan Bowen');
    expect(JSON.stringify(shown)).not.toContain('Adele Vance');

    const response = await harness.click('card.refresh', { i: incident.id, card: 'incident' }, USERS.alex);
    expect(response.status).toBe(200);
    const healed = cardOf(response);
    expect(JSON.stringify(healed)).toContain('Adele Vance');
    // The healed card refreshes for the approver too, and still offers the requester's buttons.
    expect(refreshOf(healed).userIds).toEqual([USERS.alex.id, USERS.adele.id]);
    expect(healed.actions).toBeDefined();
    // A refresh changes nothing and writes nothing.
    harness.gateway.loseUpdates = false;
    const writes = harness.gateway.calls.length;
    await harness.teams.background.idle();
    expect(harness.gateway.calls.length).toBe(writes);
  });

  it('a step card refresh shows the step as it is now', async () => {
    const incident = await openedIncident({ fourEyes: false });
    harness.gateway.loseUpdates = true;
    await harness.click('step.skip', { i: incident.id, s: 'revoke-sessions' }, USERS.alex);
    await harness.teams.background.idle();
    const response = await harness.click(
      'card.refresh',
      { i: incident.id, s: 'revoke-sessions', card: 'step' },
      USERS.alex,
    );
    expect(response.status).toBe(200);
    expect(JSON.stringify(cardOf(response))).toContain('Alex Wilber');
    expect(
      harness.engine.incidents.get(incident.id)?.steps.find((s) => s.id === 'revoke-sessions')?.status,
    ).toBe('skipped');
  });

  it('a viewer who is not a responder sees the current card without its buttons', async () => {
    const incident = await openedIncident();
    const response = await harness.click('card.refresh', { i: incident.id, card: 'incident' }, CAROL);
    expect(response.status).toBe(200);
    const card = cardOf(response);
    expect(card.type).toBe('AdaptiveCard');
    expect(card.actions).toBeUndefined();
    // Not a responder: not added to the users the cards refresh for.
    expect(refreshOf(card).userIds).toEqual([USERS.alex.id]);
  });

  it('refuses a refresh for an unknown incident', async () => {
    await openedIncident();
    const response = await harness.click('card.refresh', { i: 'inc-404', card: 'incident' }, USERS.alex);
    expect(response.status).toBe(200);
    expect(answerOf(response).type).toBe(MESSAGE);
    expect(JSON.stringify(response.body)).toContain('inc-404');
    expect(JSON.stringify(response.body)).not.toContain('Megan');
  });

  it('refuses a refresh from another tenant, pinned or not, without disclosing the incident', async () => {
    const incident = await openedIncident();
    const foreign = { ...GROUP, tenantId: '11111111-2222-4333-8444-555555555555' };
    const pinned = await harness.click(
      'card.refresh',
      { i: incident.id, card: 'incident' },
      USERS.alex,
      foreign,
    );
    expect(pinned.status).toBe(403);
    expect(JSON.stringify(pinned.body)).not.toContain('Megan');
    await harness.close();

    // Not pinned to one tenant (the local demo): the incident's own tenant still decides.
    const opened = await openedIncident({ allowedTenantId: '' });
    const unpinned = await harness.click(
      'card.refresh',
      { i: opened.id, card: 'incident' },
      USERS.alex,
      foreign,
    );
    expect(unpinned.status).toBe(200);
    expect(JSON.stringify(unpinned.body)).not.toContain('Megan');
    expect(answerOf(unpinned).type).toBe(MESSAGE);
    expect(opened.origin.tenantId).toBe(TENANT_ID);
  });

  it('refreshes a group card for the responders who act on it', async () => {
    harness = createHarness();
    await harness.message('compromised meganb@contoso.com lynnel@contoso.com');
    await harness.teams.background.idle();
    const groupCard = harness.gateway.calls.find((call) =>
      JSON.stringify(call.activity).includes('group.approve'),
    );
    const refresh = refreshOf(groupCard?.activity.attachments?.[0]?.content);
    expect(refresh.action.data.card).toBe('group');
    expect(refresh.userIds).toEqual([USERS.alex.id]);
    const incidentId = String(refresh.action.data.i);
    const response = await harness.click('card.refresh', { i: incidentId, card: 'group' }, USERS.adele);
    expect(response.status).toBe(200);
    expect(JSON.stringify(cardOf(response))).toContain('group.approve');
  });
});
