/**
 * The SIEM alert feature: the signed webhook (transport-free; src/server routes POST /api/alerts
 * to it), the alert model, the inbox of alerts awaiting a responder, the "possible compromise"
 * card (cards/alert.json, en and nb-NO) and its proactive post into the security channel.
 */
export { alertSchema, MAX_ALERT_USERS } from './alert';
export type { Alert, AlertSink } from './alert';
export { AlertCards, buildAlertCard, INVESTIGATE_ALERT_VERB } from './card';
export { AlertInbox } from './inbox';
export type { AlertRecord } from './inbox';
export { channelOf, ServiceRouteMemory } from './serviceRoute';
export { AlertNotDeliverableError, TeamsAlertSink } from './sink';
export {
  ALERT_SIGNATURE_HEADER,
  ALERT_TIMESTAMP_HEADER,
  AlertWebhook,
  InMemoryReplayMemory,
  REPLAY_WINDOW_MS,
  SIGNATURE_PREFIX,
  signAlert,
  StoreReplayMemory,
} from './webhook';
export type { AlertRefusal, AlertRequest, AlertResponse, AlertWebhookOptions, ReplayMemory } from './webhook';
