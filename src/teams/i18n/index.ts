import { en } from './en';
import type { Strings } from './en';
import { nbNO } from './nbNO';

export type { Strings } from './en';

/** Norwegian for nb, nn and no locales (Teams sends e.g. "nb-NO"); English otherwise. */
export function stringsFor(locale: string | undefined): Strings {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  if (language === 'nb' || language === 'no' || language === 'nn') return nbNO;
  return en;
}

/** The locale tag the strings are in, for dates and durations. */
export function localeTagFor(locale: string | undefined): 'en' | 'nb-NO' {
  return stringsFor(locale) === nbNO ? 'nb-NO' : 'en';
}
