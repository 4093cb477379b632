import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, ids, readResult, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Graph inbox rules and mail folders', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => harness.tenant.reset());

  const rulesPath = (user: string) => `/users/${user}/mailFolders/inbox/messageRules`;

  it('lists visible rules in sequence order with the messageRule wire shape, never the hidden one', async () => {
    const rules = values(await harness.graph(rulesPath(ids.megan)));
    const hidden =
      harness.tenant
        .state()
        .mailboxes.find((m) => m.userId === ids.megan)
        ?.inboxRules.filter((r) => r.hidden) ?? [];
    expect(hidden.length).toBeGreaterThan(0);
    expect(rules.map((rule) => rule.displayName)).not.toContain(hidden[0]?.name);
    const sequences = rules.map((rule) => Number(rule.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const backup = rules.find((rule) => rule.displayName === 'Backup');
    expect(backup).toMatchObject({
      isEnabled: true,
      hasError: false,
      isReadOnly: false,
      actions: {
        forwardAsAttachmentTo: [
          { emailAddress: { name: expect.any(String), address: 'megan.bowen.archive@gmail.com' } },
        ],
      },
    });
    const dot = rules.find((rule) => rule.displayName === '.');
    expect(dot?.conditions).toMatchObject({
      fromAddresses: expect.arrayContaining([
        { emailAddress: { name: 'Contoso IT', address: 'it@contoso.com' } },
      ]),
    });
    expect(dot?.actions).toMatchObject({ markAsRead: true, moveToFolder: expect.any(String) });
  });

  it('resolves the moveToFolder id to a folder name through mailFolders', async () => {
    const rules = values(await harness.graph(rulesPath(ids.megan)));
    const folderId = String(
      (rules.find((rule) => rule.displayName === '.')?.actions as Record<string, unknown>).moveToFolder,
    );
    const folder = await harness.graph(`/users/${ids.megan}/mailFolders/${encodeURIComponent(folderId)}`);
    expect(folder.body.displayName).toBe('RSS Subscriptions');
    const folders = values(await harness.graph(`/users/${ids.megan}/mailFolders?$top=100`));
    expect(folders.map((f) => f.displayName)).toEqual(
      expect.arrayContaining(['Inbox', 'Archive', 'RSS Subscriptions', 'Notes']),
    );
    const inbox = await harness.graph(`/users/${ids.megan}/mailFolders/inbox`);
    expect(inbox.body.displayName).toBe('Inbox');
  });

  it('pages with $top and an absolute @odata.nextLink until every rule is read', async () => {
    let url: string | undefined = `${harness.tenant.url}/v1.0${rulesPath(ids.isaiah)}?$top=10`;
    const pages: number[] = [];
    const names: string[] = [];
    while (url) {
      expect(url.startsWith(harness.tenant.url)).toBe(true);
      const result = await readResult(await fetch(url, { headers: { authorization: 'Bearer t' } }));
      const page = values(result);
      pages.push(page.length);
      names.push(...page.map((rule) => String(rule.displayName)));
      const next = result.body['@odata.nextLink'];
      url = typeof next === 'string' ? next : undefined;
    }
    const total =
      harness.tenant.state().mailboxes.find((m) => m.userId === ids.isaiah)?.inboxRules.length ?? 0;
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((size) => size === 10)).toBe(true);
    expect(new Set(names).size).toBe(total);
  });

  it('answers 404 for a hidden rule requested by id', async () => {
    const hidden = harness.tenant
      .state()
      .mailboxes.find((m) => m.userId === ids.megan)
      ?.inboxRules.find((r) => r.hidden);
    const result = await harness.graph(`${rulesPath(ids.megan)}/${hidden?.graphId ?? ''}`);
    expect(result.status).toBe(404);
    expect(errorOf(result).code).toBe('ErrorItemNotFound');
  });

  it('disables a rule with PATCH and returns the updated rule', async () => {
    const [first] = values(await harness.graph(rulesPath(ids.megan)));
    const result = await harness.graph(`${rulesPath(ids.megan)}/${String(first?.id)}`, {
      method: 'PATCH',
      body: { isEnabled: false },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: first?.id, isEnabled: false, displayName: first?.displayName });
    const reread = await harness.graph(`${rulesPath(ids.megan)}/${String(first?.id)}`);
    expect(reread.body.isEnabled).toBe(false);
  });

  it('refuses an invalid PATCH without changing the rule', async () => {
    const [first] = values(await harness.graph(rulesPath(ids.megan)));
    const result = await harness.graph(`${rulesPath(ids.megan)}/${String(first?.id)}`, {
      method: 'PATCH',
      body: { isEnabled: false, actions: { moveToFolder: 'no-such-folder' } },
    });
    expect(result.status).toBe(400);
    expect((await harness.graph(`${rulesPath(ids.megan)}/${String(first?.id)}`)).body.isEnabled).toBe(true);
  });

  it('deletes a rule so that neither Graph nor Exchange sees it', async () => {
    const rules = values(await harness.graph(rulesPath(ids.megan)));
    const invoices = rules.find((rule) => rule.displayName === 'Invoices');
    const deleted = await harness.graph(`${rulesPath(ids.megan)}/${String(invoices?.id)}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(204);
    expect(values(await harness.graph(rulesPath(ids.megan))).map((rule) => rule.displayName)).not.toContain(
      'Invoices',
    );
    const exchange = values(
      await harness.exchange('Get-InboxRule', { Mailbox: 'MeganB@contoso.com', IncludeHidden: true }),
    );
    expect(exchange.map((rule) => rule.Name)).not.toContain('Invoices');
    expect(
      (await harness.graph(`${rulesPath(ids.megan)}/${String(invoices?.id)}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('answers MailboxNotEnabledForRESTAPI for a user without a mailbox', async () => {
    const result = await harness.graph(rulesPath(ids.breakGlass));
    expect(result.status).toBe(404);
    expect(errorOf(result).code).toBe('MailboxNotEnabledForRESTAPI');
  });
});
