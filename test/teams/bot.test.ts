import { afterEach, describe, expect, it } from 'vitest';
import type { OpenIncidentsRequest } from '../../src/remediation/contract';
import { ALEX, MEGAN } from '../support-teams/fakes';
import { createHarness, GROUP, PERSONAL, TENANT_ID, USERS } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

const MEGAN_MENTION = { id: '29:megan', name: 'Megan Bowen' };
let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const texts = (replies: { text?: string }[]) => replies.map((reply) => reply.text ?? '').join('\n');

describe('triggers', () => {
  it('opens an incident for a mentioned user, resolving the mention to the Entra identity', async () => {
    harness = createHarness();
    const replies = await harness.message('compromised <at>Megan Bowen</at>', { mentions: [MEGAN_MENTION] });
    await harness.teams.background.idle();

    expect(texts(replies)).toContain('Looking at Megan Bowen');
    expect(harness.members.asked).toEqual(['29:megan']);
    const [call] = harness.engine.callsOf('openIncidents');
    const request = call?.args[0] as OpenIncidentsRequest;
    expect(request.targets).toEqual([MEGAN.userPrincipalName]);
    expect(request.requester).toEqual({ id: ALEX.id, displayName: 'Alex Wilber' });
    expect(request.origin).toEqual({ kind: 'teams', tenantId: TENANT_ID, conversationId: GROUP.id });
    // The incident card and one card per step, all in the group chat.
    const posted = harness.gateway.calls.filter((c) => c.method === 'send' && c.conversationId === GROUP.id);
    expect(posted).toHaveLength(13);
    expect(JSON.stringify(posted[0]?.activity)).toContain('Simulated tenant');
  });

  it('accepts typed addresses and several users in one message', async () => {
    harness = createHarness();
    await harness.message('compromised <at>Megan Bowen</at> and lynner@contoso.com', {
      mentions: [MEGAN_MENTION],
    });
    await harness.teams.background.idle();
    const request = harness.engine.callsOf('openIncidents')[0]?.args[0] as OpenIncidentsRequest;
    expect(request.targets).toEqual([MEGAN.userPrincipalName, 'lynner@contoso.com']);
  });

  it('explains refusals from the engine in the conversation', async () => {
    harness = createHarness();
    await harness.message('compromised breakglass01@contoso.com');
    await harness.teams.background.idle();
    expect(harness.gateway.textIn(GROUP.id)).toContain('break-glass');
  });

  it('answers helpfully about names it cannot resolve, without opening anything', async () => {
    harness = createHarness();
    const replies = await harness.message('compromised megan');
    expect(texts(replies)).toContain('could not find megan');
    expect(harness.engine.callsOf('openIncidents')).toHaveLength(0);
  });

  it('asks who when nobody is named, then opens for the answer', async () => {
    harness = createHarness();
    const asked = await harness.message('compromised');
    expect(texts(asked)).toContain('Which account is compromised?');

    const retried = await harness.message('nobody in particular');
    expect(texts(retried)).toContain('Please mention a person');

    await harness.message('<at>Megan Bowen</at>', { mentions: [MEGAN_MENTION] });
    await harness.teams.background.idle();
    const request = harness.engine.callsOf('openIncidents')[0]?.args[0] as OpenIncidentsRequest;
    expect(request.targets).toEqual([MEGAN.userPrincipalName]);
  });

  it('cancel ends the prompt without opening anything', async () => {
    harness = createHarness();
    await harness.message('compromised');
    const replies = await harness.message('cancel');
    expect(texts(replies)).toContain('nothing started');
    await harness.message('megan@contoso.com');
    expect(harness.engine.callsOf('openIncidents')).toHaveLength(0);
  });

  it('refuses activities from another tenant', async () => {
    harness = createHarness();
    const replies = await harness.message('compromised megan@contoso.com', {
      conversation: { ...GROUP, tenantId: '00000000-0000-0000-0000-000000000000' },
    });
    expect(texts(replies)).toContain('only works for its own organisation');
    expect(harness.engine.callsOf('openIncidents')).toHaveLength(0);
  });

  it('refuses to act for a sender without an Entra object id', async () => {
    harness = createHarness();
    const replies = await harness.message('compromised megan@contoso.com', {
      from: { id: '29:anon', name: 'Anon', aadObjectId: '' },
    });
    expect(texts(replies)).toContain('cannot tell who you are');
  });
});

describe('commands', () => {
  it('help for help and for anything unknown', async () => {
    harness = createHarness();
    expect(texts(await harness.message('help'))).toContain('compromised @Megan Bowen');
    expect(texts(await harness.message('please do the thing'))).toContain('`status`');
  });

  it('status lists open incidents', async () => {
    harness = createHarness();
    expect(texts(await harness.message('status'))).toContain('No open incidents');
    await harness.message('compromised megan@contoso.com');
    await harness.teams.background.idle();
    expect(texts(await harness.message('status'))).toContain('Megan Bowen (MeganB@contoso.com)');
  });

  it('status is for responders only', async () => {
    harness = createHarness();
    harness.engine.responders.delete(ALEX.id);
    expect(texts(await harness.message('status'))).toContain('not a member of the responders group');
  });

  it('history <user> and report <incident>', async () => {
    harness = createHarness();
    await harness.message('compromised megan@contoso.com');
    await harness.teams.background.idle();
    expect(
      texts(await harness.message('history <at>Megan Bowen</at>', { mentions: [MEGAN_MENTION] })),
    ).toContain('inc-1');
    expect(texts(await harness.message('report inc-1'))).toContain('# Incident inc-1');
    expect(texts(await harness.message('report nope'))).toContain('no incident nope');
    expect(texts(await harness.message('report'))).toContain('Usage: report');
  });

  it('cancel stops the incidents the sender opened in this conversation', async () => {
    harness = createHarness();
    await harness.message('compromised megan@contoso.com');
    await harness.teams.background.idle();
    const replies = await harness.message('cancel');
    expect(texts(replies)).toContain('Cancelled the incident for Megan Bowen');
    expect(harness.engine.callsOf('cancelIncident')[0]?.args).toEqual([
      'inc-1',
      { id: ALEX.id, displayName: 'Alex Wilber' },
    ]);
  });

  it('restore roles undoes the admin-roles step of the latest incident', async () => {
    harness = createHarness();
    await harness.message('compromised megan@contoso.com');
    await harness.teams.background.idle();
    const incident = harness.engine.incidents.get('inc-1');
    if (!incident) throw new Error('no incident');
    harness.engine.incidents.set('inc-1', {
      ...incident,
      steps: incident.steps.map((step) =>
        step.id === 'admin-roles' ? { ...step, status: 'done', undoable: true } : step,
      ),
    });
    const replies = await harness.message('restore roles meganb@contoso.com');
    expect(texts(replies)).toContain('Admin roles restored for Megan Bowen');
    expect(harness.engine.callsOf('undoStep')[0]?.args.slice(0, 2)).toEqual(['inc-1', 'admin-roles']);
  });

  it('speaks Norwegian Bokmål to nb-NO clients, cards included', async () => {
    harness = createHarness();
    expect(texts(await harness.message('help', { locale: 'nb-NO' }))).toContain('leder respondere');
    await harness.message('compromised megan@contoso.com', { locale: 'nb-NO' });
    await harness.teams.background.idle();
    const cards = harness.gateway.textIn(GROUP.id);
    expect(cards).toContain('Simulert tenant');
    expect(cards).toContain('Blokker pålogging');
  });

  it('works in a personal chat too', async () => {
    harness = createHarness();
    await harness.message('compromised megan@contoso.com', { conversation: PERSONAL, from: USERS.alex });
    await harness.teams.background.idle();
    expect(harness.gateway.calls.filter((c) => c.conversationId === PERSONAL.id)).toHaveLength(13);
  });
});
