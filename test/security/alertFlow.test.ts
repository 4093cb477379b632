import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_SIGNATURE_HEADER, ALERT_TIMESTAMP_HEADER, signAlert } from '../../src/teams/alerts';
import { startHarness } from './support/remediatorHarness';
import type { Harness } from './support/remediatorHarness';
import { GROUP_CHAT, PEOPLE, TENANT_ID } from './support/teamsActivities';
import type { Conversation } from './support/teamsActivities';

const SECRET = 'webhook-secret-for-tests-0123456789abcdef';
const SECURITY_CHANNEL_ID = '19:security-operations@thread.tacv2';
const SECURITY_THREAD: Conversation = {
  id: `${SECURITY_CHANNEL_ID};messageid=1732572000000`,
  conversationType: 'channel',
  isGroup: true,
  tenantId: TENANT_ID,
};

async function postAlert(url: string, body: unknown, secret = SECRET) {
  const rawBody = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${url}/api/alerts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ALERT_TIMESTAMP_HEADER]: timestamp,
      [ALERT_SIGNATURE_HEADER]: signAlert(secret, timestamp, rawBody),
    },
    body: rawBody,
  });
  return { status: response.status, body: (await response.json()) as { reference?: string; error?: string } };
}

const alert = {
  users: ['MeganB@contoso.com'],
  alertId: 'sentinel-4711',
  source: 'Microsoft Sentinel',
  severity: 'High',
  title: 'Impossible travel, then a new forwarding rule',
};

describe('an alert from the SIEM raises a card; nothing happens until responders act', () => {
  let h: Harness;
  let reference = '';

  beforeAll(async () => {
    h = await startHarness({ env: { SECRET_ALERT_WEBHOOK_SECRET: SECRET, SECURITY_CHANNEL_ID } });
    // Teams has talked to the bot once, so the security channel can be reached proactively.
    await h.say(PEOPLE.alex, 'help');
    h.tenant.resetLog();
  });
  afterAll(async () => h.close());

  it('an unsigned or wrongly signed alert is refused and posts nothing', async () => {
    const before = h.connector.calls.length;
    expect((await postAlert(h.app.url, alert, 'wrong-secret-wrong-secret-wrong-secret')).status).toBe(401);
    const unsigned = await fetch(`${h.app.url}/api/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    });
    expect(unsigned.status).toBe(401);
    expect(h.connector.calls.length).toBe(before);
    expect(h.tenant.requestLog()).toEqual([]);
  });

  it('a signed alert posts a "possible compromise" card to the security channel and changes nothing', async () => {
    const answer = await postAlert(h.app.url, alert);
    expect(answer.status).toBe(202);
    reference = answer.body.reference ?? '';
    const posted = h.connector.calls.filter((call) =>
      call.url.includes(encodeURIComponent(SECURITY_CHANNEL_ID)),
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toContain('Possible compromise');
    expect(posted[0]?.body).toContain('alert.investigate');
    expect(await h.app.engine.listOpenIncidents()).toEqual([]);
    expect(h.tenant.requestLog()).toEqual([]);
  });

  it('a non-responder cannot take the alert on (refused, audited, nothing opened)', async () => {
    const response = await h.click(PEOPLE.patti, 'alert.investigate', { i: reference }, SECURITY_THREAD);
    expect(response.body).toMatch(/not a member of the responders group/);
    expect(await h.app.engine.listOpenIncidents()).toEqual([]);
    expect(
      (await h.audit()).some(
        (event) => event.event === 'card.alert.investigate' && event.outcome === 'refused',
      ),
    ).toBe(true);
  });

  it('the alert card clicked outside the security channel is refused', async () => {
    const response = await h.click(PEOPLE.alex, 'alert.investigate', { i: reference }, GROUP_CHAT);
    expect(response.body).toMatch(/another conversation/);
    expect(await h.app.engine.listOpenIncidents()).toEqual([]);
  });

  it('a responder takes it on: the incident opens awaiting a SECOND responder, with no write', async () => {
    const response = await h.click(PEOPLE.alex, 'alert.investigate', { i: reference }, SECURITY_THREAD);
    expect(response.body).toContain('Opened 1 incident(s)');
    const [incident] = await h.app.engine.listOpenIncidents();
    expect(incident).toMatchObject({
      status: 'awaiting-approval',
      requester: { id: PEOPLE.alex.aadObjectId },
      origin: { kind: 'webhook' },
      target: { id: PEOPLE.megan.aadObjectId },
    });
    expect(incident?.steps.every((step) => step.status !== 'done' && step.status !== 'approved')).toBe(true);
    expect(h.writes()).toEqual([]);
    // Four-eyes still holds: the responder who took the alert on cannot approve it alone.
    const selfApproval = await h.click(PEOPLE.alex, 'incident.approve', { i: incident?.id }, SECURITY_THREAD);
    expect(selfApproval.body).toMatch(/Four-eyes/);
    expect(h.writes()).toEqual([]);
  });

  it('a second click on the alert opens nothing more', async () => {
    await h.click(PEOPLE.adele, 'alert.investigate', { i: reference }, SECURITY_THREAD);
    expect(await h.app.engine.listOpenIncidents()).toHaveLength(1);
  });

  it('the targets refused on taking an alert on are listed in the clicker’s language', async () => {
    const answer = await postAlert(h.app.url, {
      ...alert,
      alertId: 'sentinel-4712',
      users: ['nobody@contoso.com'],
    });
    const response = await h.click(
      PEOPLE.adele,
      'alert.investigate',
      { i: answer.body.reference ?? '' },
      SECURITY_THREAD,
      { locale: 'nb-NO' },
    );
    expect(response.body).toContain('Åpnet 0 hendelse(r).');
    expect(response.body).toContain(
      'nobody@contoso.com: Det finnes ingen bruker nobody@contoso.com i tenanten.',
    );
    expect(response.body).not.toContain('No user nobody@contoso.com exists');
  });
});

describe('the webhook’s replay memory lives in the store', () => {
  it('a captured request replayed after a restart (a new instance on the same store) is refused', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'remediator-replay-'));
    const rawBody = JSON.stringify(alert);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const send = (url: string) =>
      fetch(`${url}/api/alerts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [ALERT_TIMESTAMP_HEADER]: timestamp,
          [ALERT_SIGNATURE_HEADER]: signAlert(SECRET, timestamp, rawBody),
        },
        body: rawBody,
      });
    const env = { SECRET_ALERT_WEBHOOK_SECRET: SECRET, SECURITY_CHANNEL_ID };
    try {
      const first = await startHarness({ env, dataDir });
      await first.say(PEOPLE.alex, 'help');
      expect((await send(first.app.url)).status).toBe(202);
      await first.close();

      const second = await startHarness({ env, dataDir });
      try {
        await second.say(PEOPLE.alex, 'help');
        const before = second.connector.calls.length;
        const replayed = await send(second.app.url);
        expect(replayed.status).toBe(409);
        expect(((await replayed.json()) as { error?: string }).error).toBe('Replayed');
        expect(second.connector.calls.length).toBe(before);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
