import { describe, expect, it } from 'vitest';
import { AlertCards, INVESTIGATE_ALERT_VERB } from '../../src/teams/alerts';
import type { AlertRecord } from '../../src/teams/alerts';
import { CardTemplates } from '../../src/teams/cards/templates';
import { localeTagFor, stringsFor } from '../../src/teams/i18n';

const cards = new AlertCards(new CardTemplates(), (locale) => ({
  strings: stringsFor(locale),
  simulated: false,
  fourEyes: true,
  localeTag: localeTagFor(locale),
}));

const record = (change: Partial<AlertRecord> = {}, users = ['megan@contoso.com']): AlertRecord => ({
  reference: 'ref-1',
  alert: {
    users,
    alertId: 'sentinel-42',
    source: 'Microsoft Sentinel',
    severity: 'high',
    title: 'Impossible travel',
    link: 'https://portal.azure.com/#alert/42',
  },
  receivedAt: '2026-12-03T08:00:00.000Z',
  status: 'awaiting-responder',
  ...change,
});

interface Card {
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions: { type: string; title: string; verb?: string; url?: string; data?: unknown }[];
}
const texts = (card: Card) => card.body.map((block) => block.text).filter(Boolean);
const facts = (card: Card) => card.body.find((block) => block.type === 'FactSet')?.facts ?? [];

describe('the "possible compromise" card (cards/alert.json)', () => {
  it.each([
    ['en-US', 'Possible compromise', 'Severity', 'Investigate', 'Open in the SIEM'],
    ['nb-NO', 'Mulig kompromittering', 'Alvorlighet', 'Undersøk', 'Åpne i SIEM'],
  ])(
    'in %s: the alert, what happens next, and the two buttons',
    (locale, title, severity, investigate, open) => {
      const card = cards.render(record(), locale) as unknown as Card;
      expect(texts(card)[0]).toBe(title);
      expect(texts(card)).toContain('Impossible travel');
      expect(texts(card)).toContain(stringsFor(locale).alertCard.awaiting);
      expect(facts(card)).toContainEqual({ title: severity, value: 'high' });
      expect(card.actions).toEqual([
        { type: 'Action.Execute', title: investigate, verb: INVESTIGATE_ALERT_VERB, data: { i: 'ref-1' } },
        { type: 'Action.OpenUrl', title: open, url: 'https://portal.azure.com/#alert/42' },
      ]);
    },
  );

  it('once taken on: says by whom, offers no Investigate, shows the notice', () => {
    const card = cards.render(
      record({ status: 'opened', openedBy: 'Adele Vance' }),
      'en-US',
      stringsFor('en').alertCard.opened(1),
    ) as unknown as Card;
    expect(texts(card)).toContain(stringsFor('en').alertCard.takenOn('Adele Vance'));
    expect(texts(card)).toContain('Opened 1 incident(s).');
    expect(card.actions.map((action) => action.type)).toEqual(['Action.OpenUrl']);
  });

  it('names the first 20 users and counts the rest; no link, no link button', () => {
    const users = Array.from({ length: 23 }, (_, index) => `user${index}@contoso.com`);
    const { link: _link, ...alert } = record({}, users).alert;
    const card = cards.render({ ...record(), alert }, 'nb-NO') as unknown as Card;
    const shown = facts(card).find((fact) => fact.title === 'Brukere')?.value ?? '';
    expect(shown.split(', ')).toHaveLength(20);
    expect(shown.endsWith(' og 3 til')).toBe(true);
    expect(card.actions.map((action) => action.type)).toEqual(['Action.Execute']);
  });
});
