import type { MessageParam } from './message';

/** The languages Remediator speaks: English and Norwegian Bokmål. */
export type Locale = 'en' | 'nb-NO';

export const LOCALES: readonly Locale[] = ['en', 'nb-NO'];

export type Params = Record<string, MessageParam>;

/** Renders one message; `r` renders a nested parameter (a Message inside a Message) in the same locale. */
export type Render = (p: Params, r: (value: MessageParam | undefined) => string, locale: Locale) => string;

/** One area's texts: the same codes in every locale (a test keeps them in step). */
export type Catalogue = Record<Locale, Record<string, Render>>;

/** Norwegian for nb, nn and no locales (Teams sends e.g. "nb-NO"); English otherwise. */
export function localeOf(tag: string | undefined): Locale {
  const language = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return language === 'nb' || language === 'no' || language === 'nn' ? 'nb-NO' : 'en';
}

/** A parameter as text; a list becomes quoted items ('a', 'b'). Nested messages go through `r`. */
export function text(value: MessageParam | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((item) => `'${item}'`).join(', ');
  return '';
}

/** A parameter as text; a list becomes a plain comma-separated list. */
export function plain(value: MessageParam | undefined): string {
  return Array.isArray(value) ? value.join(', ') : text(value);
}

/** "2 hours ago" / "for 2 timer siden", from two ISO times (the event and "now"). */
export function ago(then: MessageParam | undefined, now: MessageParam | undefined, locale: Locale): string {
  const thenMs = Date.parse(plain(then));
  const nowMs = Date.parse(plain(now));
  if (!Number.isFinite(thenMs) || !Number.isFinite(nowMs)) {
    return locale === 'nb-NO' ? 'på et ukjent tidspunkt' : 'at an unknown time';
  }
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  // Written out rather than Intl.RelativeTimeFormat, whose Bokmål says "døgn" where responders say "dager".
  const units: [number, [string, string], [string, string]][] = [
    [86_400, ['day', 'days'], ['dag', 'dager']],
    [3_600, ['hour', 'hours'], ['time', 'timer']],
    [60, ['minute', 'minutes'], ['minutt', 'minutter']],
  ];
  for (const [size, english, norwegian] of units) {
    if (seconds < size) continue;
    const count = Math.floor(seconds / size);
    const [one, many] = locale === 'nb-NO' ? norwegian : english;
    const unit = count === 1 ? one : many;
    return locale === 'nb-NO' ? `for ${count} ${unit} siden` : `${count} ${unit} ago`;
  }
  return locale === 'nb-NO' ? 'akkurat nå' : 'just now';
}

/** An ISO 3166 code ("NO") as the region's name in the locale; anything else as given. */
export function regionName(code: MessageParam | undefined, locale: Locale): string {
  const value = plain(code);
  if (value === '') return locale === 'nb-NO' ? 'et ukjent sted' : 'an unknown location';
  if (!/^[A-Za-z]{2}$/.test(value)) return value;
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(value.toUpperCase()) ?? value;
  } catch {
    return value;
  }
}

/** A time as the reader writes it (UTC, so every reader sees the same instant). */
export function dateTime(value: MessageParam | undefined, locale: Locale): string {
  const ms = Date.parse(plain(value));
  if (!Number.isFinite(ms)) return plain(value);
  return (
    new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(ms)) + ' UTC'
  );
}
