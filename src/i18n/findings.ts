import type { Message, MessageParam } from './message';
import { message } from './message';
import { localeOf, text } from './locale';
import type { Catalogue, Locale, Render } from './locale';
import { ERRORS } from './catalogue/errors';
import { INBOX_RULES } from './catalogue/inboxRules';
import { REPORT } from './catalogue/report';
import { STEP_FINDINGS } from './catalogue/stepFindings';
import { STEPS } from './catalogue/steps';

/**
 * Renders engine messages (findings, reasons, planned changes, step texts, refusals, errors and
 * remedies) in the reader's language at the edge: cards, CLI, report. English and Norwegian
 * Bokmål; every code has both (a test keeps them in step). Parameters are inserted as given,
 * never read as templates; escaping for a card or Markdown is the caller's job.
 */
export type { Locale } from './locale';
export { localeOf } from './locale';

const AREAS: Catalogue[] = [INBOX_RULES, STEPS, STEP_FINDINGS, ERRORS, REPORT];

function merged(locale: Locale): Record<string, Render> {
  const all: Record<string, Render> = {};
  for (const area of AREAS) {
    for (const [code, render] of Object.entries(area[locale])) {
      if (all[code] !== undefined) throw new Error(`message code ${code} is defined twice`);
      all[code] = render;
    }
  }
  return all;
}

const CATALOGUES: Record<Locale, Record<string, Render>> = { en: merged('en'), 'nb-NO': merged('nb-NO') };

/** The codes each locale renders (for the completeness test). */
export function messageCodes(locale: Locale): string[] {
  return Object.keys(CATALOGUES[locale]);
}

/** The message in the locale; an unknown code falls back to English, then to the code itself. */
export function renderMessage(value: Message, locale: Locale): string {
  const render = CATALOGUES[locale][value.code] ?? CATALOGUES.en[value.code];
  if (render === undefined) return value.code;
  const nested = (param: MessageParam | undefined): string =>
    param !== undefined && typeof param === 'object' && !Array.isArray(param)
      ? renderMessage(param, locale)
      : text(param);
  return render(value.params ?? {}, nested, locale);
}

/** The English rendering the engine keeps beside the data (logs, audit, stored records). */
export function english(value: Message): string {
  return renderMessage(value, 'en');
}

/** A finding's title in the locale (its message when the engine gave one). */
export function findingTitle(finding: { title: string; titleMessage?: Message }, locale: Locale): string {
  return finding.titleMessage ? renderMessage(finding.titleMessage, locale) : finding.title;
}

/** A finding's reasons in the locale (its messages when the engine gave them). */
export function findingReasons(
  finding: { reasons: string[]; reasonMessages?: Message[] },
  locale: Locale,
): string[] {
  return finding.reasonMessages
    ? finding.reasonMessages.map((reason) => renderMessage(reason, locale))
    : finding.reasons;
}

/** A planned change in the locale. */
export function actionText(
  action: { description: string; descriptionMessage?: Message },
  locale: Locale,
): string {
  return action.descriptionMessage ? renderMessage(action.descriptionMessage, locale) : action.description;
}

/** A step's title in the locale. */
export function stepTitleText(step: { id: string; title: string }, locale: Locale): string {
  const code = `steps.${step.id}.title`;
  return CATALOGUES[locale][code] ? renderMessage(message(code), locale) : step.title;
}

/** Why a step matters, in the locale. */
export function stepSummaryText(
  step: { id: string; summary: string; summaryMessage?: Message },
  locale: Locale,
): string {
  if (step.summaryMessage) return renderMessage(step.summaryMessage, locale);
  const code = `steps.${step.id}.summary`;
  return CATALOGUES[locale][code] ? renderMessage(message(code), locale) : step.summary;
}

/** What to do by hand, in the locale (its message when the engine gave one). */
export function manualGuidanceText(
  step: { manualGuidance?: string; manualGuidanceMessage?: Message },
  locale: Locale,
): string {
  if (step.manualGuidanceMessage) return renderMessage(step.manualGuidanceMessage, locale);
  return step.manualGuidance ?? '';
}

/** A failure or refusal in the locale: what happened, and what the responder can do. */
export function errorText(
  error: { code: string; message: string; detail?: Message },
  locale: Locale,
): string {
  if (error.detail) return renderMessage(error.detail, locale);
  // A refusal stored without its words (an older record): said by its kind.
  const byKind = `refusal.${error.code}`;
  if (locale !== 'en' && CATALOGUES[locale][byKind]) return renderMessage(message(byKind), locale);
  return error.message;
}

export function remedyText(error: { remedy: string; remedyDetail?: Message }, locale: Locale): string {
  return error.remedyDetail ? renderMessage(error.remedyDetail, locale) : error.remedy;
}

/**
 * A refusal (PolicyError) in the reader's language. The engine's refusals carry their message as
 * data; one without (the Teams layer's own, already in the reader's language) is shown as given.
 */
export function refusalText(
  refusal: { code: string; message: string; detail?: Message },
  localeTag: string | undefined,
): string {
  return refusal.detail ? renderMessage(refusal.detail, localeOf(localeTag)) : refusal.message;
}
