import { english } from '../../i18n/findings';
import { message } from '../../i18n/message';
import type { Message } from '../../i18n/message';
import type { Finding, StepId } from '../contract';

/**
 * Steps speak in messages (a code and its parameters, rendered in the reader's language at the
 * edge); the English rendering is kept beside them for logs, audit and stored records.
 */

type FindingFacts = Omit<Finding, 'title' | 'reasons' | 'titleMessage' | 'reasonMessages'>;

export function finding(facts: FindingFacts, title: Message, reasons: Message[]): Finding {
  return {
    ...facts,
    title: english(title),
    titleMessage: title,
    reasons: reasons.map(english),
    reasonMessages: reasons,
  };
}

/** A planned change's description, in English and as data. */
export function described(change: Message): { description: string; descriptionMessage: Message } {
  return { description: english(change), descriptionMessage: change };
}

/** A step's title, summary and manual steps (src/i18n/catalogue/steps.ts), in English and as data. */
export function stepTexts(id: StepId): {
  title: string;
  summary: string;
  summaryMessage: Message;
  manualSteps: string;
  manualStepsMessage: Message;
} {
  const summary = message(`steps.${id}.summary`);
  const manual = message(`steps.${id}.manual`);
  return {
    title: english(message(`steps.${id}.title`)),
    summary: english(summary),
    summaryMessage: summary,
    manualSteps: english(manual),
    manualStepsMessage: manual,
  };
}
