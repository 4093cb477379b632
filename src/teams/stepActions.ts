import { PolicyError } from '../remediation/contract';
import type {
  ApproveStepOptions,
  IncidentView,
  StepId,
  StepOutcome,
  StepView,
} from '../remediation/contract';
import { credentialReachable, incidentOf, isStale, refusalText, stepIdOf, stepOf } from './actionContext';
import type { ActionContext, ActionData, ActionDeps } from './actionContext';
import { answerWithin } from './background';
import { FINDING_INPUT_PREFIX } from './cards/builders';
import { stepCardVersion } from './cards/cardVersion';
import type { AdaptiveCard } from './cards/templates';

/** Finding ids the responder left switched on (Input.Toggle values arrive as "true"/"false"). */
export function selectedFindingIds(data: ActionData): string[] | undefined {
  const toggles = Object.entries(data).filter(([key]) => key.startsWith(FINDING_INPUT_PREFIX));
  if (toggles.length === 0) return undefined;
  return toggles
    .filter(([, value]) => value === 'true' || value === true)
    .map(([key]) => key.slice(FINDING_INPUT_PREFIX.length));
}

function answer(
  deps: ActionDeps,
  context: ActionContext,
  incident: IncidentView,
  step: StepView,
  notice = '',
): AdaptiveCard {
  return deps.presenter.stepCard(incident, step, context.locale, notice, context.refreshFor);
}

/** A step-card click: refused on a stale card; a policy refusal becomes a notice on the current card. */
async function guarded(
  deps: ActionDeps,
  context: ActionContext,
  work: (current: IncidentView, step: StepView) => Promise<AdaptiveCard>,
): Promise<AdaptiveCard> {
  const stepId = stepIdOf(context);
  const current = incidentOf(context);
  const step = stepOf(current, stepId);
  if (isStale(context, stepCardVersion(step), deps.requireCardVersion)) {
    return answer(deps, context, current, step, context.strings.staleCard);
  }
  try {
    return await work(current, step);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const latest = (await deps.engine.getIncident(current.id)) ?? current;
    return answer(deps, context, latest, stepOf(latest, stepId), refusalText(error, context.locale));
  }
}

/** Approve or retry: answered within the deadline; a slow step is shown running to everyone. */
export function runStep(deps: ActionDeps, context: ActionContext, mode: 'approve' | 'retry') {
  const { engine, presenter } = deps;
  return guarded(deps, context, async (current, step) => {
    const stepId: StepId = step.id;
    const options: ApproveStepOptions = {};
    const selected = selectedFindingIds(context.data);
    if (selected) options.selectedFindingIds = selected;
    if (context.data.credentialKind) options.credentialKind = context.data.credentialKind;
    const { approver, clickedIn } = context;
    if (
      stepId === 'reset-password' &&
      !(await credentialReachable(deps, context, { incidentId: current.id }))
    ) {
      return answer(deps, context, current, step, context.strings.credentialUnreachable(approver.name));
    }
    const work: Promise<StepOutcome> =
      mode === 'approve'
        ? engine.approveStep(current.id, stepId, context.actor, options)
        : engine.retryStep(current.id, stepId, context.actor);
    const answered = await answerWithin(deps.background, work, deps.fastAnswerMs, async (settlement) => {
      const finished = await settlement;
      // A refusal within the deadline is shown on the clicked card and changed nothing.
      if (finished === 'rejected') return;
      let latest: IncidentView | undefined;
      try {
        // Slow step: everyone in the chat sees it running, not only the one who clicked.
        if (finished === 'pending') await presenter.showRunning(current, step);
        const outcome = await work;
        latest = outcome.incident;
        if (outcome.secret) {
          await presenter.deliverSecret(outcome.incident, stepId, outcome.secret, approver, clickedIn);
        }
      } finally {
        // Even when the engine threw, the cards must leave "running" and show what is true.
        await presenter.refresh(latest ?? current.id);
      }
    });
    if (answered.settled === 'fulfilled') {
      return answer(deps, context, answered.value.incident, answered.value.step);
    }
    return answer(deps, context, current, { ...step, status: 'running' });
  });
}

/** A step-card click that finishes within the turn: the change, then every card shows the engine's view. */
function changeStep(
  deps: ActionDeps,
  context: ActionContext,
  change: (incidentId: string, step: StepView) => Promise<StepOutcome>,
): Promise<AdaptiveCard> {
  return guarded(deps, context, async (current, step) => {
    const outcome = await change(current.id, step);
    deps.background.run(async () => void (await deps.presenter.refresh(outcome.incident)));
    return answer(deps, context, outcome.incident, outcome.step);
  });
}

export const skipStep = (deps: ActionDeps, context: ActionContext) =>
  changeStep(deps, context, (id, step) => deps.engine.skipStep(id, step.id, context.actor));

/** Under four-eyes the first click asks for the undo and a second responder's click approves it. */
export const undoStep = (deps: ActionDeps, context: ActionContext) =>
  changeStep(deps, context, async (id, before) => {
    const outcome = await deps.engine.undoStep(id, before.id, context.actor);
    const { undoNotices } = deps;
    if (undoNotices) deps.background.run(() => undoNotices.announce(before, outcome));
    return outcome;
  });
