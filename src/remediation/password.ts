import { randomInt } from 'node:crypto';

// Characters people confuse when reading a password aloud or copying it by hand are left out
// (0/O/o, 1/l/I, 5/S, 2/Z, quotes, backslash, backtick, |). Symbols that open Markdown (* _ ~ # -)
// are left out too: a password pasted into a Teams message or shown in a Markdown text block would
// otherwise turn into emphasis or strikethrough and be read wrong.
const UPPER = 'ABCDEFGHJKLMNPQRTUVWXY';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '346789';
const SYMBOLS = '!$%&+=?@^';
export const PASSWORD_CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS] as const;

export const MIN_PASSWORD_LENGTH = 16;

function pick(alphabet: string): string {
  return alphabet.charAt(randomInt(alphabet.length));
}

/**
 * A random password from the CSPRNG (node:crypto randomInt) that meets Entra's complexity
 * rules with margin: at least 16 characters, all four character classes.
 */
export function generatePassword(length = 20): string {
  if (length < MIN_PASSWORD_LENGTH)
    throw new RangeError(`passwords must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const all = PASSWORD_CLASSES.join('');
  const chars = PASSWORD_CLASSES.map(pick);
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates with the CSPRNG, so the guaranteed class characters are not at fixed positions.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    const a = chars[i] as string;
    chars[i] = chars[j] as string;
    chars[j] = a;
  }
  return chars.join('');
}
