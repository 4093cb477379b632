import type { InboxRule, InboxRuleDefinition } from '../../m365/types';
import type { Finding } from '../contract';
import type { ActionRecord } from '../storage';
import { m365Code } from '../errors';
import { scoreInboxRule } from '../rules/scoreInboxRule';
import { inboxRuleSchema, toJson } from './payloads';
import type { StepContext, StepModule } from './types';

const SUSPICION_ORDER = { high: 0, medium: 1, low: 2, none: 3 } as const;

async function listRules(ctx: StepContext, source: InboxRule['source']): Promise<InboxRule[]> {
  if (source === 'exchange') {
    return ctx.services.exchange.listInboxRules(ctx.target.userPrincipalName, { includeHidden: true });
  }
  return ctx.services.mailRules.listInboxRules(ctx.target.id);
}

function definitionOf(rule: InboxRule): InboxRuleDefinition {
  return {
    name: rule.name,
    enabled: rule.enabled,
    priority: rule.priority,
    conditions: rule.conditions,
    actions: rule.actions,
  };
}

function ruleLabel(rule: InboxRule): string {
  return rule.name.trim() === '' ? '(no name)' : `'${rule.name}'`;
}

/** Step 5: inbox rules, hidden ones included (Exchange Get-InboxRule -IncludeHidden). */
export const inboxRules: StepModule = {
  id: 'inbox-rules',
  title: 'Remove suspicious inbox rules',
  summary:
    'Attackers add rules that forward, hide or delete mail so the victim never sees replies or warnings.',
  manualSteps:
    'Run Get-InboxRule -Mailbox <user> -IncludeHidden in Exchange Online PowerShell and remove suspicious rules with Remove-InboxRule.',
  undoable: true,
  concurrentActions: true,

  async discover(ctx) {
    let rules: InboxRule[];
    const findings: Finding[] = [];
    try {
      rules = await listRules(ctx, 'exchange');
    } catch (error) {
      // Exchange is the only complete list; Graph still shows the visible rules.
      if (m365Code(error) === undefined) throw error;
      rules = await listRules(ctx, 'graph');
      findings.push({
        id: 'hidden-rules-unchecked',
        title: 'Hidden rules could not be checked',
        reasons: [
          `Exchange Online could not be asked (${m365Code(error) ?? 'error'}), and Graph never lists hidden rules: run Get-InboxRule -Mailbox ${ctx.target.userPrincipalName} -IncludeHidden by hand.`,
        ],
        suspicion: 'medium',
        selectedByDefault: false,
      });
    }
    const scored = rules
      .map((rule) => ({ rule, score: scoreInboxRule(rule, { tenantDomains: ctx.tenantDomains }) }))
      .sort((a, b) => SUSPICION_ORDER[a.score.suspicion] - SUSPICION_ORDER[b.score.suspicion]);
    const candidates: ActionRecord[] = [];
    scored.forEach(({ rule, score }, index) => {
      const findingId = `rule-${index + 1}`;
      findings.push({
        id: findingId,
        title: `${rule.hidden ? 'Hidden rule' : 'Rule'} ${ruleLabel(rule)}`,
        reasons: score.reasons,
        suspicion: score.suspicion,
        selectedByDefault: score.suspicion === 'high' || score.suspicion === 'medium',
      });
      candidates.push({
        id: `delete-${findingId}`,
        findingId,
        kind: 'delete-inbox-rule',
        description: `Delete the ${rule.hidden ? 'hidden ' : ''}inbox rule ${ruleLabel(rule)}.`,
        payload: { rule: toJson(rule) },
      });
    });
    return { findings, candidates };
  },

  async execute(ctx, action) {
    const rule = ruleOf(action);
    const result =
      rule.source === 'exchange'
        ? await ctx.services.exchange.removeInboxRule(ctx.target.userPrincipalName, rule.id)
        : await ctx.services.mailRules.deleteInboxRule(ctx.target.id, rule.id);
    return { requestIds: [result.requestId] };
  },

  async verify(ctx, action) {
    const rule = ruleOf(action);
    const rules = await listRules(ctx, rule.source);
    return rules.some((candidate) => candidate.id === rule.id) ? 'missing' : 'applied';
  },

  async undo(ctx, action) {
    // Re-created through Exchange New-InboxRule: Graph cannot create hidden rules, and the rule gets a new id.
    const rule = ruleOf(action);
    const created = await ctx.services.exchange.createInboxRule(
      ctx.target.userPrincipalName,
      definitionOf(rule),
    );
    return { requestIds: [created.requestId] };
  },

  async verifyUndo(ctx, action) {
    const rule = ruleOf(action);
    const rules = await listRules(ctx, 'exchange');
    return rules.some((candidate) => candidate.name === rule.name) ? 'applied' : 'missing';
  },
};

function ruleOf(action: ActionRecord): InboxRule {
  const payload = action.payload;
  const raw =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload.rule : undefined;
  return inboxRuleSchema.parse(raw);
}
