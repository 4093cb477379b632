import type { StoredAuditEvent } from './storage';
import { inertText as t } from './inertText';
import type { IncidentView } from './contract';
import type { Locale } from '../i18n/findings';
import { actionText, findingReasons, findingTitle, stepSummaryText } from '../i18n/findings';

const SUSPICION_MARK = { high: 'HIGH', medium: 'MEDIUM', low: 'low', none: '-' } as const;

/**
 * A readable Markdown report of one incident and its audit trail. Holds no secret by construction.
 * Every value from the tenant, a message or an error (`t`) is made inert: the report is shown in
 * Teams as Markdown, so a rule name must not become a link or a heading there. Findings, reasons,
 * summaries and planned changes are in the reader's locale.
 */
export function renderIncidentReport(
  incident: IncidentView,
  audit: StoredAuditEvent[],
  locale: Locale = 'en',
): string {
  const lines: string[] = [];
  const { target } = incident;
  lines.push(`# Incident ${incident.id}: ${t(target.displayName)} (${t(target.userPrincipalName)})`);
  lines.push('');
  lines.push(`- Status: ${incident.status}`);
  lines.push(
    `- Opened: ${incident.createdAt} by ${t(incident.requester.displayName)} (${incident.origin.kind})`,
  );
  lines.push(
    `- Approvals: ${incident.approvals.length ? incident.approvals.map((a) => `${t(a.actor.displayName)} at ${a.at}`).join('; ') : 'none'}`,
  );
  lines.push(`- Last change: ${incident.updatedAt}`);
  for (const step of incident.steps) {
    lines.push('');
    lines.push(
      `## ${t(step.title)} — ${step.status}${step.verified && step.status === 'done' ? ' (verified)' : ''}`,
    );
    lines.push(t(stepSummaryText(step, locale)));
    if (step.manualGuidance) lines.push('', `Manual: ${t(step.manualGuidance)}`);
    if (step.nothingToDo && step.findings.length === 0) lines.push('', 'Nothing to do.');
    for (const finding of step.findings) {
      lines.push(
        `- [${SUSPICION_MARK[finding.suspicion]}] ${t(findingTitle(finding, locale))}: ${findingReasons(finding, locale).map(t).join('; ')}`,
      );
    }
    if (step.approvedBy) lines.push(`- Approved by ${t(step.approvedBy.displayName)}`);
    if (step.skippedBy) lines.push(`- Skipped by ${t(step.skippedBy.displayName)}`);
    for (const result of step.results) {
      const action = step.actions.find((candidate) => candidate.id === result.actionId);
      const ids = result.requestIds.length ? ` [request ${result.requestIds.join(', ')}]` : '';
      lines.push(
        `- ${result.outcome}${result.verified ? ', verified' : ''}: ${t(action ? actionText(action, locale) : result.actionId)}${ids}${result.error ? ` — ${t(result.error.message)}` : ''}`,
      );
    }
    if (step.error) lines.push(`- Error: ${t(step.error.message)} Remedy: ${t(step.error.remedy)}`);
    if (step.undoneBy) lines.push(`- Undone by ${t(step.undoneBy.displayName)}`);
  }
  lines.push('', '## Audit trail');
  for (const event of audit) {
    const who = event.actor ? ` ${t(event.actor.displayName)}` : '';
    const where = [event.stepId, event.actionId].filter(Boolean).join('/');
    lines.push(
      `- ${event.at}${who}: ${event.event}${where ? ` (${where})` : ''} → ${event.outcome}${event.detail ? `: ${t(event.detail)}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function toJsonLines(events: StoredAuditEvent[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n') + (events.length ? '\n' : '');
}
