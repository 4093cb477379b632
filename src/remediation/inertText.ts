/**
 * Text from the tenant, a webhook or a user's message, made inert before it becomes card or
 * message text. Teams renders Adaptive Card TextBlocks and Fact values, and bot messages, as
 * (a subset of) Markdown, so a rule named "[re-verify your session](https://evil.example)"
 * would otherwise become a link in the responders' card, and a name with line breaks could
 * forge whole lines ("**Approved by: Adele**").
 *
 * Backslash escapes are not part of the Markdown subset Microsoft documents for Teams cards, and
 * a renderer that ignores them would still see `](` in `\[a\](b)`. So the characters that open
 * Markdown syntax are replaced by look-alikes that no renderer treats as syntax (`[` → `［`,
 * `*` → `∗`, ...), line breaks become spaces, bidirectional and invisible controls are
 * removed, and URLs are defanged (`https://` → `https：//`) so no client auto-links them. What a
 * responder reads stays recognisable; what they see can never be formatting or a link.
 */

/** One replacement per character that can open Markdown or HTML-like syntax. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\\': '＼',
  '*': '∗',
  '`': 'ˋ',
  '~': '∼',
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '#': '＃',
  '|': '｜',
};

// Every line and paragraph separator, and the C0/C1 controls (tab included): all become one space.
// eslint-disable-next-line no-control-regex
const BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// Zero-width characters and bidirectional overrides: invisible, and able to reorder what a responder reads.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const SYNTAX = /[\\*`~[\]<>#|]/g;
// `_` opens emphasis only at a word's edge; inside a word (first_last@contoso.com) it is kept.
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// An HTML entity (&lt;at&gt;) could otherwise come back as markup in an HTML-capable client.
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
const SCHEME = /\b([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g;
const WWW = /\bwww\./gi;
const MAILTO = /\bmailto:/gi;
// A list item or block quote can only start the text once line breaks are gone.
const LEADING_BLOCK = /^([-+])(?=\s)|^(\d{1,9})([.)])(?=\s)/;

/** The text, safe to place anywhere in a card or a Markdown message. Idempotent. */
export function inertText(value: string): string {
  const flat = value.replace(BREAKS_AND_CONTROLS, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  return flat
    .replace(SYNTAX, (char) => LOOKALIKES[char] ?? char)
    .replace(EDGE_UNDERSCORE, '＿')
    .replace(ENTITY, '＆')
    .replace(SCHEME, '$1：')
    .replace(WWW, (www) => `${www.slice(0, 3)}．`)
    .replace(MAILTO, 'mailto：')
    .replace(LEADING_BLOCK, (_match, bullet: string | undefined, digits: string, closer: string) =>
      bullet !== undefined ? (bullet === '-' ? '‐' : '＋') : `${digits}${closer === '.' ? '．' : '）'}`,
    );
}

/**
 * Every string in card data made inert, except under the keys the card itself owns (labels,
 * ids carried back on a click, the credential shown verbatim). Arrays and objects are walked.
 */
export function inertData<T>(data: T, trustedKeys: ReadonlySet<string>): T {
  return walk(data, trustedKeys) as T;
}

function walk(value: unknown, trustedKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return inertText(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, trustedKeys));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        trustedKeys.has(key) ? item : walk(item, trustedKeys),
      ]),
    );
  }
  return value;
}
