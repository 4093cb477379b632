import type { Actor, IncidentView, StepView } from '../../remediation/contract';
import type { Strings } from '../i18n';
import { undoStringsFor } from '../i18n/undo';
import {
  actionText,
  errorText,
  findingReasons,
  findingTitle,
  localeOf,
  manualGuidanceText,
  remedyText,
  stepSummaryText,
} from '../../i18n/findings';
import type { Locale } from '../../i18n/findings';
import { incidentCardVersion, stepCardVersion } from './cardVersion';
import type {
  IncidentCardData,
  SecretCardData,
  StepCardData,
  StepCardFinding,
  SummaryCardData,
} from './templates';

/** What every card needs to know about where it is shown. */
export interface CardContext {
  strings: Strings;
  /** Running against the simulated tenant: every card carries the banner. */
  simulated: boolean;
  fourEyes: boolean;
  /** BCP 47 tag for dates and numbers. */
  localeTag: string;
}

export const FINDING_INPUT_PREFIX = 'finding:';

function banner(context: CardContext): string {
  return context.simulated ? context.strings.simulatedBanner : '';
}

function actorName(actor: Actor | undefined): string {
  return actor?.displayName ?? '';
}

function formatDuration(startedAt: string | undefined, finishedAt: string | undefined): string {
  if (!startedAt || !finishedAt) return '';
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A step's state in words; an undone step never reads "Done", an asked-for undo says who waits. */
export function stepStatusText(step: StepView, strings: Strings, localeTag?: string): string {
  const status = strings.stepStatus[step.status];
  if (step.status !== 'done') return status;
  const undo = undoStringsFor(localeTag);
  if (step.undoStatus === 'done' && step.undoneBy) return undo.undone(step.undoneBy.displayName);
  const verification = step.verified ? strings.cardLabels.verified : strings.cardLabels.notVerified;
  const done = `${status} (${verification})`;
  if (step.undoStatus === 'requested' && step.undoRequestedBy) {
    return `${done} · ${undo.undoRequested(step.undoRequestedBy.displayName)}`;
  }
  if (step.undoStatus === 'running') return `${done} · ${undo.undoRunning}`;
  if (step.undoStatus === 'failed') return `${done} · ${undo.undoFailed}`;
  return done;
}

const isTerminal = (step: StepView) => step.status === 'done' || step.status === 'skipped';

export function buildIncidentCard(
  incident: IncidentView,
  context: CardContext,
  notice = '',
): IncidentCardData {
  const { strings } = context;
  const labels = strings.cardLabels;
  const target = incident.target;
  const accountStatus = [
    target.accountEnabled ? labels.enabled : labels.disabled,
    ...(target.onPremisesSyncEnabled ? [labels.synced] : []),
  ].join(' · ');
  const approvals = incident.approvals.map((approval) => approval.actor.displayName).join(', ');
  const open = incident.status === 'open';
  return {
    banner: banner(context),
    labels,
    title: `${labels.compromisedAccount}: ${target.displayName}`,
    incidentLine: `${labels.incident} ${incident.id}`,
    facts: [
      { title: labels.compromisedAccount, value: `${target.displayName} (${target.userPrincipalName})` },
      { title: labels.accountStatus, value: accountStatus },
      { title: labels.requestedBy, value: incident.requester.displayName },
      ...(approvals ? [{ title: labels.approvedBy, value: approvals }] : []),
      { title: labels.status, value: strings.incidentStatus[incident.status] },
    ],
    fourEyesNote: context.fourEyes ? strings.fourEyesOn : strings.fourEyesRelaxed,
    stepsHeading: labels.steps,
    steps: incident.steps.map((step) => ({
      title: strings.stepTitles[step.id],
      value: `${stepStatusText(step, strings, context.localeTag)}${step.findings.length > 0 ? ` · ${strings.findingCount(step.findings.length)}` : ''}`,
    })),
    notice,
    canApproveIncident: incident.status === 'awaiting-approval',
    canApproveAll: open && incident.steps.some((step) => step.status === 'pending'),
    canCancel: incident.status === 'awaiting-approval' || open,
    ref: { i: incident.id, v: incidentCardVersion(incident) },
  };
}

function findingDetails(suspicion: string, context: CardContext): string {
  return `${context.strings.cardLabels.suspicion}: ${suspicion}`;
}

/**
 * Before approval the planned actions follow the default selection, not the toggles the responder
 * may have changed on their screen, so they are labelled as a proposal. After approval the engine
 * re-plans from the chosen findings: the results say what really happened. While the step runs
 * nothing is listed, because the re-planned actions are not known here yet.
 */
function changeList(
  step: StepView,
  selectable: boolean,
  strings: Strings,
  locale: Locale,
): Pick<StepCardData, 'changes' | 'changesHeading'> {
  const labels = strings.cardLabels;
  if (step.status === 'pending') {
    return {
      changesHeading: selectable ? labels.proposedChanges : labels.whatWillChange,
      changes: step.actions.map((action) => ({ text: actionText(action, locale) })),
    };
  }
  if (step.status !== 'done' && step.status !== 'failed') return { changesHeading: '', changes: [] };
  const descriptions = new Map(step.actions.map((action) => [action.id, actionText(action, locale)]));
  return {
    changesHeading: labels.whatChanged,
    changes: step.results.map((result) => {
      const what = descriptions.get(result.actionId) ?? result.actionId;
      const why = result.outcome === 'failed' && result.error ? ` (${errorText(result.error, locale)})` : '';
      return { text: `${strings.resultOutcome[result.outcome]}: ${what}${why}` };
    }),
  };
}

export function buildStepCard(
  incident: IncidentView,
  step: StepView,
  context: CardContext,
  notice = '',
): StepCardData {
  const { strings } = context;
  const locale = localeOf(context.localeTag);
  const labels = strings.cardLabels;
  // A step can be approved by a second responder before the incident is (the engine applies the
  // same policy), so approving the incident does not have to rewrite every step card.
  const incidentOpen = incident.status === 'open' || incident.status === 'awaiting-approval';
  const pending = step.status === 'pending';
  const selectable = incidentOpen && pending && !step.nothingToDo && step.findings.length > 1;
  const findings: StepCardFinding[] = step.findings.map((finding) => ({
    inputId: `${FINDING_INPUT_PREFIX}${finding.id}`,
    title: findingTitle(finding, locale),
    details: findingDetails(strings.suspicion[finding.suspicion], context),
    // One list item per reason: each is tenant text, made inert on its own, so none can add lines.
    reasons: findingReasons(finding, locale).map((reason) => ({ text: reason })),
    selected: finding.selectedByDefault ? 'true' : 'false',
  }));
  const undo = undoStringsFor(context.localeTag);
  const undoAsked = step.undoStatus === 'requested';
  const undone = step.undoStatus === 'done';
  const who = [
    step.approvedBy ? `${labels.approvedBy}: ${step.approvedBy.displayName}` : '',
    step.skippedBy ? `${labels.skippedBy}: ${step.skippedBy.displayName}` : '',
    step.undoRequestedBy ? `${undo.undoRequestedBy}: ${step.undoRequestedBy.displayName}` : '',
    step.undoneBy && !undoAsked ? `${undo.undoneBy}: ${step.undoneBy.displayName}` : '',
  ]
    .filter((part) => part !== '')
    .join(' · ');
  const statusColor: StepCardData['statusColor'] =
    undone || undoAsked
      ? 'Warning'
      : step.status === 'done'
        ? 'Good'
        : step.status === 'failed'
          ? 'Attention'
          : step.status === 'running'
            ? 'Accent'
            : 'Default';
  const canAct = incidentOpen && pending;
  return {
    banner: banner(context),
    labels,
    title: strings.stepTitles[step.id],
    summary: stepSummaryText(step, locale),
    statusLine: `${labels.status}: ${stepStatusText(step, strings, context.localeTag)}`,
    statusColor,
    selectable,
    findings,
    ...changeList(step, selectable, strings, locale),
    nothingToDo: step.nothingToDo ? labels.nothingToDo : '',
    manualGuidance: manualGuidanceText(step, locale),
    offerCredentialKind: canAct && step.id === 'reset-password' && !step.manualGuidance,
    errorMessage: step.status === 'failed' && step.error ? errorText(step.error, locale) : '',
    errorRemedy: step.status === 'failed' && step.error ? remedyText(step.error, locale) : '',
    who,
    notice,
    canApprove: canAct,
    canSkip: canAct || (incidentOpen && step.status === 'failed'),
    canRetry: incidentOpen && step.status === 'failed',
    canUndo: step.undoable,
    undoTitle: undoAsked
      ? step.id === 'admin-roles'
        ? undo.approveRestore
        : undo.approveUndo
      : step.id === 'admin-roles'
        ? labels.restoreRoles
        : labels.undo,
    ref: { i: incident.id, s: step.id, v: stepCardVersion(step) },
  };
}

/** The card shown while a step runs, before the engine answers. */
export function runningView(step: StepView): StepView {
  return { ...step, status: 'running' };
}

export function buildSummaryCard(incident: IncidentView, context: CardContext): SummaryCardData {
  const { strings } = context;
  return {
    banner: banner(context),
    labels: strings.cardLabels,
    title: `${strings.cardLabels.summaryTitle}: ${incident.target.displayName}`,
    subtitle: `${strings.cardLabels.incident} ${incident.id} · ${strings.incidentStatus[incident.status]}`,
    rows: incident.steps.map((step) => ({
      title: strings.stepTitles[step.id],
      outcome: stepStatusText(step, strings, context.localeTag),
      who: actorName(step.approvedBy ?? step.skippedBy),
      duration: formatDuration(step.startedAt, step.finishedAt),
    })),
  };
}

export function buildSecretCard(
  ref: { incidentId: string; stepId: string },
  targetName: string,
  secret: { kind: 'password' | 'temporaryAccessPass'; value: string; expiresAt?: string } | undefined,
  context: CardContext,
): SecretCardData {
  const labels = context.strings.cardLabels;
  const kindLabel = secret?.kind === 'temporaryAccessPass' ? labels.temporaryAccessPass : labels.password;
  return {
    banner: banner(context),
    labels,
    title: labels.secretTitle,
    forWhom: secret ? `${targetName}: ${kindLabel}` : targetName,
    value: secret?.value ?? '',
    expires: secret?.expiresAt
      ? `${labels.expires}: ${new Date(secret.expiresAt).toLocaleString(context.localeTag)}`
      : '',
    note: secret ? labels.secretNote : labels.secretHidden,
    canHide: secret !== undefined,
    ref: { i: ref.incidentId, s: ref.stepId },
  };
}

export { isTerminal };
