import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in a child process. `via: 'bin'` goes through bin/remediator.js (as `npx remediator`
 * does); `via: 'source'` runs src/cli/main.ts through tsx so the test always exercises the source.
 */
export function runCliProcess(
  args: string[],
  options: { env?: Record<string, string>; via?: 'bin' | 'source'; input?: string } = {},
): Promise<CliRun> {
  const entry =
    options.via === 'bin'
      ? [path.join(REPO_ROOT, 'bin', 'remediator.js')]
      : ['-r', 'tsx/cjs', path.join(REPO_ROOT, 'src', 'cli', 'main.ts')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TENANT_MODE: 'simulated', LOG_LEVEL: 'warn', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
