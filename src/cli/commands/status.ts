import { renderIncidentLine } from '../render';
import { write } from '../session';
import type { CliSession, GlobalOptions } from '../session';

/** `remediator status`: the open incidents. */
export async function status(
  session: CliSession,
  options: GlobalOptions & { json?: boolean },
): Promise<number> {
  return session.withEnvironment(options, async ({ engine }) => {
    const incidents = await engine.listOpenIncidents();
    if (options.json) write(session.io.stdout, JSON.stringify(incidents, null, 2));
    else if (incidents.length === 0) write(session.io.stdout, 'No open incidents.');
    else for (const incident of incidents) write(session.io.stdout, renderIncidentLine(incident));
    return 0;
  });
}
