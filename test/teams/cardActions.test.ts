import { afterEach, describe, expect, it } from 'vitest';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { incidentCardVersion, stepCardVersion } from '../../src/teams/cards/cardVersion';
import { ADELE, ALEX } from '../support-teams/fakes';
import { createHarness, GROUP, PERSONAL, USERS } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

async function openedIncident(
  options: { fourEyes?: boolean; fastAnswerMs?: number } = {},
): Promise<IncidentView> {
  harness = createHarness(options);
  await harness.message('compromised meganb@contoso.com');
  await harness.teams.background.idle();
  const incident = harness.engine.incidents.get('inc-1');
  if (!incident) throw new Error('incident not opened');
  return incident;
}

function step(incident: IncidentView, id: StepView['id']): StepView {
  const found = incident.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

const bodyText = (response: { body?: unknown }) => JSON.stringify(response.body);

describe('incident approval (four-eyes)', () => {
  it("politely refuses the requester's own approval and changes nothing", async () => {
    const incident = await openedIncident();
    const response = await harness.click(
      'incident.approve',
      { i: incident.id, v: incidentCardVersion(incident) },
      USERS.alex,
    );
    expect(response.status).toBe(200);
    expect(bodyText(response)).toContain('another responder must approve');
    expect(harness.engine.incidents.get(incident.id)?.status).toBe('awaiting-approval');
  });

  it('a second responder approves; the actor comes from the sender, never from card data', async () => {
    const incident = await openedIncident();
    const response = await harness.click(
      'incident.approve',
      { i: incident.id, v: incidentCardVersion(incident), actor: ALEX.id, approver: ALEX },
      USERS.adele,
    );
    await harness.teams.background.idle();
    expect(bodyText(response)).toContain('Adele Vance');
    expect(harness.engine.callsOf('approveIncident')[0]?.args[1]).toEqual({
      id: ADELE.id,
      displayName: 'Adele Vance',
    });
    // The incident card is refreshed in place for everyone in the chat; the step cards already
    // offered their actions (a second responder may approve a step directly), so they are not
    // written again: every write counts against Teams' limits.
    const updates = harness.gateway.calls.filter((call) => call.method === 'update');
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]?.activity)).toContain('Adele Vance');
  });

  it('says so on the card when four-eyes is relaxed for the local demo', async () => {
    await openedIncident({ fourEyes: false });
    expect(harness.gateway.textIn(GROUP.id)).toContain('Four-eyes is relaxed in this local demo');
  });
});

describe('step cards', () => {
  it('approves only the findings left switched on', async () => {
    let incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    const rules = step(incident, 'inbox-rules');
    const response = await harness.click('step.approve', {
      i: incident.id,
      s: 'inbox-rules',
      v: stepCardVersion(rules),
      'finding:rule-1': 'false',
      'finding:rule-2': 'true',
    });
    expect(bodyText(response)).toContain('Done (verified)');
    expect(bodyText(response)).toContain('Approved by: Adele Vance');
    const [, , , options] = harness.engine.callsOf('approveStep')[0]?.args ?? [];
    expect(options).toEqual({ selectedFindingIds: ['rule-2'] });
  });

  it('skip records who skipped', async () => {
    let incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    const response = await harness.click('step.skip', {
      i: incident.id,
      s: 'auth-methods',
      v: stepCardVersion(step(incident, 'auth-methods')),
    });
    expect(bodyText(response)).toContain('Skipped by: Adele Vance');
  });

  it('a failed step shows reason and remedy, and Retry runs it again', async () => {
    let incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    harness.engine.failStep = 'mailbox-forwarding';
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    const failed = await harness.click('step.approve', {
      i: incident.id,
      s: 'mailbox-forwarding',
      v: stepCardVersion(step(incident, 'mailbox-forwarding')),
    });
    expect(bodyText(failed)).toContain('Graph kept answering 429.');
    expect(bodyText(failed)).toContain('Retry in a minute.');
    expect(bodyText(failed)).toContain('step.retry');

    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    const retried = await harness.click('step.retry', {
      i: incident.id,
      s: 'mailbox-forwarding',
      v: stepCardVersion(step(incident, 'mailbox-forwarding')),
    });
    expect(bodyText(retried)).toContain('Done (verified)');
    expect(harness.engine.callsOf('retryStep')).toHaveLength(1);
  });

  it('does not act on a click from an out-of-date card', async () => {
    const incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    const response = await harness.click('step.approve', {
      i: incident.id,
      s: 'block-sign-in',
      v: 'done.1.',
    });
    expect(bodyText(response)).toContain('out of date');
    expect(harness.engine.callsOf('approveStep')).toHaveLength(0);
  });

  it('answers "running" at once when the engine is slow, then updates the card when done', async () => {
    let incident = await openedIncident({ fastAnswerMs: 20 });
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    await harness.teams.background.idle();
    let release: () => void = () => undefined;
    harness.engine.stepGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    const before = harness.gateway.calls.length;
    const response = await harness.click('step.approve', {
      i: incident.id,
      s: 'revoke-sessions',
      v: stepCardVersion(step(incident, 'revoke-sessions')),
    });
    expect(bodyText(response)).toContain('Running');
    release();
    await harness.teams.background.idle();
    const later = harness.gateway.calls.slice(before).filter((call) => call.method === 'update');
    const shown = later.map((call) => JSON.stringify(call.activity));
    // Everyone sees "running" while the engine works, then the final state.
    expect(shown[0]).toContain('Running');
    expect(shown.join()).toContain('Done (verified)');
  });

  it('unknown verbs and malformed data are refused', async () => {
    harness = createHarness();
    expect((await harness.click('step.explode', { i: 'inc-1' })).status).toBe(400);
    expect((await harness.click('step.approve', { nope: true })).status).toBe(400);
  });
});

describe('secrets', () => {
  it('go privately to the approver, never into the group chat; Hide removes them', async () => {
    let incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    await harness.click('step.approve', {
      i: incident.id,
      s: 'reset-password',
      v: stepCardVersion(step(incident, 'reset-password')),
      credentialKind: 'password',
    });
    await harness.teams.background.idle();

    const secret = harness.engine.secret.value;
    const privateSends = harness.gateway.calls.filter((call) => call.method === 'sendPrivately');
    expect(privateSends.map((call) => call.userChannelId)).toContain(USERS.adele.id);
    expect(JSON.stringify(privateSends)).toContain(secret);
    expect(harness.gateway.textIn(GROUP.id)).not.toContain(secret);
    expect(harness.gateway.textIn(GROUP.id)).toContain('sent privately to Adele Vance');

    const adelesChat = { id: `personal-${USERS.adele.id}`, conversationType: 'personal' };
    const hide = async (from: typeof USERS.adele, replyToId: string | undefined, conversation: object) => {
      const replies = await harness.send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        from,
        ...(replyToId ? { replyToId } : {}),
        conversation: conversation as Activity['conversation'],
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'secret.hide',
            data: { i: incident.id, s: 'reset-password' },
          },
        },
      });
      return (replies.find((reply) => reply.type === 'invokeResponse')?.value ?? {}) as InvokeResponse;
    };
    const carrier = privateSends[0]?.activityId;
    const overwritten: (string | undefined)[] = [];
    const update = harness.adapter.updateActivity.bind(harness.adapter);
    harness.adapter.updateActivity = async (context, activity) => {
      overwritten.push(activity.id);
      return update(context, activity);
    };
    // Someone else, another message, or another chat: refused, and no message is overwritten.
    for (const [from, replyToId, conversation] of [
      [USERS.alex, carrier, adelesChat],
      [USERS.adele, 'card-activity', adelesChat],
      [USERS.adele, carrier, GROUP],
    ] as const) {
      const refused = await hide(from, replyToId, conversation);
      expect(bodyText(refused)).toContain('Only the responder who received a credential can hide it');
    }
    expect(overwritten).toEqual([]);
    const hidden = await hide(USERS.adele, carrier, adelesChat);
    expect(bodyText(hidden)).not.toContain(secret);
    expect(bodyText(hidden)).toContain('hidden');
    expect(overwritten).toEqual([carrier]);
  });

  it('in a personal chat the secret card is posted right there', async () => {
    harness = createHarness({ fourEyes: false });
    await harness.message('compromised meganb@contoso.com', { conversation: PERSONAL });
    await harness.teams.background.idle();
    const incident = harness.engine.incidents.get('inc-1') as IncidentView;
    await harness.click(
      'step.approve',
      { i: incident.id, s: 'reset-password', v: stepCardVersion(step(incident, 'reset-password')) },
      USERS.alex,
      PERSONAL,
    );
    await harness.teams.background.idle();
    expect(
      harness.gateway.calls.filter(
        (call) =>
          call.method === 'sendPrivately' &&
          JSON.stringify(call.activity).includes(harness.engine.secret.value),
      ),
    ).toHaveLength(0);
    expect(harness.gateway.textIn(PERSONAL.id)).toContain(harness.engine.secret.value);
  });
});

describe('completion', () => {
  it('posts one summary, tells the security channel, and tells the requester privately', async () => {
    let incident = await openedIncident();
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    await harness.click('incident.approveAll', { i: incident.id, v: incidentCardVersion(incident) });
    await harness.teams.background.idle();
    // A second refresh must not post the summary twice.
    await harness.teams.presenter.refresh(incident.id);

    const summaries = harness.gateway.calls.filter(
      (call) => call.method === 'send' && JSON.stringify(call.activity).includes('Remediation summary'),
    );
    expect(summaries.map((call) => call.conversationId)).toEqual([GROUP.id, 'channel-security']);
    const toRequester = harness.gateway.calls.filter(
      (call) => call.method === 'sendPrivately' && call.userChannelId === USERS.alex.id,
    );
    expect(JSON.stringify(toRequester)).toContain('is complete');
  });
});

describe('locale', () => {
  it('a card keeps the language of the conversation that opened the incident, whoever clicks', async () => {
    harness = createHarness();
    await harness.message('compromised meganb@contoso.com', { locale: 'nb-NO' });
    await harness.teams.background.idle();
    const response = await harness.click('incident.approve', { i: 'inc-1' }, USERS.adele);
    expect(bodyText(response)).toContain('Kompromittert konto');
  });
});

describe('secret delivery failure', () => {
  it('never falls back to the group chat when the 1:1 chat cannot be opened', async () => {
    let incident = await openedIncident();
    harness.gateway.sendPrivately = async () => {
      throw new Error('Bot is not installed in the user personal scope');
    };
    await harness.click('incident.approve', { i: incident.id }, USERS.adele);
    incident = harness.engine.incidents.get(incident.id) as IncidentView;
    await harness.click('step.approve', {
      i: incident.id,
      s: 'reset-password',
      v: stepCardVersion(step(incident, 'reset-password')),
    });
    await harness.teams.background.idle();
    const group = harness.gateway.textIn(GROUP.id);
    expect(group).not.toContain(harness.engine.secret.value);
    expect(group).toContain('could not open a private chat with Adele Vance');
  });
});

describe('one read per click', () => {
  it('an approval reads the incident once; the cards show the view the engine returned', async () => {
    const incident = await openedIncident();
    let reads = 0;
    const read = harness.engine.getIncident.bind(harness.engine);
    harness.engine.getIncident = async (id: string) => {
      reads += 1;
      return read(id);
    };
    await harness.click(
      'incident.approve',
      { i: incident.id, v: incidentCardVersion(incident) },
      USERS.adele,
    );
    await harness.teams.background.idle();
    expect(reads).toBe(1);
    const updated = harness.gateway.calls.filter((call) => call.method === 'update');
    expect(JSON.stringify(updated.at(-1)?.activity)).toContain('Adele Vance');
  });
});
