import { describe, expect, it } from 'vitest';
import { parseCommand, plainText } from '../../src/teams/triggers';

const megan = { mentioned: { id: '29:megan', name: 'Megan Bowen' }, text: '<at>Megan Bowen</at>' };
const lynne = { mentioned: { id: '29:lynne', name: 'Lynne Robbins' }, text: '<at>Lynne Robbins</at>' };

describe('parseCommand', () => {
  it.each([
    [
      'compromised <at>Megan Bowen</at>',
      [megan],
      {
        kind: 'compromised',
        targets: [{ kind: 'mention', channelId: '29:megan', name: 'Megan Bowen' }],
        unrecognised: [],
      },
    ],
    [
      'compromised megan@contoso.com',
      [],
      { kind: 'compromised', targets: [{ kind: 'address', value: 'megan@contoso.com' }], unrecognised: [] },
    ],
    [
      'Compromised <at>Megan Bowen</at> and <at>Lynne Robbins</at>, patti@contoso.com',
      [megan, lynne],
      {
        kind: 'compromised',
        targets: [
          { kind: 'mention', channelId: '29:megan', name: 'Megan Bowen' },
          { kind: 'mention', channelId: '29:lynne', name: 'Lynne Robbins' },
          { kind: 'address', value: 'patti@contoso.com' },
        ],
        unrecognised: [],
      },
    ],
    ['compromised', [], { kind: 'compromised', targets: [], unrecognised: [] }],
    ['compromised megan', [], { kind: 'compromised', targets: [], unrecognised: ['megan'] }],
    [
      'kompromittert megan@contoso.com',
      [],
      { kind: 'compromised', targets: [{ kind: 'address', value: 'megan@contoso.com' }], unrecognised: [] },
    ],
    ['status', [], { kind: 'status' }],
    [
      'history megan@contoso.com',
      [],
      { kind: 'history', targets: [{ kind: 'address', value: 'megan@contoso.com' }] },
    ],
    ['report abc-123', [], { kind: 'report', incidentId: 'abc-123' }],
    ['report', [], { kind: 'report' }],
    ['cancel', [], { kind: 'cancel' }],
    ['cancel inc-9', [], { kind: 'cancel', incidentId: 'inc-9' }],
    [
      'restore roles <at>Megan Bowen</at>',
      [megan],
      { kind: 'restoreRoles', targets: [{ kind: 'mention', channelId: '29:megan', name: 'Megan Bowen' }] },
    ],
    ['help', [], { kind: 'help' }],
    ['what can you do?', [], { kind: 'help' }],
    ['', [], { kind: 'help' }],
  ])('%s', (text, mentions, expected) => {
    expect(parseCommand(text, mentions)).toEqual(expected);
  });

  it('strips HTML and entities Teams adds to message text', () => {
    expect(plainText('<p>compromised&nbsp;<at>Megan</at> x</p>')).toBe('compromised x');
  });
});
