import { describe, expect, it } from 'vitest';
import { hasInvisibleCharacters, hasLookalikeLetters, matchKey } from '../../src/remediation/rules/normalise';
import { containsTerm } from '../../src/remediation/rules/vocabulary';

describe('text normalisation before matching', () => {
  it.each([
    ['Іnvоісе', 'invoice'],
    ['ＩＮＶＯＩＣＥ', 'INVOICE'],
    ['in\u200bvoice', 'invoice'],
    ['fak\u00adtura', 'faktura'],
    ['Überweisung', 'uberweisung'],
    ['Straße', 'strasse'],
    ['Éléments supprimés', 'elements supprimes'],
    ['pay\u0000ment', 'payment'],
  ])('%s reads as %s', (raw, plain) => {
    expect(matchKey(raw)).toBe(matchKey(plain));
  });

  it('flags invisible characters but not ordinary whitespace', () => {
    expect(hasInvisibleCharacters('in\u200bvoice')).toBe(true);
    expect(hasInvisibleCharacters('\u202eevil')).toBe(true);
    expect(hasInvisibleCharacters('a\u0000')).toBe(true);
    expect(hasInvisibleCharacters('invoice\n')).toBe(false);
    expect(hasInvisibleCharacters('Slettede elementer')).toBe(false);
  });

  it('flags look-alike letters from other alphabets, not real words in them', () => {
    expect(hasLookalikeLetters('Іnvoice')).toBe(true);
    expect(hasLookalikeLetters('раураl')).toBe(true);
    expect(hasLookalikeLetters('счет')).toBe(false);
    expect(hasLookalikeLetters('Gelöschte Elemente')).toBe(false);
  });

  it('matches long terms inside compounds, short ones only as words', () => {
    expect(containsTerm(matchKey('Lieferantenrechnung 2024'), matchKey('rechnung'))).toBe(true);
    expect(containsTerm(matchKey('Fakturaen fra oss'), matchKey('faktura'))).toBe(true);
    expect(containsTerm(matchKey('wireless headset'), matchKey('wire'))).toBe(false);
    expect(containsTerm(matchKey('bankrupt'), matchKey('bank'))).toBe(false);
    expect(containsTerm(matchKey('Your bank details'), matchKey('bank'))).toBe(true);
  });
});
