import { describe, expect, it } from 'vitest';
import { evaluateCorpus, loadCorpus } from '../../bench/inboxRuleCorpus';

const corpus = loadCorpus();

describe('inbox-rule corpus', () => {
  it('has at least 120 labelled rules, each with a source and a unique id', () => {
    expect(corpus.rules.length).toBeGreaterThanOrEqual(120);
    for (const entry of corpus.rules) {
      expect(entry.source.trim().length, entry.id).toBeGreaterThan(20);
      expect(['malicious', 'benign']).toContain(entry.label);
    }
    expect(new Set(corpus.rules.map((entry) => entry.id)).size).toBe(corpus.rules.length);
  });

  it('covers benign everyday rules, Exchange system rules and non-English rules', () => {
    const count = (predicate: (entry: (typeof corpus.rules)[number]) => boolean) =>
      corpus.rules.filter(predicate).length;
    expect(count((entry) => entry.label === 'benign')).toBeGreaterThanOrEqual(40);
    expect(count((entry) => entry.category === 'system-rule')).toBeGreaterThanOrEqual(5);
    expect(new Set(corpus.rules.map((entry) => entry.language)).size).toBeGreaterThanOrEqual(10);
  });

  it('keeps precision and recall for "malicious" at or above 0.95, and preselects no system rule', () => {
    const result = evaluateCorpus(corpus);
    expect(result.overall.recall, JSON.stringify(result.misses)).toBeGreaterThanOrEqual(0.95);
    expect(result.overall.precision, JSON.stringify(result.misses)).toBeGreaterThanOrEqual(0.95);
    expect(result.systemRulesPreselected).toBe(0);
  });
});
