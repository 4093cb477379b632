import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentView, StepView } from '../../src/remediation/contract';
import { buildStepCard } from '../../src/teams/cards/builders';
import { incidentCardVersion } from '../../src/teams/cards/cardVersion';
import { stringsFor } from '../../src/teams/i18n';
import { ADELE, ALEX, makeIncident } from '../support-teams/fakes';
import { createHarness, USERS } from '../support-teams/harness';
import type { Harness } from '../support-teams/harness';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('"Approve all remaining" updates each step card as its step finishes', () => {
  it('step cards show "Done" while the run is still going, not only at the end', async () => {
    const h = createHarness();
    harness = h;
    await h.message('compromised meganb@contoso.com');
    await h.teams.background.idle();
    await h.click('incident.approve', { i: 'inc-1' }, USERS.adele);
    await h.teams.background.idle();
    const incident = h.engine.incidents.get('inc-1') as IncidentView;
    // Step card activity ids: the incident card is activity-1, the twelve step cards follow.
    const stepCardIds = new Set(incident.steps.map((_, index) => `activity-${index + 2}`));
    const doneUpdatesSoFar = () =>
      h.gateway.calls.filter(
        (call) =>
          call.method === 'update' &&
          stepCardIds.has(call.activityId ?? '') &&
          JSON.stringify(call.activity).includes('Done (verified)'),
      ).length;
    const seenBeforeEachStep: number[] = [];
    h.engine.stepPause = async () => {
      await sleep(15);
      seenBeforeEachStep.push(doneUpdatesSoFar());
    };

    await h.click('incident.approveAll', { i: incident.id, v: incidentCardVersion(incident) });
    await h.teams.background.idle();

    // Before the last step ran, earlier steps' cards had already been replaced with "Done".
    expect(seenBeforeEachStep.at(-1)).toBeGreaterThan(3);
    expect(h.engine.incidents.get('inc-1')?.status).toBe('completed');
  });
});

describe('"What will change" on a step card tells the truth', () => {
  const context = {
    strings: stringsFor('en'),
    simulated: false,
    fourEyes: true,
    localeTag: 'en',
  };
  const open = { ...makeIncident('inc-9', ALEX), status: 'open' as const };
  const rules = open.steps.find((step) => step.id === 'inbox-rules') as StepView;

  it('before approval, with findings to untick, the list is a proposal', () => {
    const card = buildStepCard(open, rules, context);
    expect(card.changesHeading).toBe('Proposed (you can untick items above before approving)');
    expect(card.changes).toEqual([{ text: 'Change for inbox-rules.' }]);
  });

  it('after approval it shows what actually changed, failures with their reason', () => {
    const done: StepView = {
      ...rules,
      status: 'failed',
      approvedBy: ADELE,
      actions: [
        { id: 'remove-1', description: 'Remove rule "Inbox Sync".' },
        { id: 'remove-2', description: 'Remove rule ".".' },
      ],
      results: [
        { actionId: 'remove-1', outcome: 'done', verified: true, requestIds: [] },
        {
          actionId: 'remove-2',
          outcome: 'failed',
          verified: false,
          requestIds: [],
          error: { code: 'Throttled', message: 'Exchange answered 429.', remedy: 'Retry.' },
        },
      ],
    };
    const card = buildStepCard(open, done, context);
    expect(card.changesHeading).toBe('What changed');
    expect(card.changes).toEqual([
      { text: 'Done: Remove rule "Inbox Sync".' },
      { text: 'Failed: Remove rule ".". (Exchange answered 429.)' },
    ]);
  });

  it('in Norwegian too', () => {
    const card = buildStepCard(open, rules, { ...context, strings: stringsFor('nb-NO'), localeTag: 'nb-NO' });
    expect(card.changesHeading).toContain('Foreslått');
  });
});
