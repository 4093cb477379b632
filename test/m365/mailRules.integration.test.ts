import { describe, expect, it } from 'vitest';
import { ids, ISAIAH, MEGAN, servicesFor, useSimulatedServices } from './support';

const sim = useSimulatedServices();

describe('MailRulesClient over HTTP', () => {
  it("lists Megan's visible rules with target folders by name", async () => {
    const rules = await sim.services.mailRules.listInboxRules(ids.megan);
    const byName = new Map(rules.map((rule) => [rule.name, rule]));
    expect(byName.get('Invoices')?.actions.delete).toBe(true);
    expect(byName.get('Invoices')?.conditions.subjectContains).toEqual(['invoice']);
    expect(byName.get('Backup')?.actions.forwardAsAttachmentTo).toEqual(['megan.bowen.archive@gmail.com']);
    expect(byName.get('.')?.actions.moveToFolder).toBe('RSS Subscriptions');
    expect(byName.get('.')?.conditions.fromAddresses).toContain('it@contoso.com');
    expect(byName.get('Newsletters')?.actions.moveToFolder).toBe('Newsletters');
    expect(rules.every((rule) => rule.source === 'graph' && !rule.hidden)).toBe(true);
  });

  it('follows @odata.nextLink across at least three pages', async () => {
    const paged = servicesFor(sim.tenant, { messageRulesPageSize: 10 });
    const rules = await paged.mailRules.listInboxRules(ids.isaiah);
    const pages = sim.tenant
      .requestLog()
      .filter((entry) => entry.method === 'GET' && /\/messageRules(\?|$)/.test(entry.path));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(rules.length).toBe(
      sim.tenant.state().mailboxes.find((box) => box.userId === ids.isaiah)?.inboxRules.length,
    );
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });

  it('does not see the hidden rule that Exchange -IncludeHidden finds', async () => {
    const graphRules = await sim.services.mailRules.listInboxRules(ids.megan);
    const exchangeRules = await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true });
    const hidden = exchangeRules.filter((rule) => rule.hidden);
    expect(hidden.map((rule) => rule.name)).toEqual(['Inbox Sync']);
    expect(hidden[0]?.actions.forwardTo).toEqual(['mb.sync.collector@protonmail.com']);
    expect(graphRules.map((rule) => rule.name)).not.toContain('Inbox Sync');
    expect(exchangeRules.length).toBe(graphRules.length + 1);
  });

  it('fails to list rules of an unknown mailbox', async () => {
    await expect(sim.services.mailRules.listInboxRules('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('reads, disables and deletes a rule', async () => {
    const [invoices] = (await sim.services.mailRules.listInboxRules(ids.megan)).filter(
      (rule) => rule.name === 'Invoices',
    );
    expect(invoices).toBeDefined();
    await sim.services.mailRules.disableInboxRule(ids.megan, invoices!.id);
    expect((await sim.services.mailRules.getInboxRule(ids.megan, invoices!.id)).enabled).toBe(false);
    await sim.services.mailRules.deleteInboxRule(ids.megan, invoices!.id);
    await expect(sim.services.mailRules.getInboxRule(ids.megan, invoices!.id)).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('fails to disable or delete a rule that does not exist', async () => {
    await expect(sim.services.mailRules.disableInboxRule(ids.megan, 'AQAAAAAAAAA=')).rejects.toMatchObject({
      code: 'NotFound',
    });
    await expect(sim.services.mailRules.deleteInboxRule(ids.megan, 'AQAAAAAAAAA=')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('keeps at most 4 requests in flight per mailbox, so the tenant never throttles MailboxConcurrency', async () => {
    const isaiahRules = await sim.services.mailRules.listInboxRules(ids.isaiah);
    sim.tenant.resetLog();
    const gets = isaiahRules
      .slice(0, 12)
      .map((rule) => sim.services.mailRules.getInboxRule(ids.isaiah, rule.id));
    const results = await Promise.all(gets);
    expect(results).toHaveLength(12);
    expect(sim.tenant.requestLog().filter((entry) => entry.status === 429)).toEqual([]);
    expect(sim.services.peakMailboxConcurrency).toBeLessThanOrEqual(4);
    expect(sim.services.peakMailboxConcurrency).toBe(4);
    expect(ISAIAH).toBeDefined();
  });
});
