import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config/config';
import { createLogger, SecretRegistry } from '../observability/logger';
import type { Logger } from '../observability/logger';
import { CRASH_POINTS, PolicyError, STEP_IDS, isStepId } from '../remediation';
import type {
  Actor,
  CrashPoint,
  IncidentView,
  OpenIncidentsResult,
  SecretDelivery,
  StepId,
} from '../remediation';
import { isM365Error } from '../m365/errors';
import { createCliEnvironment, UsageError } from './environment';
import { LineReader } from './prompt';
import type { CliEnvironment } from './environment';
import {
  renderGroupProgress,
  renderGroupSummary,
  renderIncident,
  renderIncidentLine,
  renderSecret,
  renderStep,
} from './render';
import { collectTargets } from './targets';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

interface GlobalOptions {
  fixture?: string;
  tenantUrl?: string;
  dataDir?: string;
  as?: string;
  solo?: boolean;
  verbose?: boolean;
}

interface RemediateOptions extends GlobalOptions {
  steps?: StepId[];
  yes?: boolean;
  json?: boolean;
  approver?: string;
  credential: 'password' | 'tap';
  targetsFile?: string;
}

/** How often a mass incident prints a progress line. */
const GROUP_PROGRESS_INTERVAL_MS = 1000;

/** Test-only hook: REMEDIATOR_CRASH_POINT=<point>[:<n>] kills the process at the n-th time it reaches <point>. */
export const CRASH_POINT_VARIABLE = 'REMEDIATOR_CRASH_POINT';

function crashHookFrom(value: string | undefined): ((point: CrashPoint) => void) | undefined {
  if (!value) return undefined;
  const [name, count] = value.split(':');
  if (!CRASH_POINTS.includes(name as CrashPoint)) return undefined;
  let remaining = count ? Number(count) : 1;
  return (point) => {
    if (point !== name) return;
    remaining -= 1;
    if (remaining === 0) process.kill(process.pid, 'SIGKILL');
  };
}

function parseSteps(value: string): StepId[] {
  const steps = value
    .split(',')
    .map((step) => step.trim())
    .filter((step) => step.length > 0);
  const unknown = steps.filter((step) => !isStepId(step));
  if (unknown.length > 0 || steps.length === 0) {
    throw new InvalidArgumentError(
      `unknown step(s) ${unknown.join(', ')}; steps are ${STEP_IDS.join(', ')}.`,
    );
  }
  return steps.filter(isStepId);
}

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

class Cli {
  private readonly env: Record<string, string | undefined>;
  private reader: LineReader | undefined;

  constructor(
    private readonly io: CliIo,
    env: Record<string, string | undefined>,
  ) {
    this.env = env;
  }

  private async withEnvironment<T>(
    options: GlobalOptions,
    run: (environment: CliEnvironment) => Promise<T>,
  ): Promise<T> {
    const config = loadConfig(this.env);
    // The same by-value redaction as the bot: configuration secrets and every generated credential.
    const secrets = new SecretRegistry();
    const logger: Logger = createLogger({
      level: options.verbose ? 'debug' : 'warn',
      secrets,
      // Logs go to stderr so stdout stays clean for --json.
      destination: pino.destination(2),
    });
    const crashHook = crashHookFrom(this.env[CRASH_POINT_VARIABLE]);
    const environment = await createCliEnvironment({
      config,
      logger,
      secrets,
      solo: options.solo ?? false,
      ...(options.fixture ? { fixture: options.fixture } : {}),
      ...(options.tenantUrl ? { tenantUrl: options.tenantUrl } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(crashHook ? { crashHook } : {}),
    });
    try {
      // Finish whatever a previous run left half-done before doing anything new.
      await environment.engine.resumeInterrupted();
      return await run(environment);
    } finally {
      await environment.close();
    }
  }

  async remediate(targets: string[], options: RemediateOptions): Promise<number> {
    const interactive = !options.yes;
    if (interactive && !this.io.stdin.isTTY) {
      throw new UsageError(
        'stdin is not a terminal, so Remediator cannot ask before each step: pass --yes to approve every proposed step.',
      );
    }
    return this.withEnvironment(options, async (environment) => {
      const { engine } = environment;
      const requester = await environment.resolveActor(options.as);
      const approver = options.approver ? await environment.resolveActor(options.approver) : requester;
      if (options.solo && !options.json) {
        write(this.io.stderr, 'Four-eyes relaxed by --solo: the requester approves their own remediation.');
      }
      const opened = await engine.openIncidents({ targets, requester, origin: { kind: 'cli' } });
      for (const refusal of opened.refused) {
        write(this.io.stderr, `Refused ${refusal.target}: ${refusal.message}`);
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
        const group = await this.remediateGroup(environment, opened, approver, options.json ?? false);
        finished.push(...group.finished);
        secrets.push(...group.secrets);
      }

      for (const incident of groupMode ? [] : opened.incidents) {
        if (!options.json) write(this.io.stdout, renderIncident(incident));
        if (mustWait) {
          write(
            this.io.stderr,
            `Incident ${incident.id} waits for a second responder (four-eyes): run again with --approver <upn>, or --solo to relax four-eyes.`,
          );
          finished.push(incident);
          continue;
        }
        for (const stepId of chosen) {
          const secret = await this.runStep(environment, incident.id, stepId, approver, options, interactive);
          if (secret) secrets.push({ incident, secret });
        }
        const final = await engine.getIncident(incident.id);
        if (final) finished.push(final);
      }

      if (options.json) {
        write(
          this.io.stdout,
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
        for (const incident of finished) write(this.io.stdout, `Incident ${incident.id}: ${incident.status}`);
      }
      this.deliverSecrets(secrets, options.json ?? false);
      return opened.incidents.length === 0 && opened.refused.length > 0 ? 1 : 0;
    });
  }

  /**
   * Many users at once (--yes, all steps): one approval for the whole group, progress as counts
   * every second instead of twelve cards per user, then a per-step summary with every failure.
   */
  private async remediateGroup(
    environment: CliEnvironment,
    opened: OpenIncidentsResult,
    approver: Actor,
    json: boolean,
  ): Promise<{ finished: IncidentView[]; secrets: { incident: IncidentView; secret: SecretDelivery }[] }> {
    const { engine } = environment;
    const progressOut = json ? this.io.stderr : this.io.stdout;
    const started = Date.now();
    write(progressOut, `Remediating ${opened.incidents.length} users as one group (${opened.groupId}).`);
    const ticker = setInterval(() => {
      void engine
        .getGroupProgress(opened.groupId)
        .then((progress) => write(progressOut, renderGroupProgress(progress, Date.now() - started)))
        .catch(() => undefined);
    }, GROUP_PROGRESS_INTERVAL_MS);
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
      clearInterval(ticker);
    }
    const progress = await engine.getGroupProgress(opened.groupId);
    write(progressOut, renderGroupProgress(progress, Date.now() - started));
    if (!json) write(this.io.stdout, renderGroupSummary(progress));
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
  private deliverSecrets(secrets: { incident: IncidentView; secret: SecretDelivery }[], json: boolean): void {
    for (const { incident, secret } of secrets) {
      if (!json) {
        write(this.io.stdout, renderSecret(incident, secret));
      } else if (this.io.stderr.isTTY) {
        write(this.io.stderr, renderSecret(incident, secret));
      } else {
        write(
          this.io.stderr,
          `A new ${secret.kind === 'password' ? 'password' : 'Temporary Access Pass'} was set for ${incident.target.userPrincipalName} but is not shown because no terminal is attached; run reset-password again from a terminal to get one.`,
        );
      }
    }
  }

  private async runStep(
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
      if (!options.json) write(this.io.stdout, `${step.title}: by hand — ${step.manualGuidance}`);
      return undefined;
    }
    if (interactive) {
      write(this.io.stdout, renderStep(step));
      const answer = await this.ask(`Approve "${step.title}"? [y]es / [s]kip / [l]ater: `);
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
      if (!options.json) write(this.io.stdout, renderStep(outcome.step));
      return outcome.secret;
    } catch (error) {
      if (error instanceof PolicyError) {
        write(this.io.stderr, `${step.title}: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }

  private async ask(question: string): Promise<string> {
    this.io.stdout.write(question);
    this.reader ??= new LineReader(this.io.stdin);
    const answer = await this.reader.next();
    return (answer ?? '').trim().toLowerCase().charAt(0);
  }

  close(): void {
    this.reader?.close();
  }

  async status(options: GlobalOptions & { json?: boolean }): Promise<number> {
    return this.withEnvironment(options, async ({ engine }) => {
      const incidents = await engine.listOpenIncidents();
      if (options.json) write(this.io.stdout, JSON.stringify(incidents, null, 2));
      else if (incidents.length === 0) write(this.io.stdout, 'No open incidents.');
      else for (const incident of incidents) write(this.io.stdout, renderIncidentLine(incident));
      return 0;
    });
  }

  async history(user: string, options: GlobalOptions & { json?: boolean }): Promise<number> {
    return this.withEnvironment(options, async ({ engine }) => {
      const incidents = await engine.history(user);
      if (options.json) write(this.io.stdout, JSON.stringify(incidents, null, 2));
      else if (incidents.length === 0) write(this.io.stdout, `No incidents for ${user}.`);
      else for (const incident of incidents) write(this.io.stdout, renderIncidentLine(incident));
      return 0;
    });
  }

  async undo(
    incidentId: string,
    stepId: string,
    options: GlobalOptions & { json?: boolean },
  ): Promise<number> {
    if (!isStepId(stepId)) throw new UsageError(`Unknown step ${stepId}; steps are ${STEP_IDS.join(', ')}.`);
    return this.withEnvironment(options, async (environment) => {
      const actor = await environment.resolveActor(options.as);
      const outcome = await environment.engine.undoStep(incidentId, stepId, actor);
      if (options.json) write(this.io.stdout, JSON.stringify(outcome.step, null, 2));
      else
        write(
          this.io.stdout,
          `${outcome.step.title}: undone by ${outcome.step.undoneBy?.displayName ?? 'nobody'}`,
        );
      return outcome.step.undoneBy ? 0 : 1;
    });
  }

  async report(incidentId: string, options: GlobalOptions & { audit?: boolean }): Promise<number> {
    return this.withEnvironment(options, async ({ engine }) => {
      const incident = await engine.getIncident(incidentId);
      if (!incident) throw new PolicyError('UnknownIncident', `No incident ${incidentId}.`);
      write(
        this.io.stdout,
        options.audit ? await engine.exportAudit(incidentId) : await engine.report(incidentId),
      );
      return 0;
    });
  }
}

function buildProgram(cli: Cli, io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('remediator')
    .description('Remediate compromised Microsoft 365 accounts from the command line.')
    .option('--fixture <file>', 'simulated tenant fixture (TENANT_MODE=simulated)')
    .option(
      '--tenant-url <url>',
      'use a running simulated tenant (npm run tenant-sim) instead of an in-process one',
    )
    .option('--data-dir <dir>', 'where the incident database lives (default: DATA_DIR)')
    .option(
      '--as <upn>',
      'the responder you are (default in simulated mode: first member of the responders group)',
    )
    .option('--solo', 'relax four-eyes: the requester approves their own remediation')
    .option('--verbose', 'log debug output to stderr')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();

  program
    .command('remediate')
    .description('open an incident per user, show findings, and run the approved steps')
    .argument('[upn...]', 'users to remediate (UPN or object id)')
    .option('--targets-file <file>', 'more users, one UPN or object id per line (# comments allowed)')
    .option('--steps <ids>', `comma-separated steps (default: all): ${STEP_IDS.join(',')}`, parseSteps)
    .option('--yes', 'approve every proposed step without asking')
    .option('--json', 'print the incidents as JSON (no secrets)')
    .option('--approver <upn>', 'a second responder who approves (four-eyes)')
    .addOption(
      new Option('--credential <kind>', 'reset-password gives a password or a Temporary Access Pass')
        .choices(['password', 'tap'])
        .default('password'),
    )
    .action(async (upns: string[], _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<RemediateOptions>();
      const targets = await collectTargets(upns, options.targetsFile);
      setExit(await cli.remediate(targets, options));
    });

  program
    .command('status')
    .description('list open incidents')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      setExit(await cli.status(command.optsWithGlobals()));
    });

  program
    .command('history')
    .description("a user's incidents, newest last")
    .argument('<upn>', 'UPN or object id')
    .option('--json', 'print JSON')
    .action(async (user: string, _options: unknown, command: Command) => {
      setExit(await cli.history(user, command.optsWithGlobals()));
    });

  program
    .command('undo')
    .description(
      'undo a completed step (admin-roles, inbox-rules, block-sign-in, mailbox-delegates, mailbox-forwarding)',
    )
    .argument('<incident>', 'incident id')
    .argument('<step>', 'step id')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, stepId: string, _options: unknown, command: Command) => {
      setExit(await cli.undo(incidentId, stepId, command.optsWithGlobals()));
    });

  program
    .command('report')
    .description('a readable report of an incident (Markdown), or its audit log with --audit')
    .argument('<incident>', 'incident id')
    .option('--audit', 'print the audit log as JSON lines')
    .action(async (incidentId: string, _options: unknown, command: Command) => {
      setExit(await cli.report(incidentId, command.optsWithGlobals()));
    });

  return program;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 refused/failed, 2 bad usage). */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let exitCode = 0;
  const cli = new Cli(io, env);
  const program = buildProgram(cli, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error, io, program);
  } finally {
    cli.close();
  }
}

function reportFailure(error: unknown, io: CliIo, program: Command): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every parsing mistake exits 2 after commander printed the usage.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) {
    write(io.stderr, `error: ${error.message}`);
    write(io.stderr, program.helpInformation());
    return 2;
  }
  if (error instanceof ConfigError) {
    write(io.stderr, error.message);
    return 2;
  }
  if (error instanceof PolicyError) {
    write(io.stderr, `Refused (${error.code}): ${error.message}`);
    return 1;
  }
  if (isM365Error(error)) {
    write(io.stderr, `${error.message}\n${error.remedy}`);
    return 1;
  }
  write(io.stderr, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

if (require.main === module) {
  void runCli(process.argv).then((code) => {
    process.exitCode = code;
  });
}
