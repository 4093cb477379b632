import { describe, expect, it } from 'vitest';
import {
  parseFolder,
  parseRecipient,
  parseSmtpAddress,
  toExchangeInboxRule,
} from '../../src/m365/exchange/wire';
import { toAuthMethod } from '../../src/m365/authMethodsClient';
import { toInboxRule } from '../../src/m365/mailRulesClient';

describe('Exchange recipient parsing', () => {
  it.each([
    ['"Megan Archive" [SMTP:megan.bowen.archive@gmail.com]', 'megan.bowen.archive@gmail.com'],
    ['"Finance" [smtp:finance@contoso.com]', 'finance@contoso.com'],
    ['"Legacy Person" [EX:/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc]', 'Legacy Person'],
    ['plain@example.com', 'plain@example.com'],
    ['smtp:x@example.com', 'x@example.com'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseRecipient(text)).toBe(expected);
  });

  it('reads MoveToFolder "<upn>:\\Folder" as the folder path', () => {
    expect(parseFolder('MeganB@contoso.com:\\RSS Subscriptions')).toBe('RSS Subscriptions');
    expect(parseFolder('MeganB@contoso.com:\\Inbox\\Sub')).toBe('Inbox\\Sub');
    expect(parseFolder('Archive')).toBe('Archive');
  });

  it('strips the smtp: prefix from ForwardingSmtpAddress and treats blank as none', () => {
    expect(parseSmtpAddress('smtp:megan.bowen.archive@gmail.com')).toBe('megan.bowen.archive@gmail.com');
    expect(parseSmtpAddress(null)).toBeNull();
    expect(parseSmtpAddress('  ')).toBeNull();
  });

  it('maps a cmdlet rule to the domain rule, keeping its identity and hidden flag', () => {
    const rule = toExchangeInboxRule(
      {
        Identity: 'MeganB@contoso.com\\123',
        RuleIdentity: '123',
        Name: '.',
        Enabled: true,
        Priority: 2,
        ForwardAsAttachmentTo: ['"X" [SMTP:x@gmail.com]'],
        MoveToFolder: 'MeganB@contoso.com:\\RSS Subscriptions',
        MarkAsRead: true,
        SoftDeleteMessage: false,
        From: ['"IT" [SMTP:it@contoso.com]'],
      },
      true,
    );
    expect(rule).toMatchObject({
      id: 'MeganB@contoso.com\\123',
      source: 'exchange',
      hidden: true,
      priority: 2,
      conditions: { fromAddresses: ['it@contoso.com'] },
      actions: {
        forwardAsAttachmentTo: ['x@gmail.com'],
        moveToFolder: 'RSS Subscriptions',
        markAsRead: true,
      },
    });
  });
});

describe('Graph wire mapping', () => {
  it('maps a messageRule with recipients to addresses and fills absent lists', () => {
    const rule = toInboxRule({
      id: 'AQAAAJ5dZqA=',
      displayName: 'fwd',
      sequence: 3,
      isEnabled: false,
      actions: {
        forwardTo: [{ emailAddress: { name: 'A', address: 'a@gmail.com' } }],
        moveToFolder: 'folder-id',
      },
    });
    expect(rule).toMatchObject({
      id: 'AQAAAJ5dZqA=',
      source: 'graph',
      enabled: false,
      hidden: false,
      priority: 3,
      conditions: { subjectContains: [], fromAddresses: [] },
      actions: { forwardTo: ['a@gmail.com'], delete: false, moveToFolder: 'folder-id' },
    });
  });

  it.each([
    [
      '#microsoft.graph.phoneAuthenticationMethod',
      { phoneNumber: '+1 5550100', phoneType: 'mobile' },
      'phone',
      '+1 5550100 (mobile)',
    ],
    [
      '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      { displayName: 'iPhone 15' },
      'microsoftAuthenticator',
      'iPhone 15',
    ],
    ['#microsoft.graph.emailAuthenticationMethod', { emailAddress: 'm@x.com' }, 'email', 'm@x.com'],
    ['#microsoft.graph.passwordAuthenticationMethod', {}, 'password', 'Password'],
    ['#microsoft.graph.somethingNewMethod', {}, 'other', ''],
  ])('maps %s to kind %s', (type, fields, kind, detail) => {
    expect(toAuthMethod({ '@odata.type': type, id: 'm1', ...fields })).toEqual({
      id: 'm1',
      kind,
      detail,
      createdDateTime: undefined,
    });
  });
});
