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

export function renderIncident(incident: IncidentView, locale: Locale = cliLocale()): string {
  const say = (code: string, params?: Parameters<typeof message>[1]) =>
    renderMessage(message(code, params), locale);
  const who = `${incident.target.displayName} (${incident.target.userPrincipalName})`;
  const header = [
    `${say('report.title', { id: incident.id, who })} — ${say('report.status', { status: incident.status })}`,
    say('report.opened', {
      at: incident.createdAt,
      by: incident.requester.displayName,
      origin: incident.origin.kind,
    }),
  ];
  return [...header, ...incident.steps.map((step) => renderStep(step, locale))].join('\n');
}

export function renderIncidentLine(incident: IncidentView): string {
  const done = incident.steps.filter((step) => step.status === 'done' || step.status === 'skipped').length;
  return `${incident.id}  ${incident.status.padEnd(17)}  ${incident.target.userPrincipalName.padEnd(32)}  ${done}/${incident.steps.length} steps  ${incident.createdAt}`;
}

export function renderSecret(incident: IncidentView, secret: SecretDelivery): string {
  const text = renderMessage(
    message('cli.secret', {
      kind: secret.kind,
      name: incident.target.displayName,
      ...(secret.expiresAt ? { expires: secret.expiresAt } : {}),
    }),
    cliLocale(),
  );
  return `${text}:\n  ${secret.value}`;
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
