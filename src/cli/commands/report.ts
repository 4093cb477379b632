import { PolicyError } from '../../remediation';
import { write } from '../session';
import type { CliSession, GlobalOptions } from '../session';

/** `remediator report <incident>`: a Markdown report, or the audit log as JSON lines with --audit. */
export async function report(
  session: CliSession,
  incidentId: string,
  options: GlobalOptions & { audit?: boolean },
): Promise<number> {
  return session.withEnvironment(options, async ({ engine }) => {
    const incident = await engine.getIncident(incidentId);
    if (!incident) throw new PolicyError('UnknownIncident', `No incident ${incidentId}.`);
    write(
      session.io.stdout,
      options.audit ? await engine.exportAudit(incidentId) : await engine.report(incidentId),
    );
    return 0;
  });
}
