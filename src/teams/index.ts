import { ConversationState } from 'botbuilder';
import type { Storage } from 'botbuilder';
import type { Logger } from '../observability/logger';
import type { AuditSink } from '../security/refusalAudit';
import type { KeyValueStore } from '../store/types';
import { AlertCards } from './alerts';
import type { AlertInbox } from './alerts';
import { BackgroundTasks } from './background';
import { RemediatorBot } from './bot';
import { CardActionRouter } from './cardActions';
import { groupCardRegistry, incidentCardRegistry } from './cardRegistry';
import { CardTemplates } from './cards/templates';
import { ApproverRoutes } from './delivery/approverRoutes';
import { CredentialReach } from './delivery/credentialReach';
import { DeliveryLedger } from './delivery/ledger';
import { OwedCredentials } from './delivery/owedCredentials';
import { RECHECK_MS, ResumeDelivery } from './delivery/resume';
import type { ResumableEngine } from './delivery/resume';
import { Commands } from './commands';
import type { RemediationEngine } from './engine';
import type { ConversationGateway } from './gateway';
import { GroupActions } from './groupActions';
import { IncidentOpening } from './openedIncidents';
import { GroupPresenter } from './groupPresenter';
import { IncidentPresenter, SUMMARY_LEASE_MS } from './incidentPresenter';
import { KeyValueStorage } from './keyValueStorage';
import type { MemberResolver } from './members';
import { TeamsMemberResolver } from './members';
import { SecretCards } from './secretCards';
import { UndoNotices } from './undoNotices';

export { RemediatorBot } from './bot';
export { CloudAdapterGateway } from './gateway';
export type { ConversationGateway, PrivateDelivery } from './gateway';
export { KeyValueStorage } from './keyValueStorage';
export { createTurnErrorHandler } from './turnErrors';
export { VERBS } from './cardActions';
export type { RemediationEngine } from './engine';
export type { MemberResolver, ResolvedMember } from './members';
export { AlertCards, AlertInbox, ServiceRouteMemory, TeamsAlertSink } from './alerts';

export interface TeamsBotOptions {
  engine: RemediationEngine;
  /** The engine's restart path (finishing interrupted steps); without it nothing is resumed. */
  resumable?: ResumableEngine;
  /** The project's key-value store: bot state and where cards were posted. */
  store: KeyValueStore;
  gateway: ConversationGateway;
  logger: Logger;
  simulated: boolean;
  fourEyes: boolean;
  allowedTenantId?: string;
  securityChannelId?: string;
  members?: MemberResolver;
  /** Bot state storage; defaults to the key-value store. */
  storage?: Storage;
  cardsDir?: string;
  fastAnswerMs?: number;
  /** Refused card actions (another conversation or tenant) are audited here. */
  audit?: AuditSink;
  /** Treat a card action without a card version as stale (forged or replayed payloads). */
  requireCardVersion?: boolean;
  /** SIEM alerts (signed webhook) taken on from the security channel. */
  alerts?: { inbox: AlertInbox; securityChannelId: string };
  /** Test seam: Teams' windows and the delivery leases shortened by this factor. */
  deliveryTimeScale?: number;
  /**
   * While an approval runs, cards follow the engine's change events (no polling); a group card is
   * replaced at most once per `groupGapMs` (default 1 s).
   */
  progress?: { groupGapMs?: number };
}

export interface TeamsBot {
  bot: RemediatorBot;
  presenter: IncidentPresenter;
  groups: GroupPresenter;
  background: BackgroundTasks;
  /** After a restart: interrupted steps, their credentials, cards and summaries. */
  resume: { resumeInterrupted(): Promise<void>; stop(): void };
  /** Learns each responder's Teams id from their activities (for 1:1 delivery after a restart). */
  approverRoutes: ApproverRoutes;
  /** The "possible compromise" card, in the templates' languages. */
  alertCards: AlertCards;
}

/** Wires the Teams side: presenter, verb router, commands and the activity handler. */
export function createTeamsBot(options: TeamsBotOptions): TeamsBot {
  const { logger } = options;
  const background = new BackgroundTasks((error) => logger.error({ err: error }, 'background work failed'));
  const templates = new CardTemplates(options.cardsDir);
  const secretCards = new SecretCards(options.store);
  const registry = incidentCardRegistry(options.store);
  const groupRegistry = groupCardRegistry(options.store);
  const ledger = new DeliveryLedger(options.store);
  const approverRoutes = new ApproverRoutes(options.store);
  const owedCredentials = new OwedCredentials(options.store);
  const presenter = new IncidentPresenter({
    engine: options.engine,
    gateway: options.gateway,
    registry,
    ledger,
    owedCredentials,
    templates,
    logger,
    simulated: options.simulated,
    fourEyes: options.fourEyes,
    ...(options.securityChannelId ? { securityChannelId: options.securityChannelId } : {}),
    secretCards,
    ...(options.deliveryTimeScale !== undefined
      ? { summaryLeaseMs: SUMMARY_LEASE_MS * options.deliveryTimeScale }
      : {}),
  });
  const groups = new GroupPresenter({
    engine: options.engine,
    gateway: options.gateway,
    registry: groupRegistry,
    templates,
    logger,
    cardContext: (locale) => presenter.cardContext(locale),
    ...(options.securityChannelId ? { securityChannelId: options.securityChannelId } : {}),
  });
  const undoNotices = new UndoNotices({
    gateway: options.gateway,
    registry,
    logger,
    ...(options.securityChannelId ? { securityChannelId: options.securityChannelId } : {}),
  });
  const opening = new IncidentOpening({ engine: options.engine, incidents: presenter, groups });
  const alertCards = new AlertCards(templates, (locale) => presenter.cardContext(locale));
  const groupActions = new GroupActions({
    groups,
    registry: groupRegistry,
    ...(options.progress?.groupGapMs !== undefined ? { progressGapMs: options.progress.groupGapMs } : {}),
  });
  const router = new CardActionRouter({
    engine: options.engine,
    presenter,
    background,
    logger,
    fastAnswerMs: options.fastAnswerMs ?? 5_000,
    opening,
    groups: groupActions,
    groupCards: groups,
    undoNotices,
    secretCards,
    credentialReach: new CredentialReach(options.gateway, logger, {
      install: (approver, on) => options.engine.installAppForApprover(approver, on),
      owed: owedCredentials,
    }),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.requireCardVersion !== undefined ? { requireCardVersion: options.requireCardVersion } : {}),
    ...(options.alerts ? { alerts: { ...options.alerts, cards: alertCards } } : {}),
  });
  const commands = new Commands({
    engine: options.engine,
    presenter,
    opening,
    members: options.members ?? new TeamsMemberResolver(),
    background,
    logger,
    undoNotices,
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const bot = new RemediatorBot({
    commands,
    router,
    conversationState: new ConversationState(options.storage ?? new KeyValueStorage(options.store)),
    logger,
    ...(options.allowedTenantId ? { allowedTenantId: options.allowedTenantId } : {}),
  });
  const resumable = options.resumable;
  const resume = resumable
    ? new ResumeDelivery({
        engine: resumable,
        presenter,
        registry,
        ledger,
        owedCredentials,
        routes: approverRoutes,
        logger,
        ...(options.deliveryTimeScale !== undefined
          ? { recheckMs: RECHECK_MS * options.deliveryTimeScale }
          : {}),
      })
    : { resumeInterrupted: async () => undefined, stop: () => undefined };
  return { bot, presenter, groups, background, resume, approverRoutes, alertCards };
}
