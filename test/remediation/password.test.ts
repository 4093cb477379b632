import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, PASSWORD_CLASSES, generatePassword } from '../../src/remediation/password';

const AMBIGUOUS = /[0Oo1lI|5S2Z'"`\\]/;

describe('generatePassword', () => {
  it('meets Entra complexity with margin in every one of many draws', () => {
    for (let i = 0; i < 500; i += 1) {
      const password = generatePassword();
      expect(password.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      for (const alphabet of PASSWORD_CLASSES) {
        expect(
          [...password].some((char) => alphabet.includes(char)),
          `${password} lacks a class`,
        ).toBe(true);
      }
      expect(password).not.toMatch(AMBIGUOUS);
    }
  });

  it('never holds a character that opens Markdown, so a pasted or displayed password reads as set', () => {
    for (let i = 0; i < 500; i += 1) expect(generatePassword()).not.toMatch(/[*_~#`[\]<>|-]/);
  });

  it('does not repeat itself', () => {
    const draws = new Set(Array.from({ length: 200 }, () => generatePassword()));
    expect(draws.size).toBe(200);
  });

  it('does not put the guaranteed characters at fixed positions', () => {
    const firstIsUpper = Array.from({ length: 300 }, () => generatePassword()).filter((p) =>
      PASSWORD_CLASSES[0].includes(p.charAt(0)),
    ).length;
    expect(firstIsUpper).toBeLessThan(300);
    expect(firstIsUpper).toBeGreaterThan(0);
  });

  it('refuses lengths below 16', () => {
    expect(() => generatePassword(12)).toThrow(RangeError);
  });
});
