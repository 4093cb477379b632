import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { cliLocale } from './render';
import { errorText, refusalText, remedyText } from '../i18n/findings';
import { ConfigError } from '../config/config';
import { isM365Error } from '../m365/errors';
import { isStepId, PolicyError, STEP_IDS } from '../remediation';
import type { StepId } from '../remediation';
import { history } from './commands/history';
import { remediate } from './commands/remediate';
import type { RemediateOptions } from './commands/remediate';
import { report } from './commands/report';
import { status } from './commands/status';
import { undo } from './commands/undo';
import { UsageError } from './environment';
import { CliSession, write } from './session';
import type { CliIo } from './session';
import { collectTargets } from './targets';

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

function buildProgram(session: CliSession, io: CliIo, setExit: (code: number) => void): Command {
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
      setExit(await remediate(session, targets, options));
    });

  program
    .command('status')
    .description('list open incidents')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      setExit(await status(session, command.optsWithGlobals()));
    });

  program
    .command('history')
    .description("a user's incidents, newest last")
    .argument('<upn>', 'UPN or object id')
    .option('--json', 'print JSON')
    .action(async (user: string, _options: unknown, command: Command) => {
      setExit(await history(session, user, command.optsWithGlobals()));
    });

  program
    .command('undo')
    .description(
      'undo a completed step (admin-roles, inbox-rules, block-sign-in, mailbox-delegates, mailbox-forwarding)',
    )
    .argument('<incident>', 'incident id')
    .argument('<step>', 'step id')
    .option('--json', 'print JSON')
    .option('--approver <upn>', 'a second responder who approves the undo (four-eyes)')
    .action(async (incidentId: string, stepId: string, _options: unknown, command: Command) => {
      setExit(await undo(session, incidentId, stepId, command.optsWithGlobals()));
    });

  program
    .command('report')
    .description('a readable report of an incident (Markdown), or its audit log with --audit')
    .argument('<incident>', 'incident id')
    .option('--audit', 'print the audit log as JSON lines')
    .action(async (incidentId: string, _options: unknown, command: Command) => {
      setExit(await report(session, incidentId, command.optsWithGlobals()));
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
  const session = new CliSession(io, env);
  const program = buildProgram(session, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error, io, program);
  } finally {
    session.close();
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
    write(io.stderr, `Refused (${error.code}): ${refusalText(error, cliLocale())}`);
    return 1;
  }
  if (isM365Error(error)) {
    write(io.stderr, `${errorText(error, cliLocale())}\n${remedyText(error, cliLocale())}`);
    return 1;
  }
  write(io.stderr, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
