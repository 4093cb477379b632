import { renderIncidentLine } from '../render';
import { write } from '../session';
import type { CliSession, GlobalOptions } from '../session';

/** `remediator history <upn>`: a user's incidents, newest last. */
export async function history(
  session: CliSession,
  user: string,
  options: GlobalOptions & { json?: boolean },
): Promise<number> {
  return session.withEnvironment(options, async ({ engine }) => {
    const incidents = await engine.history(user);
    if (options.json) write(session.io.stdout, JSON.stringify(incidents, null, 2));
    else if (incidents.length === 0) write(session.io.stdout, `No incidents for ${user}.`);
    else for (const incident of incidents) write(session.io.stdout, renderIncidentLine(incident));
    return 0;
  });
}
