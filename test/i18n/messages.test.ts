import { describe, expect, it } from 'vitest';
import { messageCodes, renderMessage } from '../../src/i18n/findings';
import { NB_OPERATIONS } from '../../src/i18n/catalogue/errors';
import { STATUS_TABLES } from '../../src/i18n/catalogue/report';
import { LOOKUP_TABLES } from '../../src/i18n/catalogue/stepFindings';
import type { Locale } from '../../src/i18n/locale';
import { message } from '../../src/i18n/message';
import type { Message, MessageParam } from '../../src/i18n/message';
import { OPERATIONS } from '../../src/m365/operations';
import { STEP_IDS } from '../../src/remediation/contract';

/**
 * Renders a code with parameters that record which names the renderer reads; every parameter is a
 * marker string, so the output shows which of them reach the reader.
 */
function probe(code: string, locale: Locale): { read: string[]; shown: string[] } {
  const read = new Set<string>();
  const params = new Proxy({} as Record<string, MessageParam>, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      read.add(key);
      return `⟦${key}⟧`;
    },
    has: () => true,
  });
  const rendered = renderMessage({ code, params } as Message, locale);
  return { read: [...read].sort(), shown: [...rendered.matchAll(/⟦(\w+)⟧/g)].map((m) => m[1] ?? '').sort() };
}

describe('message catalogues', () => {
  it('has every code in both languages', () => {
    expect(messageCodes('nb-NO').sort()).toEqual(messageCodes('en').sort());
  });

  it('reads and shows the same parameters in both languages', () => {
    const different = messageCodes('en').filter((code) => {
      const english = probe(code, 'en');
      const norwegian = probe(code, 'nb-NO');
      return (
        JSON.stringify(english.read) !== JSON.stringify(norwegian.read) ||
        JSON.stringify([...new Set(english.shown)]) !== JSON.stringify([...new Set(norwegian.shown)])
      );
    });
    expect(different).toEqual([]);
  });

  it('says something different in Norwegian for every code but product names', () => {
    const same = messageCodes('en').filter((code) => {
      const english = probe(code, 'en');
      return (
        renderMessage(message(code), 'en') === renderMessage(message(code), 'nb-NO') &&
        english.read.length === 0
      );
    });
    expect(same).toEqual([]);
  });

  it('gives every step a title, a summary and manual steps in both languages', () => {
    for (const id of STEP_IDS) {
      for (const part of ['title', 'summary', 'manual']) {
        expect(messageCodes('nb-NO')).toContain(`steps.${id}.${part}`);
        expect(renderMessage(message(`steps.${id}.${part}`), 'nb-NO')).not.toBe(
          renderMessage(message(`steps.${id}.${part}`), 'en'),
        );
      }
    }
  });

  it('names every Microsoft 365 operation in Norwegian', () => {
    expect(Object.keys(NB_OPERATIONS).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('keeps the lookup tables (methods, scopes, rights, statuses) in step', () => {
    for (const [name, english, norwegian] of [...LOOKUP_TABLES, ...STATUS_TABLES]) {
      expect(Object.keys(norwegian).sort(), name).toEqual(Object.keys(english).sort());
    }
  });

  it('inserts a parameter as given, never as a template', () => {
    const name = '${constructor} {{name}} %s ⟦x⟧';
    expect(renderMessage(message('blockSignIn.action', { name }), 'nb-NO')).toBe(
      `Blokker pålogging for ${name} (accountEnabled = false).`,
    );
  });

  it('renders times and regions in the reader’s language', () => {
    const then = '2026-11-20T10:00:00Z';
    const now = '2026-11-20T12:30:00Z';
    const reason = message('signIns.reasonRecent', { then, now, ips: ['1.2.3.4'] });
    expect(renderMessage(reason, 'en')).toBe('most recent 2 hours ago; IP 1.2.3.4');
    expect(renderMessage(reason, 'nb-NO')).toBe('sist for 2 timer siden; IP 1.2.3.4');
    const title = message('signIns.findingSuccess', { count: 2, country: 'NO', cities: [] });
    expect(renderMessage(title, 'en')).toBe('2 successful sign-ins from Norway');
    expect(renderMessage(title, 'nb-NO')).toBe('2 vellykkede pålogginger fra Norge');
  });
});
