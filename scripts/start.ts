/**
 * `npm start`: the whole local demo in one command. Builds, starts the bot in local demo mode
 * (anonymous, loopback only, four-eyes relaxed and said so on every incident card) with the
 * simulated Contoso tenant inside it, then the Microsoft 365 Agents Playground pointed at it.
 * Ctrl-C stops everything. `--dev` skips the build and runs the TypeScript sources with tsx.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const BOT_PORT = Number(process.env.PORT ?? 3978);
const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT ?? 56150);
const SIMULATOR_PORT = process.env.SIMULATOR_PORT ?? '4000';
const dev = process.argv.includes('--dev');
const children: ChildProcess[] = [];

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function build(): void {
  log('building (npm run build)…');
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, path.join(ROOT, 'scripts', 'build.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[start] the build failed; fix it or run `npm start -- --dev`.');
    process.exit(result.status ?? 1);
  }
}

function startBot(): ChildProcess {
  const env = {
    ...process.env,
    TENANT_MODE: 'simulated',
    LOCAL_DEMO: 'true',
    HOST: '127.0.0.1',
    PORT: String(BOT_PORT),
    FOUR_EYES: process.env.FOUR_EYES ?? 'false',
    SIMULATOR_PORT,
    SECURITY_CHANNEL_ID: process.env.SECURITY_CHANNEL_ID ?? 'channel-security-alerts',
    DATA_DIR: process.env.DATA_DIR ?? path.join(ROOT, 'data', 'demo'),
  };
  const args = dev
    ? [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'index.ts')]
    : [path.join(ROOT, 'dist', 'index.js')];
  return spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

function startPlayground(): ChildProcess {
  const cli = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  return spawn(
    process.execPath,
    [
      cli,
      '-e',
      `http://127.0.0.1:${BOT_PORT}/api/messages`,
      '-c',
      'msteams',
      '--dt',
      '-p',
      String(PLAYGROUND_PORT),
    ],
    {
      cwd: ROOT,
      // The Playground would open a browser itself; we print the URL instead.
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        // Its default is ./devTools/ in the repository; data/ is where local state lives.
        M365_AGENTS_PLAYGROUND_LOGFILE:
          process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? path.join(ROOT, 'data', 'playground.log'),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

function stopAll(code: number): void {
  for (const child of children) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  setTimeout(() => process.exit(code), 1_000).unref();
}

async function main(): Promise<void> {
  if (!dev) build();
  const bot = startBot();
  children.push(bot);
  bot.once('exit', (code) => {
    log(`the bot stopped (${code ?? 'signal'})`);
    stopAll(code ?? 0);
  });
  await waitForReady(`http://127.0.0.1:${BOT_PORT}/readyz`, 60_000);
  const playground = startPlayground();
  children.push(playground);
  playground.once('exit', (code) => {
    log(`the Playground stopped (${code ?? 'signal'})`);
    stopAll(code ?? 0);
  });
  log(`bot:              http://127.0.0.1:${BOT_PORT}/api/messages (local demo, anonymous, loopback)`);
  log(`simulated tenant: http://127.0.0.1:${SIMULATOR_PORT}/_sim/state`);
  log(
    `open the Playground: http://localhost:${PLAYGROUND_PORT}  (try "@Remediator compromised @Megan Bowen" in SOC Incident Room)`,
  );
  log('Ctrl-C stops everything.');
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  stopAll(1);
});
