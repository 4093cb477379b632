import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { createLogger, createSilentLogger } from '../../src/observability/logger';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import type { ConversationGateway } from '../../src/teams/gateway';
import { incidentCardVersion, stepCardVersion } from '../../src/teams/cards/cardVersion';
import {
  GROUP_CHAT,
  PEOPLE,
  cardAction,
  mentionMessage,
  postActivity,
} from '../security/support/teamsActivities';
import type { Conversation, Person } from '../security/support/teamsActivities';
import { startTeamsConnectorEmulator } from './teamsConnectorEmulator';
import type { EmulatorOptions, TeamsConnectorEmulator } from './teamsConnectorEmulator';

export const SECURITY_CHANNEL = '19:security-alerts@thread.tacv2';
/** Teams' windows, ten times shorter, on both sides: the same limits, faster tests. */
export const TIME_SCALE = 0.1;

export interface DeliveryHarness {
  app: RunningRemediator;
  tenant: SimulatedTenant;
  teams: TeamsConnectorEmulator;
  store: Store;
  say(from: Person, text: string, mentions?: Person[], conversation?: Conversation): Promise<number>;
  click(
    from: Person,
    verb: string,
    data: Record<string, unknown>,
    conversation?: Conversation,
  ): Promise<number>;
  /** Every background task and every queued write finished. */
  settle(): Promise<void>;
  incidentOf(person: Person): Promise<IncidentView>;
  /** Adele approves, approves all remaining, then skips whatever only a human can finish. */
  remediate(incident: IncidentView, approver?: Person): Promise<IncidentView>;
  /** Stale or missing cards of an incident: what Teams shows versus what the engine says. */
  staleCards(incidentId: string): Promise<string[]>;
  close(): Promise<void>;
}

interface StoredCards {
  reference: { conversation?: { id?: string } };
  locale: string;
  incidentActivityId?: string;
  stepActivityIds: Record<string, string>;
  stepNotices?: Record<string, string>;
}

const attachmentOf = (activity: Record<string, unknown>): unknown =>
  (activity.attachments as { content?: unknown }[] | undefined)?.[0]?.content;

export async function startDeliveryHarness(
  options: {
    emulator?: Partial<EmulatorOptions>;
    env?: Record<string, string>;
    store?: Store;
    tenant?: SimulatedTenant;
    /** A Teams that outlives this bot (a restart). */
    teams?: TeamsConnectorEmulator;
    /** Wraps the bot's writes to Teams (a kill switch). */
    wrapGateway?: (gateway: ConversationGateway) => ConversationGateway;
    /** Window scale for both sides (default TIME_SCALE; the benchmark uses Teams' real 1). */
    timeScale?: number;
  } = {},
): Promise<DeliveryHarness> {
  const tenant = options.tenant ?? (await startSimulatedTenant({ port: 0 }));
  const teams =
    options.teams ??
    (await startTeamsConnectorEmulator({
      members: Object.fromEntries(Object.values(PEOPLE).map((person) => [person.id, person])),
      timeScale: options.timeScale ?? TIME_SCALE,
      // Teams learns of installs made through Graph from the tenant, not from the bot.
      installedInTenant: (aadObjectId) =>
        tenant.state().teamsAppInstallations.some((installation) => installation.userId === aadObjectId),
      ...options.emulator,
    }));
  const store = options.store ?? createSqliteStore({ inMemory: true });
  const app = await startRemediator({
    config: loadConfig({
      LOCAL_DEMO: 'true',
      PORT: '0',
      LOG_LEVEL: 'silent',
      BREAK_GLASS_ACCOUNTS: 'breakglass01@contoso.com',
      SECURITY_CHANNEL_ID: SECURITY_CHANNEL,
      ...options.env,
    }),
    // DELIVERY_LOG=warn shows what the bot logs while a test runs.
    logger: process.env.DELIVERY_LOG
      ? createLogger({ level: process.env.DELIVERY_LOG as 'warn' })
      : createSilentLogger(),
    tenant,
    store,
    fastAnswerMs: 20_000,
    ...(options.wrapGateway ? { wrapGateway: options.wrapGateway } : {}),
    deliveryTimeScale: options.timeScale ?? TIME_SCALE,
  });

  const settle = async () => {
    for (let round = 0; round < 5; round++) {
      await app.teams.background.idle();
      await app.delivery.idle();
    }
  };

  const harness: DeliveryHarness = {
    app,
    tenant,
    teams,
    store,
    say: async (from, text, mentions = [], conversation = GROUP_CHAT) => {
      const activity = mentionMessage(teams.url, from, text, mentions, conversation);
      teams.noteIncoming(conversation.id, activity.id);
      return (await postActivity(app.url, activity)).status;
    },
    click: async (from, verb, data, conversation = GROUP_CHAT) =>
      (await postActivity(app.url, cardAction(teams.url, from, verb, data, conversation))).status,
    settle,
    incidentOf: async (person) => {
      const incident = (await app.engine.listOpenIncidents()).find(
        (candidate) => candidate.target.id === person.aadObjectId,
      );
      if (!incident) throw new Error(`no open incident for ${person.name}`);
      return incident;
    },
    remediate: async (incident, approver = PEOPLE.adele) => {
      await settle();
      let current = (await app.engine.getIncident(incident.id)) ?? incident;
      await harness.click(approver, 'incident.approve', { i: current.id, v: incidentCardVersion(current) });
      current = (await app.engine.getIncident(incident.id)) ?? current;
      await harness.click(approver, 'incident.approveAll', {
        i: current.id,
        v: incidentCardVersion(current),
      });
      await settle();
      current = (await app.engine.getIncident(incident.id)) ?? current;
      const leftOver = current.steps.filter((step) => step.status === 'pending' || step.status === 'failed');
      for (const step of leftOver) {
        await harness.click(approver, 'step.skip', { i: current.id, s: step.id, v: stepCardVersion(step) });
      }
      await settle();
      return (await app.engine.getIncident(incident.id)) ?? current;
    },
    staleCards: async (incidentId) => {
      const incident = await app.engine.getIncident(incidentId);
      const entry = await store.getItem(`teams/incident-cards/${incidentId}`);
      if (!incident || !entry) return [`incident ${incidentId} has no cards`];
      const cards = entry.value as unknown as StoredCards;
      const conversationId = cards.reference.conversation?.id ?? '';
      const shown = new Map(teams.messages(conversationId).map((message) => [message.id, message.activity]));
      const problems: string[] = [];
      // What a card shows: its refresh.userIds follow the card's next real change (never a write of their own).
      const shows = (card: unknown) =>
        JSON.stringify(card, (key, value: unknown) => (key === 'userIds' ? undefined : value));
      const compare = (label: string, activityId: string | undefined, expected: unknown) => {
        const activity = activityId ? shown.get(activityId) : undefined;
        if (!activity) problems.push(`${label}: never posted`);
        else if (shows(attachmentOf(activity)) !== shows(expected)) problems.push(`${label}: stale`);
      };
      const { presenter } = app.teams;
      compare('incident card', cards.incidentActivityId, presenter.incidentCard(incident, cards.locale));
      for (const step of incident.steps as StepView[]) {
        compare(
          `step ${step.id}`,
          cards.stepActivityIds[step.id],
          presenter.stepCard(incident, step, cards.locale, cards.stepNotices?.[step.id] ?? ''),
        );
      }
      return problems;
    },
    close: async () => {
      await app.close();
      if (!options.teams) await teams.close();
      if (!options.tenant) await tenant.close();
    },
  };
  return harness;
}
