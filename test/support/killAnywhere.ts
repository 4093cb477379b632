import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulatedTenant } from '../../src/simulator';
import { createSqliteStore } from '../../src/store';
import { incidentCardRegistry } from '../../src/teams/cardRegistry';
import { DeliveryLedger } from '../../src/teams/delivery/ledger';
import { incidentCardVersion } from '../../src/teams/cards/cardVersion';
import { stringsFor } from '../../src/teams/i18n';
import { successfulWrites } from '../remediation/simulatedTenant';
import { GROUP_CHAT, PEOPLE } from '../security/support/teamsActivities';
import { SECURITY_CHANNEL, TIME_SCALE, startDeliveryHarness } from './deliveryHarness';
import type { DeliveryHarness } from './deliveryHarness';
import { KillSwitch } from './killSwitch';
import type { DurableWrite } from './killSwitch';
import { startTeamsConnectorEmulator } from './teamsConnectorEmulator';

/** Tenant writes that are re-issued on purpose after a crash (a credential nobody received). */
const REISSUED = /authentication\/.*methods\/.*\/resetPassword|passwordProfile/i;

export interface KillOutcome {
  killAt: number;
  /** The write the bot died before (undefined: the run finished first). */
  fatal?: DurableWrite;
  /** The write that happened last before the death. */
  last?: DurableWrite;
  /** Every broken invariant, empty when the restart healed everything. */
  problems: string[];
  /** Card posts Teams accepted that the bot no longer tracks (the documented window). */
  untracked: number;
  /** Died right after a post Teams accepted, before its id was recorded. */
  inWindow?: boolean;
}

export interface Reference {
  writes: DurableWrite[];
  tenantWrites: Record<string, number>;
}

const SUMMARY = 'Remediation summary: Megan Bowen';

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The incident as the responders drive it: opened, approved by a second responder, approve all. */
async function drive(bot: DeliveryHarness): Promise<void> {
  await bot.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
  await bot.settle();
  let incident = await bot.incidentOf(PEOPLE.megan);
  await bot.click(PEOPLE.adele, 'incident.approve', { i: incident.id, v: incidentCardVersion(incident) });
  await bot.settle();
  incident = await bot.incidentOf(PEOPLE.megan);
  await bot.click(PEOPLE.adele, 'incident.approveAll', { i: incident.id, v: incidentCardVersion(incident) });
  await bot.settle();
}

const where = (kill: KillSwitch) => ({
  ...(kill.fatalWrite ? { fatal: kill.fatalWrite } : {}),
  ...(kill.lastWrite ? { last: kill.lastWrite } : {}),
});

const ledgerOf = (bot: DeliveryHarness) => new DeliveryLedger(bot.store);

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One incident driven by a bot that dies right before its `killAt`-th durable write, then a
 * second bot on the same SQLite folder and the same Teams that lets the responders finish.
 * Returns what the invariants found. `killAt` 0 runs without a kill (the reference).
 */
export async function runKilledIncident(
  killAt: number,
  reference?: Reference,
): Promise<KillOutcome & Reference> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-kill-'));
  const tenant = await startSimulatedTenant({ port: 0 });
  const teams = await startTeamsConnectorEmulator({
    members: Object.fromEntries(Object.values(PEOPLE).map((person) => [person.id, person])),
    timeScale: TIME_SCALE,
  });
  const kill = new KillSwitch(killAt > 0 ? killAt : undefined);
  const problems: string[] = [];
  let second: DeliveryHarness | undefined;
  let first: DeliveryHarness | undefined;
  try {
    first = await startDeliveryHarness({
      tenant,
      teams,
      store: kill.store(createSqliteStore({ dataDir })),
      wrapGateway: (gateway) => kill.gateway(gateway),
    });
    await Promise.race([drive(first), kill.death]);
    let bot = first;
    if (kill.killed) {
      // What the dead process had in flight lands or not; then an instance starts on the same data.
      await tick(100);
      second = await startDeliveryHarness({ tenant, teams, store: createSqliteStore({ dataDir }) });
      bot = second;
      await bot.settle();
      // Died before the incident or its cards were recorded: the responder sees no cards and asks again.
      const [opened] = await bot.store.listIncidents();
      if (!opened || !(await incidentCardRegistry(bot.store).get(opened.id))) await drive(bot);
    }
    const incidents = await bot.store.listIncidents();
    const incident = incidents[0];
    if (!incident || incidents.length !== 1) {
      problems.push(`expected one incident, found ${incidents.length}`);
      return { killAt, ...where(kill), problems, untracked: 0, writes: kill.writes, tenantWrites: {} };
    }
    let view = await bot.app.engine.getIncident(incident.id);
    if (view && view.status !== 'completed' && view.status !== 'cancelled') view = await bot.remediate(view);
    if (view?.status !== 'completed') problems.push(`incident ended ${view?.status}`);
    // Outstanding deliveries (a summary claimed by the dead instance) are retried by the resume.
    for (let round = 0; round < 100 && (await ledgerOf(bot).list()).length > 0; round++) {
      await tick(100);
      await bot.settle();
    }
    if ((await ledgerOf(bot).list()).length > 0) problems.push('deliveries still outstanding');

    problems.push(...(await bot.staleCards(incident.id)));
    // Teams has no idempotency key for a post: one that Teams accepted right before the process
    // died, before its id was recorded, is posted again by the restarted bot (the one window left).
    const inWindow = kill.lastWrite?.kind === 'teams.send';
    const allowed = inWindow ? 2 : 1;
    const chat = teams.messages(GROUP_CHAT.id);
    const text = (message: { activity: Record<string, unknown> }) => JSON.stringify(message.activity);
    const summaries = (conversationId: string) =>
      teams.messages(conversationId).filter((message) => text(message).includes(SUMMARY)).length;
    for (const [where, id] of [
      ['chat', GROUP_CHAT.id],
      ['channel', SECURITY_CHANNEL],
    ] as const) {
      const count = summaries(id);
      if (count < 1 || count > allowed) problems.push(`${where} summaries: ${count}`);
    }
    const errorText = stringsFor('en-US').errorOccurred('').slice(0, 20);
    if (chat.some((message) => text(message).includes(errorText)))
      problems.push('an error message in the chat');
    // Every card in the chat is one the bot tracks: a second copy of a card is a duplicate post.
    const cards = await incidentCardRegistry(bot.store).get(incident.id);
    const tracked = new Set([
      cards?.incidentActivityId,
      cards?.summaryActivityId,
      ...Object.values(cards?.stepActivityIds ?? {}),
    ]);
    const untracked = chat.filter(
      (message) => Array.isArray(message.activity.attachments) && !tracked.has(message.id),
    ).length;
    if (untracked > allowed - 1) problems.push(`duplicate card posts: ${untracked}`);
    // The credential: the password set last reached the approver, in her 1:1 chat only.
    const secretCards = (conversationId: string) =>
      teams.messages(conversationId).filter((message) => text(message).includes('secret.hide'));
    const delivered = secretCards(teams.personalConversationOf(PEOPLE.adele.id) ?? '');
    const megan = tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId) as
      { lastPasswordChangeDateTime?: string } | undefined;
    const changedAt = Date.parse(megan?.lastPasswordChangeDateTime ?? '');
    if (Number.isFinite(changedAt) && !delivered.some((message) => message.postedAt >= changedAt)) {
      problems.push('the latest password reached nobody');
    }
    if (secretCards(GROUP_CHAT.id).length > 0) problems.push('a credential in the group chat');
    const tenantWrites = countBy(successfulWrites(tenant));
    if (reference) {
      for (const write of new Set([...Object.keys(reference.tenantWrites), ...Object.keys(tenantWrites)])) {
        const expected = reference.tenantWrites[write] ?? 0;
        const actual = tenantWrites[write] ?? 0;
        const reissued = REISSUED.test(write) ? actual >= expected : actual === expected;
        // A password set again after a crash that came after its reset started is one more PATCH
        // of the user; blocking sign-in, the other PATCH, must not repeat, nor anything before.
        const resetStarted = reference.writes.findIndex((w) => w.detail === 'reset-password → running') + 1;
        const patchOfTarget =
          write === `PATCH /v1.0/users/${PEOPLE.megan.aadObjectId}` &&
          resetStarted > 0 &&
          killAt > resetStarted &&
          actual === expected + 1;
        if (!reissued && !patchOfTarget) {
          problems.push(`tenant write ${write}: ${actual} (expected ${expected})`);
        }
      }
    }
    return {
      killAt,
      ...where(kill),
      problems,
      untracked,
      inWindow,
      writes: kill.writes,
      tenantWrites,
    };
  } finally {
    await second?.close();
    if (!kill.killed) await first?.close();
    await teams.close();
    await tenant.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Kill points at the first write of every kind, plus every `stride`-th write. */
export function sampleKillPoints(
  writes: DurableWrite[],
  stride: number,
  also: (write: DurableWrite) => boolean = () => false,
): number[] {
  const points = new Set<number>();
  const seen = new Set<string>();
  writes.forEach((write, index) => {
    if (!seen.has(write.kind)) points.add(index + 1);
    seen.add(write.kind);
    if ((index + 1) % stride === 0 || also(write)) points.add(index + 1);
  });
  return [...points].sort((a, b) => a - b);
}
