import type { InboxRule, InboxRuleDefinition, WellKnownFolder } from '../../m365/types';
import { HIDING_WELL_KNOWN_FOLDERS, identityFromPath } from '../../m365/mailRulesClient';
import { message } from '../../i18n/message';
import type { Finding } from '../contract';
import type { ActionRecord } from '../storage';
import { m365Code } from '../errors';
import { folderPath } from '../rules/folders';
import { compromiseWindowFrom, withChangeTimes } from '../rules/compromiseWindow';
import { scoreInboxRule } from '../rules/scoreInboxRule';
import type { CompromiseWindow } from '../rules/scoreInboxRule';
import { SIGN_INS_TO_READ } from './signInEvidence';
import { inboxRuleSchema, toJson } from './payloads';
import { described, finding, stepTexts } from './text';
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
    ...(rule.exceptions ? { exceptions: rule.exceptions } : {}),
    actions: rule.actions,
  };
}

/**
 * The tenant's accepted domains (Graph GET /domains) on top of the ones configured: forwarding to
 * the tenant's second domain or its onmicrosoft.com domain is inside. Without Domain.Read.All the
 * configured domains stand alone.
 */
async function tenantDomainsOf(ctx: StepContext): Promise<string[]> {
  try {
    const accepted = await ctx.services.mailRules.listTenantDomains();
    return [...new Set([...ctx.tenantDomains, ...accepted])];
  } catch (error) {
    if (m365Code(error) === undefined) throw error;
    return ctx.tenantDomains;
  }
}

/**
 * The default folders rules hide mail in, read beside the Exchange listing (not after it, so
 * discovery keeps its round trips). Unreadable: folder names are judged alone.
 */
async function hidingFolders(ctx: StepContext): Promise<WellKnownFolder[]> {
  try {
    return await ctx.services.mailRules.listWellKnownFolders(ctx.target.id, HIDING_WELL_KNOWN_FOLDERS);
  } catch (error) {
    if (m365Code(error) === undefined) throw error;
    return [];
  }
}

/**
 * The compromise window from the sign-ins the sign-in evidence step reads too (the same request:
 * same user, same count, coalesced). Without the sign-in log (no Entra ID P1/P2, AuditLog.Read.All
 * withheld) there is no window and rules are judged on what they do alone.
 */
async function compromiseWindowOf(ctx: StepContext): Promise<CompromiseWindow | undefined> {
  try {
    return compromiseWindowFrom(
      await ctx.services.signIns.listRecentSignIns(ctx.target.id, SIGN_INS_TO_READ),
    );
  } catch (error) {
    if (m365Code(error) === undefined) throw error;
    return undefined;
  }
}

/**
 * When each rule was created or last changed inside the window, from the unified audit log.
 * Read only when there is a window; without the audit role the rules keep no time.
 */
async function withAuditedTimes(
  ctx: StepContext,
  rules: InboxRule[],
  window: CompromiseWindow | undefined,
): Promise<InboxRule[]> {
  if (window === undefined || rules.length === 0) return rules;
  try {
    const changes = await ctx.services.exchange.listInboxRuleChanges(ctx.target.userPrincipalName, {
      start: window.start,
      end: window.end ?? ctx.now().toISOString(),
    });
    return withChangeTimes(rules, changes);
  } catch (error) {
    if (m365Code(error) === undefined) throw error;
    return rules;
  }
}

/**
 * Exchange names target folders by path in the mailbox's language; the mailbox's well-known
 * folders (read through Graph, display names in that language) give each path its identity.
 */
function withFolderIdentities(rules: InboxRule[], wellKnown: WellKnownFolder[]): InboxRule[] {
  if (wellKnown.length === 0) return rules;
  return rules.map((rule) => {
    if (rule.source !== 'exchange') return rule;
    const { moveToFolder, copyToFolder } = rule.actions;
    return {
      ...rule,
      actions: {
        ...rule.actions,
        ...(moveToFolder !== undefined && !rule.actions.moveToFolderIdentity
          ? { moveToFolderIdentity: identityFromPath(folderPath(moveToFolder), wellKnown) }
          : {}),
        ...(copyToFolder !== undefined && !rule.actions.copyToFolderIdentity
          ? { copyToFolderIdentity: identityFromPath(folderPath(copyToFolder), wellKnown) }
          : {}),
      },
    };
  });
}

/** Step 5: inbox rules, hidden ones included (Exchange Get-InboxRule -IncludeHidden). */
export const inboxRules: StepModule = {
  id: 'inbox-rules',
  ...stepTexts('inbox-rules'),
  undoable: true,
  concurrentActions: true,

  async discover(ctx) {
    let rules: InboxRule[];
    const findings: Finding[] = [];
    // Read beside the rule listing; a failed listing must not leave these rejecting unobserved.
    const beside = Promise.all([tenantDomainsOf(ctx), hidingFolders(ctx), compromiseWindowOf(ctx)]);
    beside.catch(() => undefined);
    try {
      rules = await listRules(ctx, 'exchange');
    } catch (error) {
      // Exchange is the only complete list; Graph still shows the visible rules.
      if (m365Code(error) === undefined) throw error;
      rules = await listRules(ctx, 'graph');
      const title = message('inboxRules.findingHiddenUnchecked');
      const reason = message('inboxRules.exchangeUnavailable', {
        code: m365Code(error) ?? 'error',
        mailbox: ctx.target.userPrincipalName,
      });
      findings.push(
        finding({ id: 'hidden-rules-unchecked', suspicion: 'medium', selectedByDefault: false }, title, [
          reason,
        ]),
      );
    }
    const [tenantDomains, wellKnown, compromiseWindow] = await beside;
    const context = { tenantDomains, ...(compromiseWindow ? { compromiseWindow } : {}) };
    const timed = await withAuditedTimes(ctx, rules, compromiseWindow);
    const scored = withFolderIdentities(timed, wellKnown)
      .map((rule) => ({ rule, score: scoreInboxRule(rule, context) }))
      .sort((a, b) => SUSPICION_ORDER[a.score.suspicion] - SUSPICION_ORDER[b.score.suspicion]);
    const candidates: ActionRecord[] = [];
    scored.forEach(({ rule, score }, index) => {
      const findingId = `rule-${index + 1}`;
      const label = { name: rule.name, hidden: rule.hidden ? 1 : 0 };
      const title = message('inboxRules.findingRule', label);
      const description = message('inboxRules.deleteRule', label);
      findings.push(
        finding(
          {
            id: findingId,
            suspicion: score.suspicion,
            // Exchange's own rules are never proposed for deletion, whatever they score.
            selectedByDefault:
              !score.systemRule && (score.suspicion === 'high' || score.suspicion === 'medium'),
          },
          title,
          score.reasons,
        ),
      );
      candidates.push({
        id: `delete-${findingId}`,
        findingId,
        kind: 'delete-inbox-rule',
        ...described(description),
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
