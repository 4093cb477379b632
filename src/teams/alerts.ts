import { randomUUID } from 'node:crypto';
import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../observability/logger';
import { inertData, inertText } from '../remediation/inertText';
import type { Alert, AlertSink } from '../security/alertWebhook';
import type { Json, KeyValueStore } from '../store/types';
import type { AdaptiveCard } from './cards/templates';
import type { ConversationGateway } from './gateway';
import { cardActivity } from './incidentPresenter';

/** Action.Execute verb of the "possible compromise" card: a responder takes the alert on. */
export const INVESTIGATE_ALERT_VERB = 'alert.investigate';

const ROUTE_KEY = 'teams/service-route';
const ALERT_KEY_PREFIX = 'teams/alerts/';

const routeSchema = z.object({
  serviceUrl: z.string(),
  channelId: z.string(),
  bot: z.object({ id: z.string(), name: z.string() }),
  tenantId: z.string().optional(),
});
type ServiceRoute = z.infer<typeof routeSchema>;

/** A Teams channel conversation id without the thread's message suffix (";messageid=..."). */
export function channelOf(conversationId: string | undefined): string {
  return (conversationId ?? '').split(';')[0] ?? '';
}

/**
 * The alert webhook has no conversation to answer into: the security channel is reached
 * proactively, through the Bot Connector service URL Teams last used for this tenant.
 */
export class ServiceRouteMemory {
  private last: string | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly securityChannelId: string | undefined,
  ) {}

  /** Called for every authenticated activity; writes only when the route changed. */
  async remember(activity: Partial<Activity>): Promise<void> {
    if (!activity.serviceUrl || !activity.recipient?.id) return;
    const route: ServiceRoute = {
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId ?? 'msteams',
      bot: { id: activity.recipient.id, name: activity.recipient.name ?? 'Remediator' },
      ...(activity.conversation?.tenantId ? { tenantId: activity.conversation.tenantId } : {}),
    };
    const serialised = JSON.stringify(route);
    if (serialised === this.last) return;
    this.last = serialised;
    await this.store.setItem(ROUTE_KEY, route as unknown as Json);
  }

  /** The security channel as a proactive conversation reference, once Teams has talked to the bot. */
  async securityChannel(): Promise<Partial<ConversationReference> | undefined> {
    if (!this.securityChannelId) return undefined;
    const stored = await this.store.getItem(ROUTE_KEY);
    const route = routeSchema.safeParse(stored?.value);
    if (!route.success) return undefined;
    return {
      serviceUrl: route.data.serviceUrl,
      channelId: route.data.channelId,
      bot: { ...route.data.bot, role: 'bot' } as ConversationReference['bot'],
      conversation: {
        id: this.securityChannelId,
        isGroup: true,
        conversationType: 'channel',
        name: '',
        ...(route.data.tenantId ? { tenantId: route.data.tenantId } : {}),
      },
    };
  }
}

const alertRecordSchema = z.object({
  reference: z.string(),
  alert: z.object({
    users: z.array(z.string()),
    alertId: z.string(),
    source: z.string(),
    severity: z.string(),
    title: z.string(),
    link: z.string().optional(),
  }),
  receivedAt: z.string(),
  status: z.enum(['awaiting-responder', 'opened']),
  openedBy: z.string().optional(),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

/** Alerts waiting for a responder, in the project's key-value store (shared by instances). */
export class AlertInbox {
  constructor(private readonly store: KeyValueStore) {}

  async add(alert: Alert, receivedAt: string): Promise<AlertRecord> {
    const record: AlertRecord = { reference: randomUUID(), alert, receivedAt, status: 'awaiting-responder' };
    await this.store.setItem(ALERT_KEY_PREFIX + record.reference, record as unknown as Json);
    return record;
  }

  async get(reference: string): Promise<AlertRecord | undefined> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Marks the alert taken by one responder. eTag-conditional, so two responders clicking at
   * once open the incidents once: the loser gets undefined.
   */
  async claim(reference: string, openedBy: string): Promise<AlertRecord | undefined> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    if (!entry || !parsed.success || parsed.data.status !== 'awaiting-responder') return undefined;
    const claimed: AlertRecord = { ...parsed.data, status: 'opened', openedBy };
    const written = await this.store.setItem(
      ALERT_KEY_PREFIX + reference,
      claimed as unknown as Json,
      entry.eTag,
    );
    return written ? claimed : undefined;
  }

  /** Gives the alert back when opening failed (a refusal), so another responder can take it. */
  async release(reference: string): Promise<void> {
    const entry = await this.store.getItem(ALERT_KEY_PREFIX + reference);
    const parsed = alertRecordSchema.safeParse(entry?.value);
    if (!entry || !parsed.success) return;
    const { openedBy: _openedBy, ...rest } = parsed.data;
    await this.store.setItem(
      ALERT_KEY_PREFIX + reference,
      { ...rest, status: 'awaiting-responder' } as unknown as Json,
      entry.eTag,
    );
  }
}

/**
 * The "possible compromise" card. Built as a typed object (never by string concatenation);
 * every value from the SIEM is placed in a TextBlock or a fact value, never in markup.
 */
export function buildAlertCard(record: AlertRecord, rawNotice = ''): AdaptiveCard {
  // Title, source, ids and users come from the SIEM: inert before they become card text. The
  // link is a button's URL (https only, checked by the webhook), never text.
  const alert = inertData(record.alert, new Set(['link']));
  const notice = inertText(rawNotice);
  const openedBy = record.openedBy === undefined ? undefined : inertText(record.openedBy);
  const shown = alert.users.slice(0, 20);
  const more = alert.users.length - shown.length;
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: 'Possible compromise', weight: 'Bolder', size: 'Large', wrap: true },
    { type: 'TextBlock', text: alert.title, wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Source', value: alert.source },
        { title: 'Severity', value: alert.severity },
        { title: 'Alert id', value: alert.alertId },
        { title: 'Users', value: shown.join(', ') + (more > 0 ? ` and ${more} more` : '') },
      ],
    },
    {
      type: 'TextBlock',
      wrap: true,
      isSubtle: true,
      text:
        record.status === 'opened'
          ? `Taken on by ${openedBy ?? 'a responder'}: the incidents below await a second responder's approval.`
          : "Nothing has been changed. A responder must investigate; the incidents then need a second responder's approval before any step runs.",
    },
  ];
  if (notice) body.push({ type: 'TextBlock', text: notice, wrap: true, color: 'Attention' });
  const actions: Record<string, unknown>[] = [];
  if (record.status === 'awaiting-responder') {
    actions.push({
      type: 'Action.Execute',
      title: 'Investigate',
      verb: INVESTIGATE_ALERT_VERB,
      data: { i: record.reference },
    });
  }
  if (record.alert.link)
    actions.push({ type: 'Action.OpenUrl', title: 'Open in the SIEM', url: record.alert.link });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
  };
}

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
      logger: Logger;
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
    await this.deps.gateway.send(channel, cardActivity(buildAlertCard(record)));
    this.deps.logger.info(
      { reference: record.reference, alertId: alert.alertId },
      'alert posted to the security channel',
    );
    return { reference: record.reference };
  }
}
