import type { StoredAuditEvent } from './storage';
import { inertText as t } from './inertText';
import type { IncidentView } from './contract';
import type { Locale } from '../i18n/findings';
import {
  actionText,
  errorText,
  findingReasons,
  findingTitle,
  manualGuidanceText,
  remedyText,
  renderMessage,
  stepSummaryText,
  stepTitleText,
} from '../i18n/findings';
import { message } from '../i18n/message';
import type { MessageParam } from '../i18n/message';

/**
 * A readable Markdown report of one incident and its audit trail. Holds no secret by construction.
 * Every value from the tenant, a message or an error (`t`) is made inert: the report is shown in
 * Teams as Markdown, so a rule name must not become a link or a heading there. Everything but the
 * audit trail's event names (stable identifiers) is in the reader's locale.
 */
export function renderIncidentReport(
  incident: IncidentView,
  audit: StoredAuditEvent[],
  locale: Locale = 'en',
): string {
  const say = (code: string, params?: Record<string, MessageParam>) =>
    renderMessage(message(code, params), locale);
  const status = (value: string) => say('report.status', { status: value });
  const lines: string[] = [];
  const { target } = incident;
  lines.push(
    `# ${say('report.title', { id: incident.id, who: `${t(target.displayName)} (${t(target.userPrincipalName)})` })}`,
  );
  lines.push('');
  lines.push(
    `- ${say('report.statusLine', { status: message('report.status', { status: incident.status }) })}`,
  );
  lines.push(
    `- ${say('report.opened', { at: incident.createdAt, by: t(incident.requester.displayName), origin: incident.origin.kind })}`,
  );
  lines.push(
    `- ${say('report.approvals', { list: incident.approvals.map((a) => say('report.approvalAt', { who: t(a.actor.displayName), at: a.at })).join('; ') })}`,
  );
  lines.push(`- ${say('report.lastChange', { at: incident.updatedAt })}`);
  for (const step of incident.steps) {
    lines.push('');
    const verified = step.verified && step.status === 'done' ? ` (${say('report.verified')})` : '';
    lines.push(`## ${t(stepTitleText(step, locale))} — ${status(step.status)}${verified}`);
    lines.push(t(stepSummaryText(step, locale)));
    const manual = manualGuidanceText(step, locale);
    if (manual) lines.push('', say('report.manual', { text: t(manual) }));
    if (step.nothingToDo && step.findings.length === 0) lines.push('', say('report.nothingToDo'));
    for (const finding of step.findings) {
      lines.push(
        `- [${say('report.suspicion', { level: finding.suspicion })}] ${t(findingTitle(finding, locale))}: ${findingReasons(finding, locale).map(t).join('; ')}`,
      );
    }
    if (step.approvedBy) lines.push(`- ${say('report.approvedBy', { who: t(step.approvedBy.displayName) })}`);
    if (step.skippedBy) lines.push(`- ${say('report.skippedBy', { who: t(step.skippedBy.displayName) })}`);
    for (const result of step.results) {
      const action = step.actions.find((candidate) => candidate.id === result.actionId);
      const ids = result.requestIds.length ? ` [${say('report.request', { ids: result.requestIds })}]` : '';
      const checked = result.verified ? `, ${say('report.verified')}` : '';
      lines.push(
        `- ${status(result.outcome)}${checked}: ${t(action ? actionText(action, locale) : result.actionId)}${ids}${result.error ? ` — ${t(errorText(result.error, locale))}` : ''}`,
      );
    }
    if (step.error) {
      lines.push(
        `- ${say('report.error', { message: t(errorText(step.error, locale)), remedy: t(remedyText(step.error, locale)) })}`,
      );
    }
    if (step.undoneBy) lines.push(`- ${say('report.undoneBy', { who: t(step.undoneBy.displayName) })}`);
  }
  lines.push('', `## ${say('report.auditTrail')}`);
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
