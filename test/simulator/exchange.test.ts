import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../src/simulator';
import { defaultFixtureWith, errorOf, ids, readResult, startHarness, values } from './helpers';
import type { Harness } from './helpers';

describe('Exchange admin API InvokeCommand', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.tenant.close();
  });
  beforeEach(() => {
    harness.tenant.reset();
    harness.tenant.resetLog();
  });

  const megan = 'MeganB@contoso.com';

  it("reads Megan's external forwarding with Get-Mailbox", async () => {
    const result = await harness.exchange('Get-Mailbox', { Identity: megan });
    expect(result.status).toBe(200);
    expect(String(result.body['@odata.context'])).toContain('/adminapi/beta/');
    expect(values(result)).toEqual([
      expect.objectContaining({
        UserPrincipalName: megan,
        PrimarySmtpAddress: megan,
        ForwardingSmtpAddress: 'smtp:megan.bowen.archive@gmail.com',
        ForwardingAddress: null,
        DeliverToMailboxAndForward: false,
        GrantSendOnBehalfTo: [],
      }),
    ]);
  });

  it('clears forwarding with Set-Mailbox and answers an empty value', async () => {
    const result = await harness.exchange('Set-Mailbox', {
      Identity: megan,
      ForwardingSmtpAddress: null,
      ForwardingAddress: null,
      DeliverToMailboxAndForward: false,
    });
    expect(result.status).toBe(200);
    expect(values(result)).toEqual([]);
    const [mailbox] = values(await harness.exchange('Get-Mailbox', { Identity: megan }));
    expect(mailbox).toMatchObject({ ForwardingSmtpAddress: null, ForwardingAddress: null });
    const log = harness.tenant.requestLog();
    expect(log.map((entry) => [entry.service, entry.cmdlet, entry.write])).toEqual([
      ['exchange', 'Set-Mailbox', true],
      ['exchange', 'Get-Mailbox', false],
    ]);
  });

  it('sets forwarding to an internal recipient and the full GrantSendOnBehalfTo list', async () => {
    await harness.exchange('Set-Mailbox', {
      Identity: megan,
      ForwardingAddress: 'PattiF@contoso.com',
      DeliverToMailboxAndForward: true,
      GrantSendOnBehalfTo: ['AdeleV@contoso.com'],
    });
    const [mailbox] = values(await harness.exchange('Get-Mailbox', { Identity: megan }));
    expect(mailbox).toMatchObject({
      ForwardingAddress: 'PattiF@contoso.com',
      DeliverToMailboxAndForward: true,
      GrantSendOnBehalfTo: ['AdeleV@contoso.com'],
    });
  });

  it('shows hidden rules only with -IncludeHidden, in the Exchange shape', async () => {
    const visible = values(await harness.exchange('Get-InboxRule', { Mailbox: megan }));
    const all = values(await harness.exchange('Get-InboxRule', { Mailbox: megan, IncludeHidden: true }));
    expect(all.length).toBe(visible.length + 1);
    const hidden = all.find((rule) => !visible.some((v) => v.RuleIdentity === rule.RuleIdentity));
    expect(hidden).toMatchObject({
      Name: 'Inbox Sync',
      ForwardTo: [expect.stringMatching(/^".*" \[SMTP:.+@protonmail\.com\]$/)],
    });
    const dot = all.find((rule) => rule.Name === '.');
    expect(dot).toMatchObject({
      Identity: `${megan}\\${String(dot?.RuleIdentity)}`,
      MoveToFolder: `${megan}:\\RSS Subscriptions`,
      MarkAsRead: true,
      From: expect.arrayContaining(['"Contoso IT" [SMTP:it@contoso.com]']),
    });
    expect(typeof dot?.Description).toBe('string');
    const invoices = all.find((rule) => rule.Name === 'Invoices');
    expect(invoices).toMatchObject({
      DeleteMessage: true,
      SubjectContainsWords: ['invoice'],
      StopProcessingRules: true,
    });
  });

  it('reads one rule by its full Identity without -Mailbox', async () => {
    const [first] = values(await harness.exchange('Get-InboxRule', { Mailbox: megan }));
    const one = values(await harness.exchange('Get-InboxRule', { Identity: String(first?.Identity) }));
    expect(one).toEqual([first]);
    expect((await harness.exchange('Get-InboxRule', {})).status).toBe(400);
  });

  it('sees the same rules as Graph: ids match one store', async () => {
    const exchangeRules = values(await harness.exchange('Get-InboxRule', { Mailbox: megan }));
    const graphRules = values(await harness.graph(`/users/${ids.megan}/mailFolders/inbox/messageRules`));
    expect(exchangeRules.map((rule) => rule.Name)).toEqual(graphRules.map((rule) => rule.displayName));
  });

  it('disables, enables and removes a hidden rule by Identity or RuleIdentity', async () => {
    const hidden = values(
      await harness.exchange('Get-InboxRule', { Mailbox: megan, IncludeHidden: true }),
    ).find((rule) => rule.Name === 'Inbox Sync');
    const identity = String(hidden?.Identity);
    expect((await harness.exchange('Disable-InboxRule', { Mailbox: megan, Identity: identity })).status).toBe(
      200,
    );
    const state = () =>
      harness.tenant
        .state()
        .mailboxes.find((m) => m.userId === ids.megan)
        ?.inboxRules.find((r) => r.name === 'Inbox Sync');
    expect(state()?.enabled).toBe(false);
    await harness.exchange('Enable-InboxRule', { Mailbox: megan, Identity: String(hidden?.RuleIdentity) });
    expect(state()?.enabled).toBe(true);
    expect((await harness.exchange('Remove-InboxRule', { Mailbox: megan, Identity: identity })).status).toBe(
      200,
    );
    expect(state()).toBeUndefined();
    const again = await harness.exchange('Remove-InboxRule', { Mailbox: megan, Identity: identity });
    expect(again.status).toBe(404);
    expect(errorOf(again).code).toBe('ManagementObjectNotFound');
  });

  it('re-creates a rule with New-InboxRule that Graph can then read', async () => {
    const result = await harness.exchange('New-InboxRule', {
      Mailbox: megan,
      Name: 'Restored',
      SubjectContainsWords: ['quarterly'],
      ForwardTo: ['PattiF@contoso.com'],
      MoveToFolder: `${megan}:\\Archive`,
      MarkAsRead: true,
      StopProcessingRules: true,
    });
    expect(result.status).toBe(200);
    const [created] = values(result);
    expect(created).toMatchObject({
      Name: 'Restored',
      Enabled: true,
      ForwardTo: ['"Patti Fernandez" [SMTP:PattiF@contoso.com]'],
      MoveToFolder: `${megan}:\\Archive`,
      SubjectContainsWords: ['quarterly'],
    });
    const graphRules = values(await harness.graph(`/users/${ids.megan}/mailFolders/inbox/messageRules`));
    const restored = graphRules.find((rule) => rule.displayName === 'Restored');
    expect(restored).toMatchObject({
      conditions: { subjectContains: ['quarterly'] },
      actions: { markAsRead: true },
    });
  });

  it('lists and removes a blocked sender', async () => {
    const blocked = values(await harness.exchange('Get-BlockedSenderAddress'));
    expect(blocked).toEqual([
      expect.objectContaining({
        SenderAddress: megan,
        Reason: expect.any(String),
        CreatedDatetime: expect.any(String),
      }),
    ]);
    expect((await harness.exchange('Remove-BlockedSenderAddress', { SenderAddress: megan })).status).toBe(
      200,
    );
    expect(values(await harness.exchange('Get-BlockedSenderAddress', { SenderAddress: megan }))).toEqual([]);
  });

  it('lists FullAccess delegates including NT AUTHORITY\\SELF, and removes and restores one', async () => {
    const permissions = values(await harness.exchange('Get-MailboxPermission', { Identity: megan }));
    expect(permissions.map((p) => p.User)).toEqual(['NT AUTHORITY\\SELF', 'svc-sync@contoso.com']);
    expect(permissions[1]).toMatchObject({ AccessRights: ['FullAccess'], IsInherited: false, Deny: false });
    const params = { Identity: megan, User: 'svc-sync@contoso.com', AccessRights: ['FullAccess'] };
    expect((await harness.exchange('Remove-MailboxPermission', { ...params, Confirm: false })).status).toBe(
      200,
    );
    expect(
      values(await harness.exchange('Get-MailboxPermission', { Identity: megan })).map((p) => p.User),
    ).toEqual(['NT AUTHORITY\\SELF']);
    expect((await harness.exchange('Add-MailboxPermission', params)).status).toBe(200);
    expect(values(await harness.exchange('Get-MailboxPermission', { Identity: megan }))).toHaveLength(2);
  });

  it('lists SendAs trustees including NT AUTHORITY\\SELF, and removes and restores one', async () => {
    const permissions = values(await harness.exchange('Get-RecipientPermission', { Identity: megan }));
    expect(permissions.map((p) => p.Trustee)).toEqual(['NT AUTHORITY\\SELF', 'svc-sync@contoso.com']);
    expect(permissions[1]).toMatchObject({ AccessRights: ['SendAs'], AccessControlType: 'Allow' });
    const params = { Identity: megan, Trustee: 'svc-sync@contoso.com', AccessRights: ['SendAs'] };
    await harness.exchange('Remove-RecipientPermission', params);
    expect(values(await harness.exchange('Get-RecipientPermission', { Identity: megan }))).toHaveLength(1);
    await harness.exchange('Add-RecipientPermission', params);
    expect(values(await harness.exchange('Get-RecipientPermission', { Identity: megan }))).toHaveLength(2);
  });

  it('answers 400 for an unknown cmdlet, an unknown parameter or a missing mandatory one', async () => {
    const unknownCmdlet = await harness.exchange('Get-Nothing', {});
    expect(unknownCmdlet.status).toBe(400);
    const unknownParameter = await harness.exchange('Get-Mailbox', { Identity: megan, Colour: 'blue' });
    expect(unknownParameter.status).toBe(400);
    expect(errorOf(unknownParameter).code).toBe('ParameterBindingException');
    const missing = await harness.exchange('Remove-InboxRule', { Mailbox: megan });
    expect(missing.status).toBe(400);
    expect(String(errorOf(missing).message)).toContain('Identity');
  });

  it('answers 404 ManagementObjectNotFound for an unknown mailbox and 404 for another tenant', async () => {
    const unknown = await harness.exchange('Get-Mailbox', { Identity: 'nobody@contoso.com' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('ManagementObjectNotFound');
    expect(unknown.body.error).toHaveProperty('details');
    const otherTenant = await harness.exchange('Get-Mailbox', {}, '00000000-0000-0000-0000-000000000000');
    expect(otherTenant.status).toBe(404);
    expect(
      (await harness.exchange('Get-Mailbox', { Identity: megan }, 'contoso.onmicrosoft.com')).status,
    ).toBe(200);
  });

  it('needs Exchange.ManageAsApp and a bearer token', async () => {
    const noToken = await fetch(`${harness.tenant.url}/adminapi/beta/${ids.tenant}/InvokeCommand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: {} } }),
    });
    expect(noToken.status).toBe(401);
    const fixture = await defaultFixtureWith((f) => {
      (f.app as Record<string, unknown>).withheldPermissions = ['Exchange.ManageAsApp'];
    });
    const tenant = await startSimulatedTenant({ port: 0, fixture });
    try {
      const denied = await readResult(
        await fetch(`${tenant.url}/adminapi/beta/${ids.tenant}/InvokeCommand`, {
          method: 'POST',
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: JSON.stringify({
            CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { Identity: megan } },
          }),
        }),
      );
      expect(denied.status).toBe(403);
      expect(errorOf(denied).code).toBe('Authorization_RequestDenied');
    } finally {
      await tenant.close();
    }
  });
});
