import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger';
import { CredentialReach } from '../../../src/teams/delivery/credentialReach';
import type { ConversationGateway } from '../../../src/teams/gateway';

const ADELE = { id: 'a54ff265-58d9-483a-8973-e07982bd7315', displayName: 'Adele Vance' };
const reference = {
  conversation: { id: '19:group', tenantId: 't1', isGroup: true, conversationType: 'groupChat', name: '' },
};

/** A Teams that refuses the 1:1 chat until the app is installed, and then `lag` more times. */
function teamsAfterInstall(lag: number) {
  const state = { installed: false, lag, opens: 0 };
  const gateway: ConversationGateway = {
    send: () => Promise.resolve(undefined),
    update: () => Promise.resolve(),
    sendPrivately: () => Promise.reject(new Error('not used')),
    openPrivately: () => {
      state.opens += 1;
      if (state.installed && state.lag-- <= 0) return Promise.resolve('a:personal');
      return Promise.reject(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    },
  };
  return { state, gateway };
}

describe('CredentialReach', () => {
  it('installs the app for the approver after a 403 and opens the chat again, waiting as configured', async () => {
    const { state, gateway } = teamsAfterInstall(1);
    const installs: unknown[] = [];
    const waits: number[] = [];
    const reach = new CredentialReach(gateway, createSilentLogger(), {
      install: (approver, on) => {
        installs.push({ approver, on });
        state.installed = true;
        return Promise.resolve(true);
      },
      openRetryDelaysMs: [0, 5, 7],
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const recipient = {
      reference,
      personal: false,
      channelUserId: '29:adele',
      approver: ADELE,
      on: { incidentId: 'i1' },
    };
    expect(await reach.canReceive(recipient)).toBe(true);
    expect(installs).toEqual([{ approver: ADELE, on: { incidentId: 'i1' } }]);
    expect(waits).toEqual([5]);
    expect(state.opens).toBe(3);
    // Remembered: no second install or open for the same approver.
    expect(await reach.canReceive(recipient)).toBe(true);
    expect(state.opens).toBe(3);
  });

  it('refuses when the install fails, without trying the chat again', async () => {
    const { state, gateway } = teamsAfterInstall(0);
    const reach = new CredentialReach(gateway, createSilentLogger(), {
      install: () => Promise.resolve(false),
    });
    const recipient = {
      reference,
      personal: false,
      channelUserId: '29:adele',
      approver: ADELE,
      on: { groupId: 'g1' },
    };
    expect(await reach.canReceive(recipient)).toBe(false);
    expect(state.opens).toBe(1);
  });

  it('refuses without installing when it does not know who approves what', async () => {
    const { state, gateway } = teamsAfterInstall(0);
    let installs = 0;
    const reach = new CredentialReach(gateway, createSilentLogger(), {
      install: () => Promise.resolve(++installs > 0),
    });
    expect(await reach.canReceive({ reference, personal: false, channelUserId: '29:adele' })).toBe(false);
    expect(installs).toBe(0);
    expect(state.opens).toBe(1);
  });
});
