import { isStepId, STEP_IDS } from '../../remediation';
import { UsageError } from '../environment';
import { renderMessage, stepTitleText } from '../../i18n/findings';
import { message } from '../../i18n/message';
import { cliLocale } from '../render';
import { write } from '../session';
import type { CliSession, GlobalOptions } from '../session';

/**
 * `remediator undo <incident> <step>`: restore what a completed step removed. Undo is remediation
 * too: under four-eyes `--as` asks and `--approver` (a second responder) approves.
 */
export async function undo(
  session: CliSession,
  incidentId: string,
  stepId: string,
  options: GlobalOptions & { json?: boolean; approver?: string },
): Promise<number> {
  if (!isStepId(stepId)) throw new UsageError(`Unknown step ${stepId}; steps are ${STEP_IDS.join(', ')}.`);
  return session.withEnvironment(options, async (environment) => {
    const { engine } = environment;
    const actor = await environment.resolveActor(options.as);
    const approver = options.approver ? await environment.resolveActor(options.approver) : undefined;
    // Asking again for an undo one already asked for would be approving it oneself: skip to the approver.
    const before = (await engine.getIncident(incidentId))?.steps.find((step) => step.id === stepId);
    const alreadyAsked = before?.undoStatus === 'requested' && before.undoRequestedBy?.id === actor.id;
    let outcome =
      alreadyAsked && approver
        ? await engine.undoStep(incidentId, stepId, approver)
        : await engine.undoStep(incidentId, stepId, actor);
    if (outcome.step.undoStatus === 'requested' && approver && !alreadyAsked) {
      outcome = await engine.undoStep(incidentId, stepId, approver);
    }
    const locale = cliLocale();
    const title = stepTitleText(outcome.step, locale);
    const say = (code: string, who: string | undefined) =>
      `${title}: ${renderMessage(message(code, { who: who ?? '-' }), locale)}`;
    if (options.json) write(session.io.stdout, JSON.stringify(outcome.step, null, 2));
    else if (outcome.step.undoStatus === 'requested')
      write(session.io.stderr, say('report.undoRequested', outcome.step.undoRequestedBy?.displayName));
    else write(session.io.stdout, say('report.undoneBy', outcome.step.undoneBy?.displayName));
    return outcome.step.undoStatus === 'done' ? 0 : 1;
  });
}
