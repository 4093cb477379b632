import type { GroupProgress, StepStatus } from '../../remediation/contract';
import type { GroupMember } from '../cardRegistry';
import type { CardContext } from './builders';
import { errorText, localeOf } from '../../i18n/findings';
import { groupCardVersion } from './cardVersion';
import type { GroupCardData } from './templates';

/** Teams refuses cards over ~28 KB: a wave of 500 users is listed in part; counts cover all. */
export const GROUP_CARD_MAX_USERS = 25;
export const GROUP_CARD_MAX_FAILURES = 15;

const COUNT_ORDER: readonly StepStatus[] = ['done', 'running', 'approved', 'pending', 'skipped', 'failed'];

export interface GroupCardState {
  members: GroupMember[];
  requesterName: string;
  /** The group approval is running: no button, a progress note instead. */
  running: boolean;
  notice?: string;
  /** Teams ids of the responders the card refreshes for (`refresh.userIds`). */
  refreshUserIds?: string[];
}

export function buildGroupCard(
  progress: GroupProgress,
  state: GroupCardState,
  context: CardContext,
): GroupCardData {
  const { strings } = context;
  const labels = strings.cardLabels;
  const byStatus = progress.incidentsByStatus;
  const names = new Map(state.members.map((member) => [member.userPrincipalName.toLowerCase(), member]));
  const failed = progress.failures.map((failure) => {
    const who = names.get(failure.target.toLowerCase())?.displayName ?? failure.target;
    const why = errorText(failure, localeOf(context.localeTag));
    return { text: `${who} · ${strings.stepTitles[failure.stepId]}: ${why}` };
  });
  const waiting = byStatus['awaiting-approval'] + byStatus.open;
  const pendingSteps = progress.steps.some((step) => step.counts.pending > 0);
  const shown = state.members.slice(0, GROUP_CARD_MAX_USERS);
  const hiddenUsers = state.members.length - shown.length;
  const hiddenFailures = failed.length - Math.min(failed.length, GROUP_CARD_MAX_FAILURES);
  return {
    banner: context.simulated ? strings.simulatedBanner : '',
    labels,
    title: strings.groupTitle(progress.incidents),
    groupLine: strings.groupLine(byStatus.completed, progress.incidents),
    requestedBy: `${labels.requestedBy}: ${state.requesterName}`,
    fourEyesNote: context.fourEyes ? strings.fourEyesOn : strings.fourEyesRelaxed,
    users: shown.map((member) => ({ title: member.displayName, value: member.userPrincipalName })),
    moreUsers: hiddenUsers > 0 ? strings.groupMoreUsers(hiddenUsers) : '',
    steps: progress.steps.map((step) => ({
      title: strings.stepTitles[step.stepId],
      value: COUNT_ORDER.filter((status) => step.counts[status] > 0)
        .map((status) => `${step.counts[status]} ${strings.groupStepStatus[status]}`)
        .join(' · '),
    })),
    failures: failed.slice(0, GROUP_CARD_MAX_FAILURES),
    moreFailures: hiddenFailures > 0 ? strings.groupMoreFailures(hiddenFailures) : '',
    progressNote: state.running ? strings.groupRunning : '',
    notice: state.notice ?? '',
    canApproveGroup: !state.running && waiting > 0 && pendingSteps,
    detailChoices: shown.map((member) => ({
      title: `${member.displayName} (${member.userPrincipalName})`,
      value: member.incidentId,
    })),
    firstChoice: shown[0]?.incidentId ?? '',
    ref: { i: state.members[0]?.incidentId ?? '', v: groupCardVersion(progress) },
    ...(state.refreshUserIds ? { refreshUserIds: state.refreshUserIds } : {}),
  };
}
