import { describe, expect, it } from 'vitest';
import { inboxRuleWire, parseKilobytes, toExchangeInboxRule } from '../../src/m365/exchange/wire';
import { messageRuleWire } from '../../src/m365/graph/wire';
import { identityFromAncestry, toInboxRule } from '../../src/m365/mailRulesClient';

describe('Graph messageRule mapping', () => {
  it('keeps exceptions, copy-to-folder, header, size and message-type predicates', () => {
    const wire = messageRuleWire.parse({
      id: 'r1',
      displayName: 'x',
      conditions: {
        headerContains: ['X-Mailer'],
        isNonDeliveryReport: true,
        isReadReceipt: false,
        withinSizeRange: { minimumSize: 0, maximumSize: 100000 },
        sentToAddresses: [{ emailAddress: { address: 'team@contoso.com' } }],
      },
      exceptions: { subjectContains: ['urgent'], isAutomaticReply: true },
      actions: { copyToFolder: 'AAMk-folder', delete: true },
    });
    const rule = toInboxRule(wire);
    expect(rule.conditions).toMatchObject({
      headerContains: ['X-Mailer'],
      messageTypes: ['NonDeliveryReport'],
      sizeRange: { minimumKilobytes: 0, maximumKilobytes: 100000 },
      sentToAddresses: ['team@contoso.com'],
    });
    expect(rule.exceptions).toMatchObject({ subjectContains: ['urgent'], messageTypes: ['AutomaticReply'] });
    expect(rule.actions.copyToFolder).toBe('AAMk-folder');
  });

  it('leaves exceptions out when Graph sends none', () => {
    expect(toInboxRule(messageRuleWire.parse({ id: 'r1', exceptions: {} })).exceptions).toBeUndefined();
  });

  it('places a folder by its own well-known name or its nearest well-known parent', () => {
    const wellKnown = [
      { wellKnownName: 'msgfolderroot', id: 'root', displayName: 'Top' },
      { wellKnownName: 'deleteditems', id: 'del', displayName: 'Slettede elementer', parentFolderId: 'root' },
    ];
    expect(identityFromAncestry('del', ['root'], wellKnown)).toEqual({ wellKnownName: 'deleteditems' });
    expect(identityFromAncestry('sub', ['del', 'root'], wellKnown)).toEqual({ within: 'deleteditems' });
    expect(identityFromAncestry('mine', ['root'], wellKnown)).toEqual({ within: 'msgfolderroot' });
    expect(identityFromAncestry('lost', [], wellKnown)).toEqual({});
  });
});

describe('Exchange Get-InboxRule mapping', () => {
  it('reads ExceptIf…, CopyToFolder, MessageTypeMatches, headers and sizes', () => {
    const wire = inboxRuleWire.parse({
      Identity: 'megan\\1',
      Name: 'r',
      HeaderContainsWords: ['Received:'],
      MessageTypeMatches: 'NonDeliveryReport',
      WithinSizeRangeMinimum: '0 B (0 bytes)',
      WithinSizeRangeMaximum: '100 MB (104,857,600 bytes)',
      CopyToFolder: 'MeganB@contoso.com:\\RSS Feeds',
      ExceptIfSubjectContainsWords: ['kvittering'],
      ExceptIfFrom: ['"Anna" [SMTP:anna@partner.example]'],
      ExceptIfMessageTypeMatches: 'AutomaticReply',
    });
    const rule = toExchangeInboxRule(wire, false);
    expect(rule.conditions).toMatchObject({
      headerContains: ['Received:'],
      messageTypes: ['NonDeliveryReport'],
      sizeRange: { minimumKilobytes: 0, maximumKilobytes: 102400 },
    });
    expect(rule.actions.copyToFolder).toBe('RSS Feeds');
    expect(rule.exceptions).toEqual({
      subjectContains: ['kvittering'],
      fromAddresses: ['anna@partner.example'],
      messageTypes: ['AutomaticReply'],
    });
  });

  it('reads Exchange byte quantities', () => {
    expect(parseKilobytes('1 KB (1,024 bytes)')).toBe(1);
    expect(parseKilobytes(2048)).toBe(2);
    expect(parseKilobytes('5 MB')).toBe(5120);
    expect(parseKilobytes('unlimited')).toBeUndefined();
    expect(parseKilobytes(null)).toBeUndefined();
  });
});
