import { isStepId, STEP_IDS } from '../../remediation';
import { UsageError } from '../environment';
import { write } from '../session';
import type { CliSession, GlobalOptions } from '../session';

/** `remediator undo <incident> <step>`: restore what a completed step removed. */
export async function undo(
  session: CliSession,
  incidentId: string,
  stepId: string,
  options: GlobalOptions & { json?: boolean },
): Promise<number> {
  if (!isStepId(stepId)) throw new UsageError(`Unknown step ${stepId}; steps are ${STEP_IDS.join(', ')}.`);
  return session.withEnvironment(options, async (environment) => {
    const actor = await environment.resolveActor(options.as);
    const outcome = await environment.engine.undoStep(incidentId, stepId, actor);
    if (options.json) write(session.io.stdout, JSON.stringify(outcome.step, null, 2));
    else
      write(
        session.io.stdout,
        `${outcome.step.title}: undone by ${outcome.step.undoneBy?.displayName ?? 'nobody'}`,
      );
    return outcome.step.undoneBy ? 0 : 1;
  });
}
