import { PolicyError, STEP_IDS, summarizeGroup } from '../../remediation';
import { refusalText, stepTitleText } from '../../i18n/findings';
import type { Actor, IncidentView, OpenIncidentsResult, SecretDelivery, StepId } from '../../remediation';
import type { CliEnvironment } from '../environment';
import { UsageError } from '../environment';
import {
  cliLocale,
  renderGroupProgress,
  renderGroupSummary,
  renderIncident,
  renderSecret,
  renderStep,
} from '../render';
import { write } from '../session';
import type { CliIo, CliSession, GlobalOptions } from '../session';

export interface RemediateOptions extends GlobalOptions {
  steps?: StepId[];
  yes?: boolean;
  json?: boolean;
  approver?: string;
  credential: 'password' | 'tap';
  targetsFile?: string;
}

/** A mass incident prints a progress line at most this often. */
const GROUP_PROGRESS_GAP_MS = 1000;

/**
 * `remediator remediate`: open an incident per user, then approve steps (asking per step on a
 * terminal, or all with --yes); many users at once become one group with one approval.
 */
export async function remediate(
  session: CliSession,
  targets: string[],
  options: RemediateOptions,
): Promise<number> {
  const interactive = !options.yes;
  if (interactive && !session.io.stdin.isTTY) {
    throw new UsageError(
      'stdin is not a terminal, so Remediator cannot ask before each step: pass --yes to approve every proposed step.',
    );
  }
  return session.withEnvironment(options, async (environment) => {
    const { engine } = environment;
    const requester = await environment.resolveActor(options.as);
    const approver = options.approver ? await environment.resolveActor(options.approver) : requester;
    if (options.solo && !options.json) {
      write(session.io.stderr, 'Four-eyes relaxed by --solo: the requester approves their own remediation.');
    }
    const opened = await engine.openIncidents({ targets, requester, origin: { kind: 'cli' } });
    for (const refusal of opened.refused) {
      write(session.io.stderr, `Refused ${refusal.target}: ${refusal.message}`);
    }
    const chosen = options.steps ?? [...STEP_IDS];
    const secrets: { incident: IncidentView; secret: SecretDelivery }[] = [];
    const finished: IncidentView[] = [];
    const mustWait = environment.fourEyes && approver.id === requester.id;

    const groupMode =
      opened.incidents.length > 1 &&
      !interactive &&
      !mustWait &&
      !options.steps &&
      options.credential !== 'tap';
    if (groupMode) {
      const group = await remediateGroup(session, environment, opened, approver, options.json ?? false);
      finished.push(...group.finished);
      secrets.push(...group.secrets);
    }

    for (const incident of groupMode ? [] : opened.incidents) {
      if (!options.json) write(session.io.stdout, renderIncident(incident));
      if (mustWait) {
        write(
          session.io.stderr,
          `Incident ${incident.id} waits for a second responder (four-eyes): run again with --approver <upn>, or --solo to relax four-eyes.`,
        );
        finished.push(incident);
        continue;
      }
      for (const stepId of chosen) {
        const secret = await runStep(
          session,
          environment,
          incident.id,
          stepId,
          approver,
          options,
          interactive,
        );
        if (secret) secrets.push({ incident, secret });
      }
      const final = await engine.getIncident(incident.id);
      if (final) finished.push(final);
    }

    if (options.json) {
      write(
        session.io.stdout,
        JSON.stringify(
          {
            groupId: opened.groupId,
            incidents: finished,
            joinedIncidentIds: opened.joinedIncidentIds,
            refused: opened.refused,
          },
          null,
          2,
        ),
      );
    } else {
      for (const incident of finished)
        write(session.io.stdout, `Incident ${incident.id}: ${incident.status}`);
    }
    deliverSecrets(session.io, secrets, options.json ?? false);
    return opened.incidents.length === 0 && opened.refused.length > 0 ? 1 : 0;
  });
}

/**
 * Many users at once (--yes, all steps): one approval for the whole group, progress as counts
 * (from the engine's change events, at most a line a second) instead of twelve cards per user,
 * then a per-step summary with every failure.
 */
async function remediateGroup(
  session: CliSession,
  environment: CliEnvironment,
  opened: OpenIncidentsResult,
  approver: Actor,
  json: boolean,
): Promise<{ finished: IncidentView[]; secrets: { incident: IncidentView; secret: SecretDelivery }[] }> {
  const { engine } = environment;
  const progressOut = json ? session.io.stderr : session.io.stdout;
  const started = Date.now();
  write(progressOut, `Remediating ${opened.incidents.length} users as one group (${opened.groupId}).`);
  const views = new Map(opened.incidents.map((incident) => [incident.id, incident] as const));
  let printedAt = started;
  const unsubscribe = engine.subscribe(({ incident }) => {
    if (incident.groupId !== opened.groupId) return;
    views.set(incident.id, incident);
    if (Date.now() - printedAt < GROUP_PROGRESS_GAP_MS) return;
    printedAt = Date.now();
    write(
      progressOut,
      renderGroupProgress(summarizeGroup(opened.groupId, [...views.values()]), printedAt - started),
    );
  });
  let outcome: Awaited<ReturnType<typeof engine.approveGroup>>;
  try {
    outcome = await engine.approveGroup(opened.groupId, approver);
    // Targets that joined an incident opened earlier belong to that incident's group.
    for (const incidentId of opened.joinedIncidentIds) {
      const joined = await engine.approveAllRemaining(incidentId, approver);
      if (joined.secret) {
        outcome.secrets.push({
          incidentId,
          target: joined.incident.target.userPrincipalName,
          secret: joined.secret,
        });
      }
    }
  } finally {
    unsubscribe();
  }
  // Joined incidents keep the group they were opened in, so the group approval's own progress is final.
  const { progress } = outcome;
  write(progressOut, renderGroupProgress(progress, Date.now() - started));
  if (!json) write(session.io.stdout, renderGroupSummary(progress));
  const finished: IncidentView[] = [];
  for (const incident of opened.incidents) {
    const final = await engine.getIncident(incident.id);
    if (final) finished.push(final);
  }
  const secrets = outcome.secrets.flatMap(({ incidentId, secret }) => {
    const incident = finished.find((candidate) => candidate.id === incidentId);
    return incident ? [{ incident, secret }] : [];
  });
  return { finished, secrets };
}

/** The secret goes to the terminal once; never into --json output, files or logs. */
function deliverSecrets(
  io: CliIo,
  secrets: { incident: IncidentView; secret: SecretDelivery }[],
  json: boolean,
): void {
  for (const { incident, secret } of secrets) {
    if (!json) {
      write(io.stdout, renderSecret(incident, secret));
    } else if (io.stderr.isTTY) {
      write(io.stderr, renderSecret(incident, secret));
    } else {
      write(
        io.stderr,
        `A new ${secret.kind === 'password' ? 'password' : 'Temporary Access Pass'} was set for ${incident.target.userPrincipalName} but is not shown because no terminal is attached; run reset-password again from a terminal to get one.`,
      );
    }
  }
}

async function runStep(
  session: CliSession,
  environment: CliEnvironment,
  incidentId: string,
  stepId: StepId,
  approver: Actor,
  options: RemediateOptions,
  interactive: boolean,
): Promise<SecretDelivery | undefined> {
  const { engine } = environment;
  const incident = await engine.getIncident(incidentId);
  const step = incident?.steps.find((candidate) => candidate.id === stepId);
  if (!incident || !step || step.status !== 'pending') return undefined;
  if (step.manualGuidance !== undefined && step.actions.length === 0 && !step.nothingToDo) {
    if (!options.json) write(session.io.stdout, `${step.title}: by hand — ${step.manualGuidance}`);
    return undefined;
  }
  if (interactive) {
    write(session.io.stdout, renderStep(step));
    const answer = await session.ask(`Approve "${step.title}"? [y]es / [s]kip / [l]ater: `);
    if (answer === 's') {
      await engine.skipStep(incidentId, stepId, approver);
      return undefined;
    }
    if (answer !== 'y') return undefined;
  }
  try {
    const outcome = await engine.approveStep(incidentId, stepId, approver, {
      credentialKind: options.credential === 'tap' ? 'temporaryAccessPass' : 'password',
    });
    if (!options.json) write(session.io.stdout, renderStep(outcome.step));
    return outcome.secret;
  } catch (error) {
    if (error instanceof PolicyError) {
      write(session.io.stderr, `${stepTitleText(step, cliLocale())}: ${refusalText(error, cliLocale())}`);
      return undefined;
    }
    throw error;
  }
}
