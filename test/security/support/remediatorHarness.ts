import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/config';
import { startRemediator } from '../../../src/index';
import type { RunningRemediator } from '../../../src/index';
import { createSilentLogger } from '../../../src/observability/logger';
import type { IncidentView, StepId } from '../../../src/remediation/contract';
import { defaultFixturePath, startSimulatedTenant } from '../../../src/simulator';
import type { SimulatedTenant } from '../../../src/simulator';
import { createSqliteStore } from '../../../src/store';
import type { StoredAuditEvent } from '../../../src/store/types';
import { startFakeConnector } from './fakeConnector';
import type { FakeConnector } from './fakeConnector';
import { GROUP_CHAT, PEOPLE, cardAction, mentionMessage, postActivity } from './teamsActivities';
import type { Conversation, Person } from './teamsActivities';

export interface Harness {
  app: RunningRemediator;
  tenant: SimulatedTenant;
  connector: FakeConnector;
  /** A message to the bot; returns the texts the bot sent into that conversation for it. */
  say(from: Person, text: string, mentions?: Person[], conversation?: Conversation): Promise<string[]>;
  /** A card click; returns the HTTP status and the invoke response body as text. */
  click(
    from: Person,
    verb: string,
    data: Record<string, unknown>,
    conversation?: Conversation,
    activityOverrides?: Record<string, unknown>,
  ): Promise<{ status: number; body: string }>;
  /** Alex opens Megan's incident in the SOC group chat; the tenant's request log starts empty after. */
  openMeganIncident(): Promise<IncidentView>;
  incident(id: string): Promise<IncidentView>;
  stepStatus(id: string, stepId: StepId): Promise<string | undefined>;
  /** Write requests (POST/PATCH/DELETE, cmdlets that change) the tenant received since the last reset. */
  writes(): ReturnType<SimulatedTenant['requestLog']>;
  audit(): Promise<StoredAuditEvent[]>;
  close(): Promise<void>;
}

export type FixtureObject = Record<string, unknown> & { roleAssignments: { principalId: string }[] };

export function contosoFixture(): FixtureObject {
  return JSON.parse(readFileSync(defaultFixturePath, 'utf8')) as FixtureObject;
}

/** The whole product over HTTP: simulated tenant, real engine and store, a fake Bot Connector. */
export async function startHarness(
  options: { fixture?: FixtureObject; env?: Record<string, string>; dataDir?: string } = {},
): Promise<Harness> {
  const tenant = await startSimulatedTenant({
    port: 0,
    ...(options.fixture ? { fixture: options.fixture } : {}),
  });
  const connector = await startFakeConnector(
    Object.fromEntries(Object.values(PEOPLE).map((person) => [person.id, person])),
  );
  // A data folder makes the store outlive the app: a restart test starts a second app on it.
  const store = createSqliteStore(options.dataDir ? { dataDir: options.dataDir } : { inMemory: true });
  const app = await startRemediator({
    config: loadConfig({
      LOCAL_DEMO: 'true',
      PORT: '0',
      LOG_LEVEL: 'silent',
      BREAK_GLASS_ACCOUNTS: 'breakglass01@contoso.com',
      ...options.env,
    }),
    logger: createSilentLogger(),
    tenant,
    store,
    fastAnswerMs: 20_000,
    // This connector enforces no limits: Teams' pacing windows are shortened so floods stay quick.
    deliveryTimeScale: 0.001,
  });

  const sentSince = async (before: number, conversationId: string): Promise<string[]> => {
    await app.teams.background.idle();
    return connector.calls
      .slice(before)
      .filter((call) => call.method === 'POST' && call.url.includes(encodeURIComponent(conversationId)))
      .map((call) => {
        try {
          const parsed = JSON.parse(call.body) as { text?: unknown; attachments?: unknown };
          return typeof parsed.text === 'string' ? parsed.text : JSON.stringify(parsed.attachments ?? '');
        } catch {
          return call.body;
        }
      });
  };

  const harness: Harness = {
    app,
    tenant,
    connector,
    say: async (from, text, mentions = [], conversation = GROUP_CHAT) => {
      const before = connector.calls.length;
      const response = await postActivity(
        app.url,
        mentionMessage(connector.url, from, text, mentions, conversation),
      );
      if (response.status >= 300) throw new Error(`message answered ${response.status}`);
      return sentSince(before, conversation.id);
    },
    click: async (from, verb, data, conversation = GROUP_CHAT, activityOverrides = {}) => {
      const response = await postActivity(app.url, {
        ...cardAction(connector.url, from, verb, data, conversation),
        ...activityOverrides,
      });
      await app.teams.background.idle();
      return response;
    },
    openMeganIncident: async () => {
      await harness.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
      const incident = (await app.engine.listOpenIncidents()).find(
        (candidate) => candidate.target.id === PEOPLE.megan.aadObjectId,
      );
      if (!incident) throw new Error("Megan's incident was not opened");
      tenant.resetLog();
      return incident;
    },
    incident: async (id) => {
      const incident = await app.engine.getIncident(id);
      if (!incident) throw new Error(`no incident ${id}`);
      return incident;
    },
    stepStatus: async (id, stepId) =>
      (await harness.incident(id)).steps.find((step) => step.id === stepId)?.status,
    writes: () => tenant.requestLog().filter((entry) => entry.write),
    audit: async () =>
      (await app.engine.exportAudit())
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as StoredAuditEvent),
    close: async () => {
      await app.close();
      await connector.close();
      await tenant.close();
    },
  };
  return harness;
}
