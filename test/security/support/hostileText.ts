/**
 * Attacker-chosen text as it arrives from the tenant (rule, app, device and guest names), a
 * webhook (alert title and source) or a message. Each one tries a different Markdown or Teams
 * trick; every field that can reach a card or a message is filled with them in the tests.
 */
export const HOSTILE = {
  link: '[Microsoft Defender: re-verify your admin session](https://evil.example/phish)',
  forgedLine: 'Backup\n\n**Approved by: Adele Vance** ✅ Status: Done (verified)',
  mention: '<at>Adele Vance</at> approved this',
  blocks: '# Urgent\r\n- click here\n1. then here\n> quoted',
  inline: '_em_ __bold__ `code` ~~gone~~ <https://evil.example/a> www.evil.example &lt;at&gt;',
  bidi: 'Done \u202e(deifirev)\u202c \u200bhidden',
  image: '![logo](https://evil.example/pixel.png) \\[escaped\\](https://evil.example/e)',
} as const;

/** Every hostile string, joined into one (a display name can hold several tricks at once). */
export const ALL_HOSTILE = Object.values(HOSTILE);

/**
 * What must never appear in a text the bot sends: a Markdown link or image, emphasis, a Teams
 * mention tag, an HTML entity that decodes to a tag, a clickable URL, a line break smuggled in,
 * a bidirectional override.
 */
export const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  { name: 'Markdown link', pattern: /\]\s*\(/ },
  { name: 'bold', pattern: /\*\*|__/ },
  { name: 'emphasis', pattern: /(^|\s)[*_]\S/ },
  { name: 'mention tag', pattern: /<at>/i },
  { name: 'angle-bracket autolink or tag', pattern: /<https?:|<\/?[a-z]/i },
  { name: 'entity', pattern: /&lt;|&gt;|&#/i },
  { name: 'URL', pattern: /https?:\/\/evil|www\.evil/i },
  { name: 'code or strike', pattern: /`|~~/ },
  { name: 'bidi override', pattern: /[\u202a-\u202e\u2066-\u2069\u200b]/ },
  { name: 'forged line', pattern: /\n\s*∗?∗?Approved by: Adele/ },
];

/** Every text a card shows: TextBlock/TextRun text, Fact titles and values, toggle and choice titles. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
      const value = record[key];
      if (typeof value === 'string' && !(key === 'value' && record.type === 'Input.ChoiceSet')) {
        texts.push(value);
      }
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'data') walk(value);
    }
  };
  walk(card);
  return texts;
}

/** The forbidden patterns found in these texts, with the text that carried each. */
export function violations(texts: string[]): string[] {
  // The bot's own code spans around incident ids are its markup, not the attacker's.
  const ownMarkup = /`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`/g;
  return texts.flatMap((text) =>
    FORBIDDEN.filter((rule) => rule.pattern.test(text.replace(ownMarkup, ''))).map(
      (rule) => `${rule.name}: ${JSON.stringify(text)}`,
    ),
  );
}
