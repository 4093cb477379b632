import { Writable } from 'node:stream';
import { TestAdapter } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger';
import { createTurnErrorHandler } from '../../src/teams';
import { createHarness, GROUP } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

function recordingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('errors', () => {
  it('onTurnError gives the user an error id and keeps the detail in the log only', async () => {
    const { logger, lines } = recordingLogger();
    const adapter = new TestAdapter(async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/remediator/remediator.db');
    });
    adapter.onTurnError = createTurnErrorHandler(logger);
    await adapter.processActivity({ type: 'message', text: 'status', locale: 'nb-NO' });
    const reply = adapter.activeQueue.map((activity) => activity.text ?? '').join('\n');
    const errorId = /Feil-id: ([0-9a-f]{8})/.exec(reply)?.[1];
    expect(errorId).toBeDefined();
    expect(reply).not.toContain('SQLITE');
    const logged = lines.join('\n');
    expect(logged).toContain(`"errorId":"${errorId}"`);
    expect(logged).toContain('SQLITE_CORRUPT');
  });

  it('a failure while opening incidents in the background is reported in the chat with an error id', async () => {
    harness = createHarness();
    harness.engine.openIncidents = async () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3:443');
    };
    await harness.message('compromised meganb@contoso.com');
    await harness.teams.background.idle();
    const said = harness.gateway.textIn(GROUP.id);
    expect(said).toMatch(/Error id: [0-9a-f]{8}/);
    expect(said).not.toContain('ECONNREFUSED');
  });
});
