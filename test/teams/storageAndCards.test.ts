import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store';
import { buildStepCard } from '../../src/teams/cards/builders';
import { CardTemplates } from '../../src/teams/cards/templates';
import { stringsFor } from '../../src/teams/i18n';
import { KeyValueStorage, StorageConflictError } from '../../src/teams/keyValueStorage';
import { ALEX, makeIncident } from '../support-teams/fakes';

describe('KeyValueStorage (botbuilder Storage over the project store)', () => {
  it('round-trips state and refuses a write with a stale eTag', async () => {
    const store = createSqliteStore({ inMemory: true });
    const storage = new KeyValueStorage(store);
    await storage.write({ 'conv/1': { dialogState: { stack: [] } } });
    const first = await storage.read(['conv/1', 'missing']);
    expect(Object.keys(first)).toEqual(['conv/1']);
    const stale = first['conv/1'] as { eTag: string };
    await storage.write({ 'conv/1': { ...stale, turn: 2 } });
    await expect(storage.write({ 'conv/1': { ...stale, turn: 3 } })).rejects.toBeInstanceOf(
      StorageConflictError,
    );
    await storage.write({ 'conv/1': { turn: 4, eTag: '*' } });
    expect((await storage.read(['conv/1']))['conv/1']).toMatchObject({ turn: 4 });
    await storage.delete(['conv/1']);
    expect(await storage.read(['conv/1'])).toEqual({});
    await store.close();
  });
});

describe('step card template', () => {
  const templates = new CardTemplates();
  const context = { strings: stringsFor('en'), simulated: true, fourEyes: true, localeTag: 'en' };

  it('is Adaptive Card 1.5 with a toggle per finding and opaque ids only on actions', () => {
    const incident = { ...makeIncident('inc-1', ALEX), status: 'open' as const };
    const rules = incident.steps.find((step) => step.id === 'inbox-rules');
    if (!rules) throw new Error('no step');
    const card = templates.render('step', buildStepCard(incident, rules, context));
    expect(card.version).toBe('1.5');
    const json = JSON.stringify(card);
    expect(json.match(/"Input.Toggle"/g)).toHaveLength(rules.findings.length);
    expect(json).toContain('Simulated tenant');
    const actions = card.actions as { type: string; data: Record<string, unknown> }[];
    expect(actions.map((action) => action.type)).toEqual(['Action.Execute', 'Action.Execute']);
    for (const action of actions) expect(Object.keys(action.data).sort()).toEqual(['i', 's', 'v']);
    expect(json).not.toContain('MeganB@contoso.com');
  });

  it('has no banner against a live tenant and offers its actions while the incident awaits approval', () => {
    const incident = makeIncident('inc-1', ALEX);
    const first = incident.steps[0];
    if (!first) throw new Error('no step');
    const card = templates.render('step', buildStepCard(incident, first, { ...context, simulated: false }));
    expect(JSON.stringify(card)).not.toContain('Simulated tenant');
    // Approving the incident must not rewrite every step card, so the buttons are there from the start.
    expect(JSON.stringify(card.actions ?? [])).toContain('step.approve');
  });

  it('offers no actions once the incident is closed', () => {
    const incident = { ...makeIncident('inc-1', ALEX), status: 'cancelled' as const };
    const first = incident.steps[0];
    if (!first) throw new Error('no step');
    const card = templates.render('step', buildStepCard(incident, first, context));
    expect(card.actions ?? []).toEqual([]);
  });
});
