import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { startSimulatedTenant } from './index';

/** `npm run tenant-sim -- --port 4000 [--fixture f.json] [--latency-ms n] [--fault-rate r] [--seed n] [--no-throttling]` */

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}.`);
    }
    return parsed;
  };
}

function rate(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw new InvalidArgumentError('must be a number from 0 to 1.');
  }
  return parsed;
}

interface CliOptions {
  port: number;
  host: string;
  fixture?: string;
  latencyMs: number;
  faultRate: number;
  seed: number;
  throttling: boolean;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('tenant-sim')
    .description(
      'Simulated Microsoft 365 tenant: Graph v1.0 subset, $batch and Exchange admin InvokeCommand.',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', integer(0, 65535), 4000)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--fixture <file>', 'fixture JSON file (default: the Contoso fixture)')
    .option('--latency-ms <ms>', 'latency added to every request', integer(0, 600_000), 0)
    .option('--fault-rate <rate>', 'share of requests answered 429/503/504 (0..1)', rate, 0)
    .option('--seed <seed>', 'seed for injected faults', integer(0, 2 ** 31 - 1), 1)
    .option('--no-throttling', 'turn off throttling emulation')
    .exitOverride()
    .showHelpAfterError();

  try {
    program.parse(argv);
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
    ) {
      process.exit(0);
    }
    process.exit(2);
  }
  const options = program.opts<CliOptions>();
  let tenant;
  try {
    tenant = await startSimulatedTenant({
      port: options.port,
      host: options.host,
      ...(options.fixture === undefined ? {} : { fixture: options.fixture }),
      latencyMs: options.latencyMs,
      faultRate: options.faultRate,
      seed: options.seed,
      throttling: options.throttling,
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(program.helpInformation());
    process.exit(2);
  }
  console.log(`Simulated tenant ${tenant.tenantId} listening on ${tenant.url}`);
  console.log(`Graph:    ${tenant.graphBaseUrl}/v1.0`);
  console.log(`Exchange: ${tenant.exchangeBaseUrl}/adminapi/beta/${tenant.tenantId}/InvokeCommand`);
  const stop = (): void => {
    void tenant.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  void main(process.argv);
}
