import type { Logger } from '../../observability/logger';
import type { ConversationGateway } from '../gateway';
import { cardActivity } from '../incidentPresenter';
import type { Alert, AlertSink } from './alert';
import type { AlertCards } from './card';
import type { AlertInbox } from './inbox';
import type { ServiceRouteMemory } from './serviceRoute';

export class AlertNotDeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertNotDeliverableError';
  }
}

/** Posts accepted alerts to the security channel; opens nothing and changes nothing. */
export class TeamsAlertSink implements AlertSink {
  constructor(
    private readonly deps: {
      inbox: AlertInbox;
      routes: ServiceRouteMemory;
      gateway: ConversationGateway;
      cards: AlertCards;
      logger: Logger;
      /** Language of the card in the security channel (a webhook has no locale); English by default. */
      locale?: string;
      clock?: () => Date;
    },
  ) {}

  async raise(alert: Alert): Promise<{ reference: string }> {
    const channel = await this.deps.routes.securityChannel();
    if (!channel) {
      throw new AlertNotDeliverableError(
        'The security channel is not known yet: set SECURITY_CHANNEL_ID and mention Remediator once in Teams.',
      );
    }
    const record = await this.deps.inbox.add(alert, (this.deps.clock?.() ?? new Date()).toISOString());
    await this.deps.gateway.send(channel, cardActivity(this.deps.cards.render(record, this.deps.locale)));
    this.deps.logger.info(
      { reference: record.reference, alertId: alert.alertId },
      'alert posted to the security channel',
    );
    return { reference: record.reference };
  }
}
