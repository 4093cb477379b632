import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/environment';
import { collectTargets } from '../../src/cli/targets';
import { runCliProcess } from '../cli/spawnCli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-mass-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function targetsFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('collectTargets', () => {
  it('joins arguments and the file, skipping blanks, comments and duplicates (any case)', async () => {
    const file = targetsFile(
      'list.txt',
      '# wave 1\nMeganB@contoso.com\n\n  PattiF@contoso.com  \r\nmeganb@CONTOSO.com\n',
    );
    await expect(collectTargets(['IsaiahL@contoso.com'], file)).resolves.toEqual([
      'IsaiahL@contoso.com',
      'MeganB@contoso.com',
      'PattiF@contoso.com',
    ]);
  });

  it.each([
    ['no target at all', [], undefined, 'at least one user'],
    ['a line with two names', [], 'a@contoso.com b@contoso.com\n', 'line 1'],
    ['a missing file', [], null, 'cannot read'],
  ] as const)('refuses %s', async (_name, args, fileText, message) => {
    const file =
      fileText === undefined
        ? undefined
        : fileText === null
          ? path.join(dir, 'nope.txt')
          : targetsFile('bad.txt', fileText);
    const attempt = collectTargets([...args], file);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('remediator remediate with several users', () => {
  it('opens one group, prints progress lines, approves once and completes every user', async () => {
    const file = targetsFile('wave.txt', 'MeganB@contoso.com\nPattiF@contoso.com\n');
    const run = await runCliProcess([
      'remediate',
      'IsaiahL@contoso.com',
      '--targets-file',
      file,
      '--yes',
      '--json',
      '--solo',
      '--data-dir',
      path.join(dir, 'data'),
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      groupId: string;
      incidents: { status: string; groupId: string; target: { userPrincipalName: string } }[];
    };
    expect(result.incidents.map((incident) => incident.target.userPrincipalName).sort()).toEqual([
      'IsaiahL@contoso.com',
      'MeganB@contoso.com',
      'PattiF@contoso.com',
    ]);
    expect(result.incidents.every((incident) => incident.groupId === result.groupId)).toBe(true);
    expect(result.incidents.every((incident) => incident.status === 'completed')).toBe(true);
    // With --json, progress goes to stderr so stdout stays one JSON document.
    expect(run.stderr).toContain(`Remediating 3 users as one group (${result.groupId}).`);
    expect(run.stderr).toMatch(
      /3\/3 users completed; steps: 36 done, 0 running, 0 pending, 0 skipped, 0 failed/,
    );
    // No password reached the JSON or a non-terminal stderr.
    expect(run.stdout).not.toMatch(/New password/);
    expect(run.stderr).toContain('not shown because no terminal is attached');
  }, 60_000);

  it('refuses an unreadable targets file with usage exit code 2', async () => {
    const run = await runCliProcess(['remediate', '--targets-file', path.join(dir, 'missing.txt'), '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read --targets-file');
  });
});
