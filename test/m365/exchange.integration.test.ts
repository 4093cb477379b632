import { describe, expect, it } from 'vitest';
import type { InboxRuleDefinition } from '../../src/m365';
import { MEGAN, servicesFor, useSimulatedServices } from './support';

const sim = useSimulatedServices();

function exchangeCalls() {
  return sim.tenant.requestLog().filter((entry) => entry.service === 'exchange');
}

describe('ExchangeClient over HTTP (InvokeCommand)', () => {
  it("reads Megan's external forwarding", async () => {
    const mailbox = await sim.services.exchange.getMailbox(MEGAN);
    expect(mailbox).toMatchObject({
      userPrincipalName: MEGAN,
      primarySmtpAddress: MEGAN,
      forwardingSmtpAddress: 'megan.bowen.archive@gmail.com',
      forwardingAddress: null,
      deliverToMailboxAndForward: false,
      grantSendOnBehalfTo: [],
    });
  });

  it('maps an unknown mailbox to NotFound', async () => {
    await expect(sim.services.exchange.getMailbox('ghost@contoso.com')).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('removes forwarding and can restore it', async () => {
    await sim.services.exchange.setForwarding(MEGAN, {
      forwardingSmtpAddress: null,
      forwardingAddress: null,
      deliverToMailboxAndForward: false,
    });
    expect((await sim.services.exchange.getMailbox(MEGAN)).forwardingSmtpAddress).toBeNull();
    await sim.services.exchange.setForwarding(MEGAN, {
      forwardingSmtpAddress: 'megan.bowen.archive@gmail.com',
      forwardingAddress: null,
      deliverToMailboxAndForward: false,
    });
    expect((await sim.services.exchange.getMailbox(MEGAN)).forwardingSmtpAddress).toBe(
      'megan.bowen.archive@gmail.com',
    );
  });

  it('fails to set forwarding on an unknown mailbox', async () => {
    await expect(
      sim.services.exchange.setForwarding('ghost@contoso.com', {
        forwardingSmtpAddress: null,
        forwardingAddress: null,
        deliverToMailboxAndForward: false,
      }),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('finds the hidden rule by running Get-InboxRule with and without -IncludeHidden in parallel', async () => {
    const rules = await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true });
    const getCalls = exchangeCalls().filter((entry) => entry.cmdlet === 'Get-InboxRule');
    expect(getCalls).toHaveLength(2);
    expect(rules.filter((rule) => rule.hidden).map((rule) => rule.name)).toEqual(['Inbox Sync']);
    const dot = rules.find((rule) => rule.name === '.');
    expect(dot?.actions.moveToFolder).toBe('RSS Subscriptions');
    expect(dot?.actions.markAsRead).toBe(true);
    expect(dot?.conditions.fromAddresses).toEqual(
      expect.arrayContaining(['it@contoso.com', 'security@contoso.com']),
    );
    expect(rules.find((rule) => rule.name === 'Backup')?.actions.forwardAsAttachmentTo).toEqual([
      'megan.bowen.archive@gmail.com',
    ]);
    expect(rules.every((rule) => rule.source === 'exchange' && rule.id.length > 0)).toBe(true);
  });

  it('lists only visible rules without includeHidden, in one call', async () => {
    const rules = await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: false });
    expect(rules.map((rule) => rule.name)).not.toContain('Inbox Sync');
    expect(exchangeCalls()).toHaveLength(1);
  });

  it('disables, enables and removes a hidden rule by the identity it was listed with', async () => {
    const hidden = (await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true })).find(
      (rule) => rule.hidden,
    )!;
    await sim.services.exchange.disableInboxRule(MEGAN, hidden.id);
    let again = (await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true })).find(
      (r) => r.id === hidden.id,
    );
    expect(again?.enabled).toBe(false);
    await sim.services.exchange.enableInboxRule(MEGAN, hidden.id);
    again = (await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true })).find(
      (r) => r.id === hidden.id,
    );
    expect(again?.enabled).toBe(true);
    await sim.services.exchange.removeInboxRule(MEGAN, hidden.id);
    const after = await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: true });
    expect(after.map((rule) => rule.id)).not.toContain(hidden.id);
  });

  it('fails to change a rule that does not exist', async () => {
    await expect(sim.services.exchange.disableInboxRule(MEGAN, `${MEGAN}\\999`)).rejects.toMatchObject({
      code: 'NotFound',
    });
    await expect(sim.services.exchange.enableInboxRule(MEGAN, `${MEGAN}\\999`)).rejects.toMatchObject({
      code: 'NotFound',
    });
    await expect(sim.services.exchange.removeInboxRule(MEGAN, `${MEGAN}\\999`)).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('re-creates a removed rule from its saved definition, keeping it disabled when it was', async () => {
    const original = (await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: false })).find(
      (rule) => rule.name === '.',
    )!;
    await sim.services.exchange.removeInboxRule(MEGAN, original.id);
    const { id: _id, source: _source, hidden: _hidden, readOnly: _readOnly, ...definition } = original;
    const saved: InboxRuleDefinition = { ...definition, enabled: false };
    const recreated = await sim.services.exchange.createInboxRule(MEGAN, saved);
    expect(recreated).toMatchObject({
      name: '.',
      enabled: false,
      actions: { moveToFolder: 'RSS Subscriptions', markAsRead: true },
      requestId: expect.stringMatching(/.+/),
    });
    expect(recreated.conditions.fromAddresses).toEqual(
      expect.arrayContaining(original.conditions.fromAddresses),
    );
    const listed = (await sim.services.exchange.listInboxRules(MEGAN, { includeHidden: false })).find(
      (rule) => rule.id === recreated.id,
    );
    expect(listed?.enabled).toBe(false);
  });

  it('fails to create a rule in an unknown mailbox', async () => {
    const definition: InboxRuleDefinition = {
      name: 'x',
      enabled: true,
      priority: 1,
      conditions: {
        subjectContains: ['a'],
        bodyContains: [],
        subjectOrBodyContains: [],
        fromAddresses: [],
        senderContains: [],
      },
      actions: {
        forwardTo: [],
        redirectTo: [],
        forwardAsAttachmentTo: [],
        delete: true,
        permanentDelete: false,
        markAsRead: false,
        stopProcessingRules: false,
      },
    };
    await expect(
      sim.services.exchange.createInboxRule('ghost@contoso.com', definition),
    ).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('lists and removes the blocked sender', async () => {
    const blocked = await sim.services.exchange.listBlockedSenders();
    expect(blocked.map((sender) => sender.senderAddress.toLowerCase())).toContain(MEGAN.toLowerCase());
    await sim.services.exchange.removeBlockedSender(MEGAN);
    expect(await sim.services.exchange.listBlockedSenders()).toEqual([]);
  });

  it('fails to unblock an address that is not blocked', async () => {
    await expect(sim.services.exchange.removeBlockedSender('AlexW@contoso.com')).rejects.toMatchObject({
      status: expect.any(Number),
      code: expect.stringMatching(/NotFound|BadRequest/),
    });
  });

  it('lists delegates without SELF or inherited entries, removes and restores them', async () => {
    const delegates = await sim.services.exchange.listDelegates(MEGAN);
    expect(delegates).toEqual(
      expect.arrayContaining([
        { mailbox: MEGAN, trustee: 'svc-sync@contoso.com', right: 'FullAccess' },
        { mailbox: MEGAN, trustee: 'svc-sync@contoso.com', right: 'SendAs' },
      ]),
    );
    expect(delegates.some((delegate) => delegate.trustee.includes('SELF'))).toBe(false);
    for (const delegate of delegates) await sim.services.exchange.removeDelegate(delegate);
    expect(await sim.services.exchange.listDelegates(MEGAN)).toEqual([]);
    for (const delegate of delegates) await sim.services.exchange.addDelegate(delegate);
    expect(await sim.services.exchange.listDelegates(MEGAN)).toEqual(expect.arrayContaining(delegates));
  });

  it('adds and removes a SendOnBehalf delegate by rewriting GrantSendOnBehalfTo', async () => {
    const delegate = { mailbox: MEGAN, trustee: 'svc-sync@contoso.com', right: 'SendOnBehalf' as const };
    await sim.services.exchange.addDelegate(delegate);
    expect(await sim.services.exchange.listDelegates(MEGAN)).toContainEqual(delegate);
    await sim.services.exchange.removeDelegate(delegate);
    expect(await sim.services.exchange.listDelegates(MEGAN)).not.toContainEqual(delegate);
    const setCalls = exchangeCalls().filter((entry) => entry.cmdlet === 'Set-Mailbox');
    expect(setCalls).toHaveLength(2);
  });

  it('fails to remove a delegate from an unknown mailbox', async () => {
    await expect(
      sim.services.exchange.removeDelegate({
        mailbox: 'ghost@contoso.com',
        trustee: 'x@contoso.com',
        right: 'FullAccess',
      }),
    ).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('sends the anchor mailbox header and never puts the token in the log', async () => {
    await sim.services.exchange.getMailbox(MEGAN);
    const [entry] = exchangeCalls();
    expect(entry?.path).toContain(`/adminapi/beta/${sim.tenant.tenantId}/InvokeCommand`);
    expect(JSON.stringify(sim.tenant.requestLog())).not.toContain('simulated-tenant-token');
  });

  it('refuses a wrong tenant id with NotFound', async () => {
    const wrong = servicesFor(sim.tenant, { tenantId: '00000000-0000-0000-0000-000000000000' });
    await expect(wrong.exchange.getMailbox(MEGAN)).rejects.toMatchObject({ code: 'NotFound' });
  });
});
