import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/main';
import type { SimulatedTenant } from '../../src/simulator';
import { IDS } from '../support/fakeM365Services';
import { startTenant } from '../remediation/simulatedTenant';

class Recorder extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function terminal(answers: string): { io: CliIo; stdout: Recorder; stderr: Recorder } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(answers);
  const stdout = new Recorder();
  const stderr = new Recorder();
  return { io: { stdin, stdout, stderr }, stdout, stderr };
}

let tenant: SimulatedTenant;
let dataDir: string;

beforeAll(async () => {
  tenant = await startTenant();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-tty-'));
});
afterAll(async () => {
  await tenant.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('remediator CLI on a terminal', () => {
  it('asks before each step, skips on "s", and prints the new password once to stdout only', async () => {
    const { io, stdout, stderr } = terminal('y\ns\ny\n');
    const code = await runCli(
      [
        'node',
        'remediator',
        'remediate',
        'MeganB@contoso.com',
        '--solo',
        '--steps',
        'block-sign-in,confirm-compromised,reset-password',
        '--tenant-url',
        tenant.url,
      ],
      io,
      { TENANT_MODE: 'simulated', DATA_DIR: dataDir },
    );
    expect(code, stderr.text).toBe(0);
    expect(stdout.text).toContain('Approve "Block sign-in"?');
    expect(stdout.text).toContain('Approve "Confirm user compromised"?');
    expect(stderr.text).toContain('Four-eyes relaxed by --solo');

    const state = tenant.state();
    expect(state.users.find((u) => u.id === IDS.megan)?.accountEnabled).toBe(false);
    expect(state.riskyUsers.find((u) => u.id === IDS.megan)?.riskState).not.toBe('confirmedCompromised');

    const match = /New password for Megan Bowen[^\n]*\n {2}(\S+)/.exec(stdout.text);
    const password = match?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(stdout.text.split(password)).toHaveLength(2);
    expect(stderr.text).not.toContain(password);
    // Nothing on disk holds it: the database, its WAL, anything in the data folder.
    for (const file of fs.readdirSync(dataDir)) {
      expect(fs.readFileSync(path.join(dataDir, file)).includes(password), file).toBe(false);
    }
  });
});
