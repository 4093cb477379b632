import type { InboxRule, InboxRuleChange, SignInEvent } from '../../m365/types';
import type { CompromiseWindow } from './scoreInboxRule';

/**
 * Identity Protection's riskLevelDuringSignIn values that mark a sign-in as the attacker's
 * (Graph signIn resource: none, low, medium, high, hidden, unknownFutureValue). "low" is left
 * out: it is common for ordinary travel, and "hidden" says nothing.
 */
const RISKY_LEVELS = new Set(['medium', 'high']);

/**
 * When the compromise began, as far as the sign-in log shows: the earliest successful sign-in
 * Identity Protection flagged medium or high risk (signIn.createdDateTime). It is still open:
 * containment is what this incident is doing. Pure; undefined when no sign-in was flagged.
 */
export function compromiseWindowFrom(signIns: readonly SignInEvent[]): CompromiseWindow | undefined {
  const starts = signIns
    .filter((event) => event.succeeded && RISKY_LEVELS.has((event.riskLevel ?? '').toLowerCase()))
    .map((event) => Date.parse(event.createdDateTime))
    .filter((ms) => Number.isFinite(ms));
  if (starts.length === 0) return undefined;
  return { start: new Date(Math.min(...starts)).toISOString() };
}

/**
 * Each rule with the time it was last created or changed, where the audit log names it: by
 * name (New-InboxRule -Name, Set-InboxRule -Identity <name>) or by identity (Set-InboxRule
 * -Identity <mailbox>\<RuleIdentity>). Rules the log does not name are returned as they are.
 */
export function withChangeTimes(
  rules: readonly InboxRule[],
  changes: readonly InboxRuleChange[],
): InboxRule[] {
  return rules.map((rule) => {
    const ruleIdentity = rule.id.includes('\\') ? rule.id.split('\\').pop() : rule.id;
    const times = changes
      .filter((change) => change.rule === rule.name || change.rule === ruleIdentity)
      .map((change) => change.at)
      .filter((at) => Number.isFinite(Date.parse(at)));
    if (times.length === 0) return rule;
    const latest = times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
    return { ...rule, changedDateTime: latest };
  });
}
