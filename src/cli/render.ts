import type {
  GroupProgress,
  IncidentView,
  SecretDelivery,
  StepStatus,
  StepView,
} from '../remediation/contract';
import type { Locale } from '../i18n/findings';
import {
  actionText,
  errorText,
  findingReasons,
  findingTitle,
  localeOf,
  manualGuidanceText,
  remedyText,
  renderMessage,
  stepSummaryText,
  stepTitleText,
} from '../i18n/findings';
import { message } from '../i18n/message';

const MARK = { high: '!!', medium: '! ', low: '. ', none: '  ' } as const;

/** The language findings are shown in: the process's default locale (from the POSIX locale settings). */
export function cliLocale(): Locale {
  return localeOf(new Intl.DateTimeFormat().resolvedOptions().locale);
}

export function renderStep(step: StepView, locale: Locale = cliLocale()): string {
  const say = (code: string, params?: Parameters<typeof message>[1]) =>
    renderMessage(message(code, params), locale);
  const status = (value: string) => say('report.status', { status: value });
  const verified = say('report.verified');
  const lines = [
    `== ${stepTitleText(step, locale)} [${status(step.status)}${step.status === 'done' && step.verified ? `, ${verified}` : ''}]`,
  ];
  lines.push(`   ${stepSummaryText(step, locale)}`);
  const manual = manualGuidanceText(step, locale);
  if (manual) lines.push(`   ${say('report.byHand', { text: manual })}`);
  if (step.nothingToDo && step.findings.length === 0) lines.push(`   ${say('report.nothingToDo')}`);
  for (const finding of step.findings) {
    lines.push(
      `   ${MARK[finding.suspicion]} ${finding.selectedByDefault ? '[x]' : '[ ]'} ${findingTitle(finding, locale)}`,
    );
    for (const reason of findingReasons(finding, locale)) lines.push(`          - ${reason}`);
  }
  if (step.status === 'pending' && step.actions.length > 0) {
    lines.push(`   ${say('report.proposed')}`);
    for (const action of step.actions) lines.push(`     * ${actionText(action, locale)}`);
  }
  for (const result of step.results) {
    const action = step.actions.find((candidate) => candidate.id === result.actionId);
    lines.push(
      `   -> ${status(result.outcome)}${result.verified ? ` (${verified})` : ''}: ${action ? actionText(action, locale) : result.actionId}${result.error ? ` — ${errorText(result.error, locale)}` : ''}`,
    );
  }
  if (step.error) {
    lines.push(
      `   ${say('report.errorLine', { message: errorText(step.error, locale) })}`,
      `   ${say('report.remedyLine', { remedy: remedyText(step.error, locale) })}`,
    );
  }
  return lines.join('\n');
}

export function renderIncident(incident: IncidentView): string {
  const header = [
    `Incident ${incident.id} — ${incident.target.displayName} (${incident.target.userPrincipalName}) — ${incident.status}`,
    `Opened ${incident.createdAt} by ${incident.requester.displayName}`,
  ];
  return [...header, ...incident.steps.map((step) => renderStep(step))].join('\n');
}

export function renderIncidentLine(incident: IncidentView): string {
  const done = incident.steps.filter((step) => step.status === 'done' || step.status === 'skipped').length;
  return `${incident.id}  ${incident.status.padEnd(17)}  ${incident.target.userPrincipalName.padEnd(32)}  ${done}/${incident.steps.length} steps  ${incident.createdAt}`;
}

export function renderSecret(incident: IncidentView, secret: SecretDelivery): string {
  const what = secret.kind === 'password' ? 'New password' : 'Temporary Access Pass';
  const expiry = secret.expiresAt ? ` (expires ${secret.expiresAt})` : '';
  return `${what} for ${incident.target.displayName}, shown once — give it to the user by phone or in person, never by email${expiry}:\n  ${secret.value}`;
}

/** One line of a mass incident's progress: counts, not cards. */
export function renderGroupProgress(progress: GroupProgress, elapsedMs: number): string {
  const sum = (status: StepStatus) => progress.steps.reduce((total, step) => total + step.counts[status], 0);
  return `[${(elapsedMs / 1000).toFixed(1)}s] ${progress.incidentsByStatus.completed}/${progress.incidents} users completed; steps: ${sum('done')} done, ${sum('running') + sum('approved')} running, ${sum('pending')} pending, ${sum('skipped')} skipped, ${sum('failed')} failed`;
}

/** Per step counts and the failures with their reasons, once the group is finished. */
export function renderGroupSummary(progress: GroupProgress): string {
  const lines = [`Group ${progress.groupId}: ${progress.incidents} incidents`];
  for (const step of progress.steps) {
    const { done, failed, pending, skipped } = step.counts;
    lines.push(
      `  ${step.title.padEnd(36)} done ${done}, failed ${failed}, pending ${pending}, skipped ${skipped}`,
    );
  }
  for (const failure of progress.failures) {
    lines.push(`  FAILED ${failure.target} ${failure.stepId}: ${failure.code} — ${failure.message}`);
  }
  return lines.join('\n');
}
