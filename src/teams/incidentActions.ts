import { PolicyError } from '../remediation/contract';
import type { Actor, IncidentView, StepId, StepView } from '../remediation/contract';
import { credentialReachable, incidentOf, isStale, refusalText } from './actionContext';
import type { ActionContext, ActionDeps } from './actionContext';
import { answerWithin } from './background';
import { incidentCardVersion, stepCardVersion } from './cards/cardVersion';
import type { AdaptiveCard } from './cards/templates';
import { incidentChanges, whileRunning } from './progress';

/** The incident card, current, with an optional notice, for the one who clicked. */
function answer(deps: ActionDeps, context: ActionContext, incident: IncidentView, notice = ''): AdaptiveCard {
  return deps.presenter.incidentCard(incident, context.locale, notice, context.refreshFor);
}

/** Runs an engine call; a policy refusal becomes a notice on the current incident card, politely. */
async function guarded(
  deps: ActionDeps,
  context: ActionContext,
  work: (current: IncidentView) => Promise<AdaptiveCard>,
): Promise<AdaptiveCard> {
  const current = incidentOf(context);
  if (isStale(context, incidentCardVersion(current), deps.requireCardVersion)) {
    return answer(deps, context, current, context.strings.staleCard);
  }
  try {
    return await work(current);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    // The refusal changed nothing: the card read at the edge still shows the truth.
    return answer(
      deps,
      context,
      (await deps.engine.getIncident(current.id)) ?? current,
      refusalText(error, context.locale),
    );
  }
}

/** An incident-card click: the change, then every card of the incident shows the view the engine returned. */
function changeIncident(
  deps: ActionDeps,
  context: ActionContext,
  change: (incidentId: string, actor: Actor) => Promise<IncidentView>,
): Promise<AdaptiveCard> {
  return guarded(deps, context, async (current) => {
    const incident = await change(current.id, context.actor);
    deps.background.run(async () => void (await deps.presenter.refresh(incident)));
    return answer(deps, context, incident);
  });
}

export const approveIncident = (deps: ActionDeps, context: ActionContext) =>
  changeIncident(deps, context, (id, actor) => deps.engine.approveIncident(id, actor));

export const cancelIncident = (deps: ActionDeps, context: ActionContext) =>
  changeIncident(deps, context, (id, actor) => deps.engine.cancelIncident(id, actor));

/** "Approve all remaining": answered within the deadline; the step cards follow the run. */
export function approveAll(deps: ActionDeps, context: ActionContext): Promise<AdaptiveCard> {
  const { engine, presenter } = deps;
  return guarded(deps, context, async (current) => {
    const { approver, clickedIn } = context;
    const resetPending = current.steps.some(
      (step) => step.id === 'reset-password' && step.status === 'pending',
    );
    if (resetPending && !(await credentialReachable(deps, context, { incidentId: current.id }))) {
      return answer(deps, context, current, context.strings.credentialUnreachable(approver.name));
    }
    const work = engine.approveAllRemaining(current.id, context.actor);
    const followUp = async () => {
      let refused = false;
      try {
        await followSteps(deps, current, work);
        const result = await work.catch((error: unknown) => {
          // A refusal is answered on the clicked card; nothing to follow up.
          if (error instanceof PolicyError) {
            refused = true;
            return undefined;
          }
          throw error;
        });
        if (result?.secret) {
          const stepId: StepId = 'reset-password';
          await presenter.deliverSecret(result.incident, stepId, result.secret, approver, clickedIn);
        }
      } finally {
        // A refused click that changed nothing updates no card (a flood of refusals costs no
        // updates); a refusal part-way through (the last Global Administrator) still refreshes.
        if (!refused || (await changedSince(deps, current))) await presenter.refresh(current.id);
      }
    };
    const answered = await answerWithin(deps.background, work, deps.fastAnswerMs, followUp);
    if (answered.settled === 'fulfilled') return answer(deps, context, answered.value.incident);
    return answer(deps, context, current, context.strings.stepStatus.running);
  });
}

async function changedSince(deps: ActionDeps, before: IncidentView): Promise<boolean> {
  const now = await deps.engine.getIncident(before.id);
  if (!now) return false;
  const fingerprint = (incident: IncidentView) =>
    `${incidentCardVersion(incident)}|${incident.steps.map(stepCardVersion).join(',')}`;
  return fingerprint(now) !== fingerprint(before);
}

/**
 * While "Approve all remaining" runs, each step card is updated as its step changes state
 * (from the engine's change events), so responders see the steps finish one by one.
 */
async function followSteps(deps: ActionDeps, start: IncidentView, work: Promise<unknown>): Promise<void> {
  const { engine, presenter, logger } = deps;
  const fingerprint = (step: StepView) => `${step.status}.${step.results.length}`;
  const seen = new Map(start.steps.map((step) => [step.id, fingerprint(step)]));
  await whileRunning(
    work,
    incidentChanges(engine, start.id),
    async (latest) => {
      // A card changes once per finished step, not per tick: showing "approved" and "running"
      // on the way would cost two more writes per step.
      const changed = latest.steps.filter(
        (step) =>
          step.status !== 'running' && step.status !== 'approved' && seen.get(step.id) !== fingerprint(step),
      );
      if (changed.length === 0) return;
      for (const step of changed) seen.set(step.id, fingerprint(step));
      await presenter.refresh(
        latest,
        changed.map((step) => step.id),
        { incidentCard: false },
      );
    },
    (error) => logger.warn({ err: error, incidentId: start.id }, 'progress update failed'),
  );
}
