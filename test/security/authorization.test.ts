import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyConfig } from '../../src/config/config';
import type { UsersClient } from '../../src/m365/types';
import { PolicyError } from '../../src/remediation/contract';
import { Policy } from '../../src/remediation/policy';
import { stepCardVersion } from '../../src/teams/cards/cardVersion';
import { contosoFixture, startHarness } from './support/remediatorHarness';
import type { Harness } from './support/remediatorHarness';
import { GROUP_CHAT, OTHER_GROUP_CHAT, PEOPLE } from './support/teamsActivities';

/**
 * Who may do what, proven against the real engine, store and Teams edge over HTTP, with the
 * simulated tenant's request log as the witness: every refusal leaves it without a single write.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options?: Parameters<typeof startHarness>[0]): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

const refusedEvents = async (h: Harness) => (await h.audit()).filter((event) => event.outcome === 'refused');

describe('only responders act', () => {
  it('a non-responder cannot open an incident: polite refusal, audited, no write', async () => {
    const h = await start();
    const replies = await h.say(PEOPLE.lynne, 'compromised', [PEOPLE.megan]);
    expect(replies.join('\n')).toMatch(/not a member of the responders group/);
    expect(await h.app.engine.listOpenIncidents()).toEqual([]);
    expect(await refusedEvents(h)).toEqual([
      expect.objectContaining({
        event: 'incident.refused',
        actor: expect.objectContaining({ id: PEOPLE.lynne.aadObjectId }),
      }),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('a Global Administrator who is not a responder cannot approve, and nothing is written', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const response = await h.click(PEOPLE.patti, 'incident.approve', { i: incident.id });
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/not a member of the responders group/);
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
    const blocked = await h.click(PEOPLE.patti, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    expect(blocked.body).toMatch(/not a member of the responders group/);
    expect(await h.stepStatus(incident.id, 'block-sign-in')).toBe('pending');
    expect((await refusedEvents(h)).map((event) => event.actor?.id)).toEqual([
      PEOPLE.patti.aadObjectId,
      PEOPLE.patti.aadObjectId,
    ]);
    expect(h.writes()).toEqual([]);
  });

  it.each([['status'], ['report'], ['history MeganB@contoso.com']])(
    'a non-responder asking "%s" learns nothing about incidents',
    async (command) => {
      const h = await start();
      const incident = await h.openMeganIncident();
      const text = command === 'report' ? `report ${incident.id}` : command;
      const replies = (await h.say(PEOPLE.patti, text)).join('\n');
      expect(replies).toMatch(/not a member of the responders group/);
      expect(replies).not.toContain('MeganB@contoso.com');
      expect(replies).not.toContain(incident.id);
      expect(h.writes()).toEqual([]);
    },
  );

  it('a sender without an Entra object id is refused', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const anonymous = { ...PEOPLE.adele, aadObjectId: '' };
    const response = await h.click(anonymous, 'incident.approve', { i: incident.id });
    expect(response.body).toMatch(/cannot tell who you are/);
    expect((await h.incident(incident.id)).approvals).toEqual([]);
    expect(h.writes()).toEqual([]);
  });
});

describe('four-eyes', () => {
  it.each([
    ['incident.approve', {}],
    ['incident.approveAll', {}],
    ['step.approve', { s: 'block-sign-in' }],
  ])('the requester cannot %s their own incident', async (verb, extra) => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const response = await h.click(PEOPLE.alex, verb, { i: incident.id, ...extra });
    expect(response.body).toMatch(/Four-eyes: Alex Wilber opened this incident/);
    const after = await h.incident(incident.id);
    expect(after.status).toBe('awaiting-approval');
    expect(after.steps.every((step) => step.status === 'pending' || step.status === 'failed')).toBe(true);
    expect(await refusedEvents(h)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: PEOPLE.alex.aadObjectId }),
        detail: expect.stringMatching(/^SelfApproval/),
      }),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('the target of an incident cannot approve it, even as a responder', async () => {
    const h = await start();
    await h.say(PEOPLE.alex, 'compromised IsaiahL@contoso.com');
    const [incident] = await h.app.engine.listOpenIncidents();
    if (!incident) throw new Error('no incident');
    h.tenant.resetLog();
    for (const [verb, extra] of [
      ['incident.approve', {}],
      ['step.approve', { s: 'revoke-sessions' }],
      ['step.skip', { s: 'revoke-sessions' }],
    ] as const) {
      const response = await h.click(PEOPLE.isaiah, verb, { i: incident.id, ...extra });
      expect(response.body).toMatch(/compromised user cannot/);
    }
    expect(await h.stepStatus(incident.id, 'revoke-sessions')).toBe('pending');
    expect((await refusedEvents(h)).every((event) => event.detail?.startsWith('TargetCannotApprove'))).toBe(
      true,
    );
    expect(h.writes()).toEqual([]);
  });

  it('a second responder approves, and only then does anything change', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    expect(await h.stepStatus(incident.id, 'block-sign-in')).toBe('done');
    expect(h.writes().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PATCH /v1.0/users/${PEOPLE.megan.aadObjectId}`,
    ]);
  });
});

describe('card actions carry opaque ids only', () => {
  it('target, actor and approver in card data are ignored: they come from the store and the sender', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    h.tenant.resetLog();
    await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'block-sign-in',
      target: 'PattiF@contoso.com',
      targetId: PEOPLE.patti.aadObjectId,
      userId: PEOPLE.patti.aadObjectId,
      actor: { id: PEOPLE.alex.aadObjectId, displayName: 'Alex Wilber' },
      approvedBy: PEOPLE.alex.aadObjectId,
      from: { aadObjectId: PEOPLE.alex.aadObjectId },
    });
    const step = (await h.incident(incident.id)).steps.find((candidate) => candidate.id === 'block-sign-in');
    expect(step?.approvedBy?.id).toBe(PEOPLE.adele.aadObjectId);
    const paths = h.writes().map((entry) => entry.path);
    expect(paths).toEqual([`/v1.0/users/${PEOPLE.megan.aadObjectId}`]);
    expect(h.tenant.requestLog().some((entry) => entry.path.includes(PEOPLE.patti.aadObjectId))).toBe(false);
    expect(h.tenant.state().users.find((user) => user.id === PEOPLE.patti.aadObjectId)?.accountEnabled).toBe(
      true,
    );
  });

  it('a click for an incident of another conversation is refused and audited, and discloses nothing', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const response = await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id }, OTHER_GROUP_CHAT);
    expect(response.body).toMatch(/belongs to another conversation/);
    expect(response.body).not.toContain('Megan');
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
    expect(await refusedEvents(h)).toEqual([
      expect.objectContaining({
        event: 'card.incident.approve',
        incidentId: incident.id,
        detail: expect.stringContaining('another conversation'),
      }),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('a click from another tenant is refused at the edge (403), audited, and runs no bot logic', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const otherTenant = 'b0b0b0b0-0000-4000-8000-000000000000';
    const response = await h.click(
      PEOPLE.adele,
      'incident.approve',
      { i: incident.id },
      { ...GROUP_CHAT, tenantId: otherTenant },
      { channelData: { tenant: { id: otherTenant } } },
    );
    expect(response.status).toBe(403);
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
    expect(await refusedEvents(h)).toEqual([
      expect.objectContaining({ event: 'request.refused', detail: expect.stringContaining('WrongTenant') }),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('a finished step is not executed again by a second click (approve or skip)', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    expect(await h.stepStatus(incident.id, 'block-sign-in')).toBe('done');
    h.tenant.resetLog();
    await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    await h.click(PEOPLE.isaiah, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    await h.click(PEOPLE.isaiah, 'step.skip', { i: incident.id, s: 'block-sign-in' });
    expect(await h.stepStatus(incident.id, 'block-sign-in')).toBe('done');
    expect(h.writes()).toEqual([]);
  });

  it('a stale card (another version) is refused with the current state, and nothing is written', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    const response = await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'inbox-rules',
      v: 'an-older-version',
    });
    expect(response.body).toMatch(/out of date, so nothing was done/);
    expect(await h.stepStatus(incident.id, 'inbox-rules')).toBe('pending');
    expect(h.writes()).toEqual([]);
    // The current version goes through.
    const step = (await h.incident(incident.id)).steps.find((candidate) => candidate.id === 'inbox-rules');
    if (!step) throw new Error('no step');
    await h.click(PEOPLE.adele, 'step.approve', {
      i: incident.id,
      s: 'inbox-rules',
      v: stepCardVersion(step),
    });
    expect(await h.stepStatus(incident.id, 'inbox-rules')).toBe('done');
  });

  it('a cancelled incident accepts no more approvals', async () => {
    const h = await start();
    const incident = await h.openMeganIncident();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.isaiah, 'incident.cancel', { i: incident.id });
    expect((await h.incident(incident.id)).status).toBe('cancelled');
    const response = await h.click(PEOPLE.adele, 'step.approve', { i: incident.id, s: 'block-sign-in' });
    expect(response.body).toMatch(/is cancelled/);
    expect(await h.stepStatus(incident.id, 'block-sign-in')).toBe('pending');
    expect(h.writes()).toEqual([]);
  });

  it.each([
    ['an unknown verb', 'step.explode', { i: 'x' }],
    ['no incident id', 'step.approve', { s: 'block-sign-in' }],
    ['an oversized incident id', 'step.approve', { i: 'x'.repeat(5_000), s: 'block-sign-in' }],
    ['an unknown step', 'step.approve', { i: 'INCIDENT', s: 'format-c-drive' }],
    ['an unknown incident', 'incident.approve', { i: '00000000-0000-4000-8000-000000000000' }],
  ] as [string, string, Record<string, unknown>][])('%s changes nothing', async (_name, verb, data) => {
    const h = await start();
    const incident = await h.openMeganIncident();
    const withId = data.i === 'INCIDENT' ? { ...data, i: incident.id } : data;
    const response = await h.click(PEOPLE.adele, verb, withId);
    expect(response.status).toBeLessThan(500);
    expect((await h.incident(incident.id)).status).toBe('awaiting-approval');
    expect(h.writes()).toEqual([]);
  });
});

describe('protected accounts', () => {
  it.each([
    ['breakglass01@contoso.com'],
    ['9c4ef906-6f40-45f0-8925-ec80648f5460'],
    ['BreakGlass01@Contoso.com'],
  ])('a break-glass account (%s) is never a target: refused, audited, nothing written', async (target) => {
    const h = await start();
    const replies = (await h.say(PEOPLE.alex, `compromised ${target}`)).join('\n');
    expect(replies).toMatch(/break-glass account/);
    expect(await h.app.engine.listOpenIncidents()).toEqual([]);
    expect(await refusedEvents(h)).toEqual([
      expect.objectContaining({ event: 'incident.refused', detail: expect.stringMatching(/break-glass/) }),
    ]);
    expect(h.writes()).toEqual([]);
  });

  it('the last Global Administrator keeps the role, whatever the responders approve', async () => {
    const fixture = contosoFixture();
    // Only Patti holds Global Administrator in this tenant (the break-glass assignment is gone).
    fixture.roleAssignments = fixture.roleAssignments.filter(
      (assignment) => assignment.principalId !== '9c4ef906-6f40-45f0-8925-ec80648f5460',
    );
    const h = await start({ fixture });
    await h.say(PEOPLE.alex, 'compromised PattiF@contoso.com');
    const [incident] = await h.app.engine.listOpenIncidents();
    if (!incident) throw new Error('no incident');
    const roles = incident.steps.find((step) => step.id === 'admin-roles');
    expect(JSON.stringify(roles?.findings)).toMatch(/last Global Administrator/);
    h.tenant.resetLog();
    await h.click(PEOPLE.adele, 'incident.approve', { i: incident.id });
    await h.click(PEOPLE.adele, 'incident.approveAll', { i: incident.id });
    const globalAdmins = h.tenant
      .state()
      .roleAssignments.filter(
        (assignment) => assignment.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10',
      );
    expect(globalAdmins.map((assignment) => assignment.principalId)).toEqual([PEOPLE.patti.aadObjectId]);
    expect(
      h.writes().some((entry) => entry.method === 'DELETE' && entry.path.includes('roleAssignments')),
    ).toBe(false);
  });
});

describe("Policy (unit): the bot's own identity and the responders cache", () => {
  const config: PolicyConfig = {
    respondersGroupId: '3fec47b4-98e3-417a-bfd9-6dc67f18a61e',
    breakGlassAccounts: ['breakglass01@contoso.com'],
    fourEyes: true,
  };
  const ownId = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';

  function usersWith(memberOf: () => string[]): { client: UsersClient; calls: string[] } {
    const calls: string[] = [];
    const client = {
      checkMemberGroups: async (userId: string) => {
        calls.push(userId);
        return memberOf();
      },
    } as unknown as UsersClient;
    return { client, calls };
  }

  it('refuses to remediate its own identity', () => {
    const policy = new Policy(usersWith(() => []).client, config, { ownIdentityIds: [ownId.toUpperCase()] });
    const target = { id: ownId, userPrincipalName: 'remediator@contoso.com' } as Parameters<
      Policy['assertTargetAllowed']
    >[0];
    expect(() => policy.assertTargetAllowed(target)).toThrow(PolicyError);
  });

  it('caches membership only briefly, so a responder removed from the group loses access within the TTL', async () => {
    let now = 0;
    let member = true;
    const users = usersWith(() => (member ? [config.respondersGroupId ?? ''] : []));
    const policy = new Policy(users.client, config, {
      clock: () => new Date(now),
      responderCacheTtlMs: 60_000,
    });
    const actor = { id: PEOPLE.alex.aadObjectId, displayName: 'Alex' };
    expect(await policy.isResponder(actor)).toBe(true);
    member = false;
    now = 30_000;
    expect(await policy.isResponder(actor)).toBe(true);
    now = 60_001;
    expect(await policy.isResponder(actor)).toBe(false);
    expect(users.calls).toHaveLength(2);
  });

  it('with no responders group configured nobody may act', async () => {
    const policy = new Policy(usersWith(() => ['anything']).client, {
      ...config,
      respondersGroupId: undefined,
    });
    await expect(policy.assertResponder({ id: 'x', displayName: 'X' })).rejects.toMatchObject({
      code: 'NotResponder',
    });
  });
});
