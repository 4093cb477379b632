import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger';
import { createSqliteStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { FakeM365 } from '../support/fakeM365Services';
import { ADELE, ALEX, ISAIAH, createEngine } from './support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function sharedFileStores(count: number): Store[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-shared-'));
  const stores = Array.from({ length: count }, () => createSqliteStore({ dataDir: dir }));
  cleanups.push(async () => {
    for (const store of stores) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return stores;
}

describe('concurrency', () => {
  it('two requests for the same target at once end in one incident', async () => {
    const fake = new FakeM365();
    const { engine } = createEngine(fake.services);
    const [first, second] = await Promise.all([
      engine.openIncidents({ targets: ['MeganB@contoso.com'], requester: ALEX, origin: { kind: 'teams' } }),
      engine.openIncidents({ targets: ['MeganB@contoso.com'], requester: ISAIAH, origin: { kind: 'teams' } }),
    ]);
    expect(first.incidents[0]?.id).toBe(second.incidents[0]?.id);
    expect([...first.joinedIncidentIds, ...second.joinedIncidentIds]).toHaveLength(1);
    expect(await engine.listOpenIncidents()).toHaveLength(1);
  });

  it('two engines on two connections to one database write once for 50 approvals', async () => {
    const fake = new FakeM365();
    const [storeA, storeB] = sharedFileStores(2);
    if (!storeA || !storeB) throw new Error('stores');
    const a = createEngine(fake.services, { store: storeA });
    const b = createEngine(fake.services, { store: storeB });
    const { incidents } = await a.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    const incidentId = incidents[0]?.id ?? '';
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).engine.approveStep(incidentId, 'inbox-rules', ADELE),
      ),
    );
    const removed = fake.writes().map((w) => w.args[1]);
    expect(removed).toHaveLength(4);
    expect(new Set(removed).size).toBe(4);
  });

  it('never writes the generated password to a log line', async () => {
    let logged = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const fake = new FakeM365();
    fake.fail('exchange.setMailbox', 503, { times: 1 });
    const { engine } = createEngine(fake.services, { logger: createLogger({ level: 'trace', destination }) });
    const { incidents } = await engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'teams' },
    });
    const { secret } = await engine.approveAllRemaining(incidents[0]?.id ?? '', ADELE);
    expect(secret?.value).toBeTruthy();
    expect(logged).toContain('action done');
    expect(logged).not.toContain(secret?.value);
  });
});
