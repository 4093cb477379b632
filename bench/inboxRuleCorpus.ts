/**
 * `npm run bench:rules`: precision and recall of the inbox-rule scorer on the labelled corpus
 * (test/remediation/corpus/inboxRules.json), overall and per category. "Malicious" means the
 * scorer proposes deleting the rule (high or medium, and not an Exchange system rule).
 * test/remediation/corpus.test.ts keeps a floor under these numbers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InboxRule, InboxRuleConditions } from '../src/m365/types';
import type { CompromiseWindow, ScoreContext } from '../src/remediation/rules/scoreInboxRule';
import { scoreInboxRule } from '../src/remediation/rules/scoreInboxRule';
import { inboxRule } from '../test/support/inboxRules';

export interface CorpusEntry {
  id: string;
  category: string;
  label: 'malicious' | 'benign';
  language: string;
  /** The public detection, playbook or write-up the rule comes from, or why it is benign. */
  source: string;
  rule: {
    name: string;
    hidden?: boolean;
    enabled?: boolean;
    readOnly?: boolean;
    changedDateTime?: string;
    conditions: Partial<InboxRuleConditions>;
    exceptions?: Partial<InboxRuleConditions>;
    actions: Partial<InboxRule['actions']>;
  };
}

export interface Corpus {
  tenantDomains: string[];
  compromiseWindow?: CompromiseWindow;
  rules: CorpusEntry[];
}

export const CORPUS_PATH = path.join(__dirname, '../test/remediation/corpus/inboxRules.json');

export function loadCorpus(file = CORPUS_PATH): Corpus {
  return JSON.parse(readFileSync(file, 'utf8')) as Corpus;
}

export function toInboxRule(entry: CorpusEntry): InboxRule {
  const { rule } = entry;
  return inboxRule({
    id: entry.id,
    name: rule.name,
    enabled: rule.enabled ?? true,
    hidden: rule.hidden ?? false,
    readOnly: rule.readOnly ?? false,
    ...(rule.changedDateTime ? { changedDateTime: rule.changedDateTime } : {}),
    ...(rule.conditions ? { conditions: rule.conditions } : {}),
    ...(rule.exceptions ? { exceptions: rule.exceptions } : {}),
    ...(rule.actions ? { actions: rule.actions } : {}),
  });
}

export interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  overall: Tally;
  byCategory: Record<string, Tally>;
  /** Entry ids the scorer got wrong, with what it said. */
  misses: { id: string; label: string; suspicion: string }[];
  systemRulesPreselected: number;
}

function tally(pairs: { actual: boolean; predicted: boolean }[]): Tally {
  const count = (actual: boolean, predicted: boolean) =>
    pairs.filter((pair) => pair.actual === actual && pair.predicted === predicted).length;
  const truePositives = count(true, true);
  const falsePositives = count(false, true);
  const falseNegatives = count(true, false);
  const trueNegatives = count(false, false);
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator);
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
  };
}

export function evaluateCorpus(corpus: Corpus): Evaluation {
  const context: ScoreContext = {
    tenantDomains: corpus.tenantDomains,
    ...(corpus.compromiseWindow ? { compromiseWindow: corpus.compromiseWindow } : {}),
  };
  const results = corpus.rules.map((entry) => {
    const score = scoreInboxRule(toInboxRule(entry), context);
    const predicted = !score.systemRule && (score.suspicion === 'high' || score.suspicion === 'medium');
    return { entry, score, actual: entry.label === 'malicious', predicted };
  });
  const categories = [...new Set(corpus.rules.map((entry) => entry.category))].sort();
  return {
    overall: tally(results),
    byCategory: Object.fromEntries(
      categories.map((category) => [
        category,
        tally(results.filter((result) => result.entry.category === category)),
      ]),
    ),
    misses: results
      .filter((result) => result.actual !== result.predicted)
      .map((result) => ({
        id: result.entry.id,
        label: result.entry.label,
        suspicion: result.score.suspicion,
      })),
    systemRulesPreselected: results.filter(
      (result) => result.entry.category === 'system-rule' && result.predicted,
    ).length,
  };
}

function format(name: string, t: Tally): string {
  const pct = (value: number) => value.toFixed(2);
  return `${name.padEnd(22)} precision ${pct(t.precision)}  recall ${pct(t.recall)}  (tp ${t.truePositives}, fp ${t.falsePositives}, fn ${t.falseNegatives}, tn ${t.trueNegatives})`;
}

if (require.main === module) {
  const corpus = loadCorpus();
  const result = evaluateCorpus(corpus);
  const lines = [
    `inbox-rule corpus: ${corpus.rules.length} rules`,
    format('overall', result.overall),
    ...Object.entries(result.byCategory).map(([category, t]) => format(category, t)),
    `system rules preselected: ${result.systemRulesPreselected}`,
    ...result.misses.map((miss) => `miss: ${miss.id} (${miss.label}, scored ${miss.suspicion})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
