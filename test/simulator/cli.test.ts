import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ids } from './helpers';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = path.join(root, 'src', 'simulator', 'cli.ts');

function run(args: string[]): ChildProcess {
  return spawn(tsx, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed; output: ${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}: ${output}`));
    });
  });
}

function exitCode(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('tenant-sim CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGTERM');
    child = undefined;
  });

  it('starts on a free port, prints its URL and answers Graph', async () => {
    child = run(['--port', '0', '--seed', '5', '--no-throttling']);
    const url = await waitForUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v1.0/users/${ids.megan}?$select=displayName`, {
      headers: { authorization: 'Bearer t' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { displayName: string }).displayName).toBe('Megan Bowen');
  });

  it.each([
    [['--port', 'abc']],
    [['--fault-rate', '2']],
    [['--latency-ms', '-5']],
    [['--unknown-flag']],
    [['--port', '0', '--fixture', '/nonexistent/fixture.json']],
  ])('prints usage and exits 2 on bad arguments %j', async (args) => {
    child = run(args);
    const { code, stderr } = await exitCode(child);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: tenant-sim');
  });
});
