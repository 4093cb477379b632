import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startRemediator } from '../../src/index';
import type { RunningRemediator } from '../../src/index';
import { createLogger, SecretRegistry } from '../../src/observability/logger';
import { startSimulatedTenant } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { createSqliteStore, DATABASE_FILE_NAME } from '../../src/store';
import { startFakeConnector } from './support/fakeConnector';
import type { FakeConnector } from './support/fakeConnector';
import { PEOPLE, cardAction, mentionMessage, postActivity } from './support/teamsActivities';

/** Records every secret the running bot registers (generated passwords and TAPs). */
class RecordingSecrets extends SecretRegistry {
  readonly values: string[] = [];
  override register(value: string | undefined): string | undefined {
    if (value) this.values.push(value);
    return super.register(value);
  }
}

/** The forms a secret could take in a file or a line: raw, JSON-escaped, HTML-escaped. */
function forms(secret: string): string[] {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const unicode = secret.replace(
    /[^A-Za-z0-9]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), html, unicode])];
}

function containsSecret(text: string, secrets: string[]): boolean {
  return secrets.some((secret) => forms(secret).some((form) => text.includes(form)));
}

describe('a full remediation with trace logging leaks no password or TAP', () => {
  let tenant: SimulatedTenant;
  let connector: FakeConnector;
  let app: RunningRemediator | undefined;
  let dataDir: string;
  const lines: string[] = [];
  const responses: string[] = [];
  const secrets = new RecordingSecrets();
  let databaseWhileRunning: Buffer[] = [];

  beforeAll(async () => {
    tenant = await startSimulatedTenant({ port: 0 });
    connector = await startFakeConnector({ [PEOPLE.megan.id]: PEOPLE.megan });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'remediator-leak-'));
    // Deliberately NOT given the registry: this proves the code never logs a secret in the
    // first place; scrubbing by value (tested in logRedaction.test.ts) is a second line.
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => void lines.push(line) },
    });
    app = await startRemediator({
      config: loadConfig({ LOCAL_DEMO: 'true', PORT: '0', LOG_LEVEL: 'trace', DATA_DIR: dataDir }),
      logger,
      tenant,
      store: createSqliteStore({ dataDir }),
      secrets,
      fastAnswerMs: 20_000,
    });
    const url = app.url;
    const send = async (activity: object) => {
      const response = await postActivity(url, activity);
      responses.push(response.body);
      expect(response.status).toBeLessThan(300);
      await app?.teams.background.idle();
    };

    await send(mentionMessage(connector.url, PEOPLE.alex, 'compromised', [PEOPLE.megan]));
    await send(mentionMessage(connector.url, PEOPLE.alex, 'compromised IsaiahL@contoso.com'));
    const incidents = await app.engine.listOpenIncidents();
    const megan = incidents.find((incident) => incident.target.id === PEOPLE.megan.aadObjectId);
    const isaiah = incidents.find((incident) => incident.target.id === PEOPLE.isaiah.aadObjectId);
    if (!megan || !isaiah) throw new Error('incidents were not opened');

    for (const incident of [megan, isaiah]) {
      await send(cardAction(connector.url, PEOPLE.adele, 'incident.approve', { i: incident.id }));
    }
    await send(
      cardAction(connector.url, PEOPLE.adele, 'step.approve', {
        i: megan.id,
        s: 'reset-password',
        credentialKind: 'temporaryAccessPass',
      }),
    );
    await send(cardAction(connector.url, PEOPLE.adele, 'incident.approveAll', { i: megan.id }));
    await send(
      cardAction(connector.url, PEOPLE.adele, 'step.approve', { i: isaiah.id, s: 'reset-password' }),
    );
    await send(mentionMessage(connector.url, PEOPLE.alex, `report ${megan.id}`));
    await send(mentionMessage(connector.url, PEOPLE.alex, 'status'));

    databaseWhileRunning = [DATABASE_FILE_NAME, `${DATABASE_FILE_NAME}-wal`]
      .map((name) => path.join(dataDir, name))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await tenant?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generated one TAP (Megan) and one password (Isaiah), and both really reached the approver privately', async () => {
    expect(secrets.values).toHaveLength(2);
    const privateBodies = connector.calls
      .filter((call) =>
        connector.privateConversationIds.some((id) => call.url.includes(`/conversations/${id}/`)),
      )
      .map((call) => call.body);
    for (const secret of secrets.values) {
      expect(privateBodies.some((body) => containsSecret(body, [secret]))).toBe(true);
    }
    const megan = (await app?.engine.history(PEOPLE.megan.userPrincipalName))?.[0];
    expect(megan?.status).toBe('completed');
  });

  it('no outgoing activity outside the private 1:1 chats holds a secret', () => {
    const shared = connector.calls.filter(
      (call) => !connector.privateConversationIds.some((id) => call.url.includes(`/conversations/${id}/`)),
    );
    expect(shared.length).toBeGreaterThan(20);
    expect(
      shared.filter((call) => containsSecret(call.body, secrets.values)).map((call) => call.url),
    ).toEqual([]);
  });

  it("no HTTP answer to Teams (the clicker's card in the group chat) holds a secret", () => {
    expect(responses.filter((body) => containsSecret(body, secrets.values))).toEqual([]);
  });

  it('no log line at trace level holds a secret, though the run logged verbosely', () => {
    // trace is on; the most verbose lines the code writes are debug (every Graph and Exchange call).
    expect(lines.some((line) => line.includes('"level":20'))).toBe(true);
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.filter((line) => containsSecret(line, secrets.values))).toEqual([]);
  });

  it('the SQLite database and its WAL hold no secret, while running and after closing', async () => {
    expect(databaseWhileRunning.length).toBeGreaterThan(0);
    for (const file of databaseWhileRunning)
      expect(containsSecret(file.toString('latin1'), secrets.values)).toBe(false);
    const report = await app?.engine.exportAudit();
    expect(report && containsSecret(report, secrets.values)).toBe(false);
    await app?.close();
    app = undefined;
    for (const name of [DATABASE_FILE_NAME, `${DATABASE_FILE_NAME}-wal`, `${DATABASE_FILE_NAME}-shm`]) {
      const file = path.join(dataDir, name);
      if (existsSync(file))
        expect(containsSecret(readFileSync(file).toString('latin1'), secrets.values)).toBe(false);
    }
  });
});
