import type { CardContext } from '../cards/builders';
import type { AdaptiveCard, AlertCardData, CardTemplates } from '../cards/templates';
import type { AlertRecord } from './inbox';

/** Action.Execute verb of the "possible compromise" card: a responder takes the alert on. */
export const INVESTIGATE_ALERT_VERB = 'alert.investigate';

/** Users named on the card; the rest are counted (a card has a size limit). */
const USERS_SHOWN = 20;

/**
 * The data of the "possible compromise" card (cards/alert.json). Title, source, ids and users
 * come from the SIEM: the template binding makes every one of them inert; the link is only ever
 * a button's URL (https only, checked by the webhook).
 */
export function buildAlertCard(record: AlertRecord, context: CardContext, notice = ''): AlertCardData {
  const strings = context.strings.alertCard;
  const { alert } = record;
  const shown = alert.users.slice(0, USERS_SHOWN);
  const more = alert.users.length - shown.length;
  return {
    banner: context.simulated ? context.strings.simulatedBanner : '',
    labels: context.strings.cardLabels,
    title: strings.title,
    alertTitle: alert.title,
    facts: [
      { title: strings.source, value: alert.source },
      { title: strings.severity, value: alert.severity },
      { title: strings.alertId, value: alert.alertId },
      { title: strings.users, value: shown.join(', ') + (more > 0 ? strings.andMore(more) : '') },
    ],
    statusLine:
      record.status === 'opened' ? strings.takenOn(record.openedBy ?? strings.aResponder) : strings.awaiting,
    notice,
    canInvestigate: record.status === 'awaiting-responder',
    investigate: strings.investigate,
    openInSiem: strings.openInSiem,
    link: alert.link ?? '',
    ref: { i: record.reference },
  };
}

/** Renders the alert card in a conversation's language. */
export class AlertCards {
  constructor(
    private readonly templates: CardTemplates,
    private readonly cardContext: (locale: string | undefined) => CardContext,
  ) {}

  render(record: AlertRecord, locale: string | undefined, notice = ''): AdaptiveCard {
    return this.templates.render('alert', buildAlertCard(record, this.cardContext(locale), notice));
  }
}
