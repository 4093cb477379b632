/**
 * The README's path on a fresh checkout, as a newcomer types it: `npm start` (build, bot, simulated
 * tenant, Agents Playground), Ctrl-C, then `npx remediator remediate …` in the same checkout. The
 * CLI must run a complete build of the current sources and end with every step done.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const dataDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'remediator-newcomer-'));
  dataDirs.push(dir);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe("a newcomer's first commands", () => {
  it('npm start brings up the bot and the Playground; after Ctrl-C the CLI remediates Megan with every step done', async () => {
    const [botPort, playgroundPort, simulatorPort] = [await freePort(), await freePort(), await freePort()];
    const start = spawn('npm', ['start'], {
      cwd: ROOT,
      // Its own process group, so Ctrl-C can be sent to npm and everything it started, as a terminal does.
      detached: true,
      env: {
        ...process.env,
        PORT: String(botPort),
        PLAYGROUND_PORT: String(playgroundPort),
        SIMULATOR_PORT: String(simulatorPort),
        DATA_DIR: tempDir(),
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(tempDir(), 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let startOutput = '';
    start.stdout?.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    start.stderr?.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    const exited = new Promise<void>((resolve) => start.once('exit', () => resolve()));
    try {
      await waitFor(`http://127.0.0.1:${botPort}/readyz`, 180_000);
      await waitFor(`http://127.0.0.1:${playgroundPort}/`, 120_000);
    } finally {
      process.kill(-start.pid!, 'SIGINT');
    }
    await exited;
    // npm itself dies of the SIGINT (as in a terminal); what matters is that the bot shut down cleanly.
    expect(startOutput).toContain('shutdown complete');

    const cli = await run(
      'npx',
      ['remediator', 'remediate', 'MeganB@contoso.com', '--yes', '--approver', 'AdeleV@contoso.com'],
      {
        DATA_DIR: tempDir(),
        LOG_LEVEL: 'warn',
      },
    );
    expect(cli.code, cli.output).toBe(0);
    const finalStates = cli.output
      .split('\n')
      .filter((line) => line.startsWith('== '))
      .slice(-12);
    expect(finalStates).toHaveLength(12);
    for (const line of finalStates) expect(line).toMatch(/\[done, verified\]$/);
    expect(cli.output).toMatch(/Incident \S+: completed/);
  });
});
