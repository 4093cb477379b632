/**
 * Secrets known to this process (generated passwords, Temporary Access Passes, configuration
 * secrets), so that any text about to leave the process (a log line) can be scrubbed of them
 * by VALUE, whatever key or message they hide in. Key-based redaction alone misses a password
 * that lands in an error message or a request body logged as a string.
 */

export const REDACTED = '[redacted]';

export interface SecretRegistryOptions {
  /** Values shorter than this are not registered: redacting "a" would shred every line. */
  minLength?: number;
  /** How long a generated secret is remembered. A TAP lives 60 minutes; passwords get a margin. */
  ttlMs?: number;
  /** Upper bound on remembered values, so a long-running process cannot grow without bound. */
  maxEntries?: number;
  clock?: () => number;
}

/**
 * Token shapes that are secrets whoever produced them: bearer tokens in headers, JWTs anywhere,
 * Basic credentials, and storage-connection-string keys. Checked on every line.
 */
const SECRET_PATTERNS: readonly { pattern: RegExp; replacement: string }[] = [
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, replacement: `$1 ${REDACTED}` },
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replacement: REDACTED },
  { pattern: /\b(AccountKey|SharedAccessSignature|sig)=[^;&"\s]+/gi, replacement: `$1=${REDACTED}` },
  {
    pattern: /\b(client_secret|password|refresh_token|access_token)=[^&"\s]+/gi,
    replacement: `$1=${REDACTED}`,
  },
];

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a value takes inside a JSON log line (quotes, backslashes and control characters escaped). */
function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return json === value ? [value] : [value, json];
}

export class SecretRegistry {
  private readonly entries = new Map<string, number>();
  private matcher: RegExp | undefined;
  private readonly minLength: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: SecretRegistryOptions = {}) {
    this.minLength = options.minLength ?? 6;
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Remembers a secret so every later `redact` removes it. Returns the value for chaining. */
  register(value: string | undefined): string | undefined {
    if (typeof value !== 'string' || value.length < this.minLength) return value;
    this.expire();
    for (const form of encodedForms(value)) {
      this.entries.delete(form);
      this.entries.set(form, this.clock() + this.ttlMs);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.matcher = undefined;
    return value;
  }

  /** Whether the text contains a registered secret (used by tests and by guards on outgoing text). */
  contains(text: string): boolean {
    this.expire();
    const matcher = this.compiled();
    if (!matcher) return false;
    matcher.lastIndex = 0;
    return matcher.test(text);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The text with every registered secret and every bearer token / JWT replaced. */
  redact(text: string): string {
    this.expire();
    let result = text;
    const matcher = this.compiled();
    if (matcher) result = result.replace(matcher, REDACTED);
    for (const { pattern, replacement } of SECRET_PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }

  private compiled(): RegExp | undefined {
    if (this.entries.size === 0) return undefined;
    if (!this.matcher) {
      // Longest first, so a secret that contains another is removed whole.
      const alternatives = [...this.entries.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.matcher = new RegExp(alternatives.join('|'), 'g');
    }
    return this.matcher;
  }

  private expire(): void {
    const now = this.clock();
    let changed = false;
    // Insertion order is expiry order (one TTL, re-registering moves a value to the end).
    for (const [value, until] of this.entries) {
      if (until > now) break;
      this.entries.delete(value);
      changed = true;
    }
    if (changed) this.matcher = undefined;
  }
}
