import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedTenant } from '../../../src/simulator';
import { createSqliteStore } from '../../../src/store';
import type { Store } from '../../../src/store/types';
import { incidentCardVersion } from '../../../src/teams/cards/cardVersion';
import { GROUP_CHAT, PEOPLE } from '../../security/support/teamsActivities';
import { SECURITY_CHANNEL, startDeliveryHarness } from '../../support/deliveryHarness';
import { startTeamsConnectorEmulator } from '../../support/teamsConnectorEmulator';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The store of a bot that dies at a chosen moment: from then on nothing it does is recorded
 * (every store call of the dead instance waits forever), as with a killed process.
 */
function killableStore(store: Store, dieWhen: (stepId: string, to: string) => boolean): Store {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        if (dead) return never;
        const result = (await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        )) as unknown;
        if (property === 'transitionStep' && result === true && dieWhen(String(args[1]), String(args[3]))) {
          dead = true;
          return never;
        }
        return result;
      };
    },
  });
}

const secretCards = (messages: { activity: Record<string, unknown>; postedAt: number }[]) =>
  messages.filter(
    (message) =>
      JSON.stringify(message.activity).includes('"canHide"') ||
      JSON.stringify(message.activity).includes('secret.hide'),
  );

describe('a bot restarted in the middle of an incident', () => {
  it.each([
    [
      'as reset-password starts',
      (stepId: string, to: string) => stepId === 'reset-password' && to === 'running',
    ],
    ['as the first step starts', (_stepId: string, to: string) => to === 'running'],
    [
      'as block-sign-in is recorded done',
      (stepId: string, to: string) => stepId === 'block-sign-in' && to === 'done',
    ],
  ])(
    'killed %s: every card current, both summaries once, the new password reaches the approver',
    async (_label, dieWhen) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-restart-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const tenant = await startSimulatedTenant({ port: 0 });
      cleanups.push(() => tenant.close());
      const teams = await startTeamsConnectorEmulator({
        members: Object.fromEntries(Object.values(PEOPLE).map((person) => [person.id, person])),
        timeScale: 0.1,
      });
      cleanups.push(() => teams.close());

      // The first instance opens the incident, Adele approves all, and it dies on the way.
      const first = await startDeliveryHarness({
        tenant,
        teams,
        store: killableStore(createSqliteStore({ dataDir }), dieWhen),
      });
      await first.say(PEOPLE.alex, 'compromised', [PEOPLE.megan]);
      await first.settle();
      let incident = await first.incidentOf(PEOPLE.megan);
      await first.click(PEOPLE.adele, 'incident.approve', {
        i: incident.id,
        v: incidentCardVersion(incident),
      });
      await first.settle();
      incident = await first.incidentOf(PEOPLE.megan);
      void first.click(PEOPLE.adele, 'incident.approveAll', {
        i: incident.id,
        v: incidentCardVersion(incident),
      });
      // The dead instance's last writes may still be in flight; the new one starts on the same data.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const second = await startDeliveryHarness({ tenant, teams, store: createSqliteStore({ dataDir }) });
      cleanups.push(() => second.close());
      await second.settle();
      const final = await second.remediate((await second.app.engine.getIncident(incident.id)) ?? incident);

      expect(final.status).toBe('completed');
      expect(await second.staleCards(incident.id)).toEqual([]);
      const summary = 'Remediation summary: Megan Bowen';
      const count = (conversationId: string) =>
        teams.messages(conversationId).filter((message) => JSON.stringify(message.activity).includes(summary))
          .length;
      expect(count(GROUP_CHAT.id)).toBe(1);
      expect(count(SECURITY_CHANNEL)).toBe(1);
      // The password set last went to Adele, and only to her.
      const adeleChat = teams.personalConversationOf(PEOPLE.adele.id);
      const delivered = secretCards(teams.messages(adeleChat ?? ''));
      expect(delivered.length).toBeGreaterThanOrEqual(1);
      const megan = tenant.state().users.find((user) => user.id === PEOPLE.megan.aadObjectId) as
        { lastPasswordChangeDateTime?: string } | undefined;
      const changedAt = Date.parse(megan?.lastPasswordChangeDateTime ?? '');
      expect(Math.max(...delivered.map((message) => message.postedAt))).toBeGreaterThanOrEqual(changedAt);
      expect(secretCards(teams.messages(GROUP_CHAT.id))).toEqual([]);
    },
  );
});
