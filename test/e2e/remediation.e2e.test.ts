import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { createSilentLogger } from '../../src/observability/logger';
import type { IncidentView } from '../../src/remediation/contract';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore } from '../../src/store';
import type { ConversationGateway } from '../../src/teams';
import { incidentCardVersion, stepCardVersion } from '../../src/teams/cards/cardVersion';
import { launchBrowser, sendCustomActivity, sendWithMentions, startPlayground } from './playground';
import type { RunningPlayground } from './playground';

const TENANT_ID = 'aedee607-2a8c-4668-8b03-27f2a79988f2';
const BOT = { id: '1c1e1e92-9e6e-4130-a2d5-f9d09313d817', name: 'Remediator' };
const MEGAN = '14e1ed1f-b4f7-47ee-ae98-d39876f6f691';
const ADELE = {
  id: 'user-id-adelev',
  name: 'Adele Vance',
  aadObjectId: 'a54ff265-58d9-483a-8973-e07982bd7315',
};
const GROUP_CHAT = 'group-chat-soc';
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'e2e');

interface PrivateSend {
  userChannelId: string;
  conversationId: string;
  json: string;
}

/** Records where private messages went and what they held, passing everything through. */
function recordingPrivateSends(sends: PrivateSend[]) {
  return (inner: ConversationGateway): ConversationGateway => ({
    send: (reference, activity) => inner.send(reference, activity),
    update: (reference, activityId, activity) => inner.update(reference, activityId, activity),
    // Reset-password first checks that the approver's 1:1 chat opens.
    openPrivately: (reference, userChannelId) =>
      inner.openPrivately ? inner.openPrivately(reference, userChannelId) : Promise.resolve(''),
    sendPrivately: async (reference, userChannelId, activity) => {
      const delivery = await inner.sendPrivately(reference, userChannelId, activity);
      sends.push({ userChannelId, conversationId: delivery.conversationId, json: JSON.stringify(activity) });
      return delivery;
    },
  });
}

/** The credential inside the secret card (the Monospace TextBlock). */
function secretFrom(json: string): string | undefined {
  const match = /"text":"([^"]+)","fontType":"Monospace"/.exec(json);
  return match?.[1];
}

function invokeFromAdele(serviceUrl: string, verb: string, data: Record<string, string>) {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: ADELE,
    recipient: BOT,
    conversation: { id: GROUP_CHAT, isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * One card on its own, for the README (the chat scrolls inside the page, so a page shot shows
 * only the last card). The page is made tall for the shot so that no toolbar or compose box
 * overlaps a long card, then put back as it was.
 */
async function cardShot(page: Page, card: Locator, name: string): Promise<void> {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1400, height: 2400 });
  try {
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

describe('Remediator in the Agents Playground (group chat, four-eyes)', () => {
  let tenant: SimulatedTenant;
  let app: RunningRemediator;
  let playground: RunningPlayground;
  let browser: Browser;
  let page: Page;
  const privateSends: PrivateSend[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    tenant = await startSimulatedTenant({ port: 0 });
    const config = loadConfig({
      LOCAL_DEMO: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
      FOUR_EYES: 'true',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-e2e-')),
      SECURITY_CHANNEL_ID: 'channel-security-alerts',
      LOG_LEVEL: 'silent',
    });
    app = await startRemediator({
      config,
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ inMemory: true }),
      wrapGateway: recordingPrivateSends(privateSends),
    });
    playground = await startPlayground(`${app.url}/api/messages`, path.join(SHOTS, 'playground.log'));
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await page.goto(playground.url);
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    await app?.close();
    await tenant?.close();
  });

  async function openIncident(): Promise<IncidentView> {
    const [incident] = await app.engine.listOpenIncidents();
    if (!incident) throw new Error('no open incident');
    return incident;
  }

  it('walks a compromised account from mention to summary, secrets only in private', async () => {
    await page.getByRole('treeitem', { name: 'SOC Incident Room' }).click();
    await sendWithMentions(page, [{ mention: 'Remediator' }, ' compromised ', { mention: 'Megan Bowen' }]);

    const chat = page.locator('body');
    await expect.poll(() => chat.innerText(), { timeout: 30_000 }).toContain('Sign-in evidence');
    await expect.poll(() => chat.innerText()).toContain('Simulated tenant');
    await shot(page, '01-incident-cards');
    await cardShot(
      page,
      page.locator('.ac-adaptiveCard').filter({ hasText: 'Approve incident' }).first(),
      '00-incident-card',
    );

    // The requester's own approval is refused politely under four-eyes.
    await page.getByRole('button', { name: 'Approve incident' }).click();
    await expect
      .poll(() => chat.innerText(), { timeout: 15_000 })
      .toContain('another responder must approve');
    await shot(page, '02-self-approval-refused');

    const serviceUrl = `${playground.url}/_connector`;
    let incident = await openIncident();
    await sendCustomActivity(
      page,
      invokeFromAdele(serviceUrl, 'incident.approve', { i: incident.id, v: incidentCardVersion(incident) }),
    );
    await expect.poll(async () => (await openIncident()).status, { timeout: 15_000 }).toBe('open');
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('Adele Vance');
    await shot(page, '03-approved-by-adele');

    incident = await openIncident();
    await sendCustomActivity(
      page,
      invokeFromAdele(serviceUrl, 'incident.approveAll', {
        i: incident.id,
        v: incidentCardVersion(incident),
      }),
    );
    // Steps that only a human can finish stay pending after "approve all": Adele skips them.
    await expect
      .poll(
        async () => (await app.engine.getIncident(incident.id))?.steps.some((s) => s.status === 'running'),
        {
          timeout: 60_000,
        },
      )
      .toBe(false);
    await app.teams.background.idle();
    const afterAll = await app.engine.getIncident(incident.id);
    for (const step of afterAll?.steps.filter((s) => s.status === 'pending' || s.status === 'failed') ?? []) {
      await sendCustomActivity(
        page,
        invokeFromAdele(serviceUrl, 'step.skip', { i: incident.id, s: step.id, v: stepCardVersion(step) }),
      );
    }

    await expect
      .poll(() => chat.innerText(), { timeout: 60_000 })
      .toContain('Remediation summary: Megan Bowen');
    await app.teams.background.idle();
    await shot(page, '04-summary');

    const final = await app.engine.getIncident(incident.id);
    expect(final?.status).toBe('completed');

    // The password went to Adele's 1:1 chat only, and never appeared in the group chat.
    const secretSend = privateSends.find((send) => secretFrom(send.json) !== undefined);
    expect(secretSend?.userChannelId).toBe(ADELE.id);
    expect(secretSend?.conversationId).not.toBe(GROUP_CHAT);
    const secret = secretFrom(secretSend?.json ?? '');
    expect(secret?.length ?? 0).toBeGreaterThanOrEqual(12);
    await page.getByRole('treeitem', { name: 'SOC Incident Room' }).click();
    const groupText = await chat.innerText();
    expect(groupText).toContain('sent privately to Adele Vance');
    expect(groupText).not.toContain(secret ?? '<no secret>');

    await page.getByRole('treeitem', { name: /Security Alerts/ }).click();
    await expect
      .poll(() => chat.innerText(), { timeout: 10_000 })
      .toContain('Remediation summary: Megan Bowen');
    await shot(page, '05-security-channel');
  });

  it('left the simulated tenant remediated', () => {
    const state = tenant.state() as unknown as {
      users: { id: string; accountEnabled: boolean; signInSessionsValidFromDateTime?: string }[];
      mailboxes: {
        userId: string;
        forwardingSmtpAddress: string | null;
        inboxRules: { name: string }[];
      }[];
      roleAssignments: { principalId: string }[];
    };
    const megan = state.users.find((user) => user.id === MEGAN);
    expect(megan?.accountEnabled).toBe(false);
    expect(megan?.signInSessionsValidFromDateTime).toBeTruthy();
    const mailbox = state.mailboxes.find((candidate) => candidate.userId === MEGAN);
    expect(mailbox?.forwardingSmtpAddress ?? null).toBeNull();
    const ruleNames = mailbox?.inboxRules.map((rule) => rule.name) ?? [];
    expect(ruleNames).not.toContain('Inbox Sync');
    expect(ruleNames).not.toContain('Backup');
    expect(ruleNames).not.toContain('Invoices');
    expect(ruleNames).not.toContain('.');
    expect(ruleNames).toEqual(expect.arrayContaining(['Newsletters', 'Expense reports to Patti']));
    expect(state.roleAssignments.some((assignment) => assignment.principalId === MEGAN)).toBe(false);
  });
});

describe('Remediator in the Agents Playground (personal chat, local demo, UI clicks)', () => {
  let tenant: SimulatedTenant;
  let app: RunningRemediator;
  let playground: RunningPlayground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    tenant = await startSimulatedTenant({ port: 0 });
    const config = loadConfig({
      LOCAL_DEMO: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
      FOUR_EYES: 'false',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-e2e-')),
      LOG_LEVEL: 'silent',
    });
    app = await startRemediator({
      config,
      logger: createSilentLogger(),
      tenant,
      store: createSqliteStore({ inMemory: true }),
    });
    playground = await startPlayground(
      `${app.url}/api/messages`,
      path.join(SHOTS, 'playground-personal.log'),
    );
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await page.goto(playground.url);
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    await app?.close();
    await tenant?.close();
  });

  const stepCard = (title: string) =>
    page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: title })
      .filter({ hasNotText: 'Approve all remaining' });

  it('approves chosen findings by card click, shows the password only here, and Hide removes it', async () => {
    await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    await sendWithMentions(page, ['compromised MeganB@contoso.com']);
    const chat = page.locator('body');
    await expect.poll(() => chat.innerText(), { timeout: 30_000 }).toContain('Sign-in evidence');
    await expect.poll(() => chat.innerText()).toContain('Four-eyes is relaxed in this local demo');

    // Keep the "Invoices" rule (a responder's call), delete the other suspicious ones.
    const rules = stepCard('Remove suspicious inbox rules');
    await cardShot(page, rules, '10-rules-card-choices');
    await rules.getByRole('checkbox', { name: /Invoices/ }).uncheck();
    await rules.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => rules.innerText(), { timeout: 30_000 }).toContain('Done (verified)');
    await shot(page, '11-rules-approved-by-click');
    await cardShot(page, rules, '11-rules-card-done');

    const reset = stepCard('Reset password');
    await reset.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => chat.innerText(), { timeout: 30_000 }).toContain('New credential (only for you)');
    const secretCard = page.locator('.ac-adaptiveCard').filter({ hasText: 'New credential (only for you)' });
    const secretText = await secretCard.innerText();
    await shot(page, '12-secret-in-personal-chat');
    await secretCard.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('The credential is hidden');
    const lines = secretText.split('\n').map((line) => line.trim());
    const labelLine = lines.indexOf('Megan Bowen: Random password (change at next sign-in)');
    const secret = lines.slice(labelLine + 1).find((line) => line.length > 0) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(12);
    expect(await chat.innerText()).not.toContain(secret);
    await shot(page, '13-secret-hidden');

    const state = tenant.state() as unknown as {
      mailboxes: { userId: string; inboxRules: { name: string }[] }[];
    };
    const names = state.mailboxes
      .find((mailbox) => mailbox.userId === MEGAN)
      ?.inboxRules.map((rule) => rule.name);
    expect(names).toContain('Invoices');
    expect(names).not.toContain('Inbox Sync');
    expect(names).not.toContain('Backup');
    expect(names).toContain('Newsletters');
  });
});
