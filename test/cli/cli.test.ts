import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../src/remediation/contract';
import { defaultFixturePath } from '../../src/simulator';
import type { SimulatedTenant } from '../../src/simulator';
import { IDS } from '../support/fakeM365Services';
import { mailboxOf, startTenant, successfulWrites } from '../remediation/simulatedTenant';
import { runCliProcess } from './spawnCli';

let tenant: SimulatedTenant;
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-cli-'));
  dirs.push(dir);
  return dir;
}

interface RemediateJson {
  groupId: string;
  incidents: IncidentView[];
  refused: { target: string; code: string }[];
}

beforeAll(async () => {
  tenant = await startTenant();
});
afterAll(async () => {
  await tenant.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  tenant.reset();
  tenant.resetLog();
});

describe('remediator CLI', () => {
  it('remediates every step with --yes --solo --json through bin/remediator.js (in-process tenant)', async () => {
    // The fixture is named explicitly: the test must not depend on which build bin/remediator.js picks.
    const run = await runCliProcess(
      [
        'remediate',
        'MeganB@contoso.com',
        '--yes',
        '--solo',
        '--json',
        '--fixture',
        defaultFixturePath,
        '--data-dir',
        tempDir(),
      ],
      {
        via: 'bin',
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as RemediateJson;
    const [incident] = output.incidents;
    expect(incident?.status).toBe('completed');
    for (const step of incident?.steps ?? []) {
      expect([step.id, step.status, step.verified]).toEqual([step.id, 'done', true]);
    }
    const rules = incident?.steps.find((step) => step.id === 'inbox-rules');
    expect(rules?.findings.length).toBeGreaterThanOrEqual(7);
    expect(rules?.results.every((result) => result.requestIds.length > 0)).toBe(true);
    // The password never reaches --json output; without a terminal it is not shown at all.
    expect(run.stdout).not.toMatch(/"secret"|"password"/i);
    expect(run.stderr).toContain('not shown because no terminal is attached');
  });

  it('changes the tenant it is pointed at, and keeps four-eyes unless --solo or --approver', async () => {
    const dataDir = tempDir();
    const base = ['--tenant-url', tenant.url, '--data-dir', dataDir];

    const waiting = await runCliProcess(['remediate', 'MeganB@contoso.com', '--yes', '--json', ...base]);
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(waiting.stderr).toContain('waits for a second responder');
    expect((JSON.parse(waiting.stdout) as RemediateJson).incidents[0]?.status).toBe('awaiting-approval');
    expect(successfulWrites(tenant)).toEqual([]);

    const approved = await runCliProcess([
      'remediate',
      'MeganB@contoso.com',
      '--yes',
      '--json',
      '--steps',
      'mailbox-forwarding,admin-roles',
      '--approver',
      'AdeleV@contoso.com',
      ...base,
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    const incident = (JSON.parse(approved.stdout) as RemediateJson).incidents[0];
    expect(incident?.approvals.map((a) => a.actor.userPrincipalName)).toEqual(['AdeleV@contoso.com']);
    expect(mailboxOf(tenant.state(), IDS.megan).forwardingSmtpAddress).toBeNull();
    expect(tenant.state().roleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);

    const status = await runCliProcess(['status', ...base]);
    expect(status.stdout).toContain(incident?.id);
    expect(status.stdout).toContain('MeganB@contoso.com');

    const undo = await runCliProcess([
      'undo',
      incident?.id ?? '',
      'admin-roles',
      '--as',
      'IsaiahL@contoso.com',
      ...base,
    ]);
    // Alone, Isaiah only asks: nothing comes back until a second responder approves.
    expect(undo.code).toBe(1);
    expect(undo.stderr).toContain('A second responder approves it');
    expect(tenant.state().roleAssignments.filter((a) => a.principalId === IDS.megan)).toEqual([]);
    const approvedUndo = await runCliProcess([
      'undo',
      incident?.id ?? '',
      'admin-roles',
      '--as',
      'IsaiahL@contoso.com',
      '--approver',
      'AlexW@contoso.com',
      ...base,
    ]);
    expect(approvedUndo.code, approvedUndo.stderr).toBe(0);
    expect(tenant.state().roleAssignments.filter((a) => a.principalId === IDS.megan)).toHaveLength(1);

    const history = await runCliProcess(['history', 'meganb@contoso.com', '--json', ...base]);
    expect((JSON.parse(history.stdout) as IncidentView[]).map((i) => i.id)).toEqual([incident?.id]);

    const report = await runCliProcess(['report', incident?.id ?? '', ...base]);
    expect(report.stdout).toContain('# Incident');
    expect(report.stdout).toContain('Remove mailbox forwarding');
    expect(report.stdout).toContain('## Audit trail');

    const audit = await runCliProcess(['report', incident?.id ?? '', '--audit', ...base]);
    const events = audit.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['incident.opened', 'action.done', 'step.undone']),
    );
  });

  it('refuses to ask questions when stdin is not a terminal', async () => {
    const run = await runCliProcess([
      'remediate',
      'MeganB@contoso.com',
      '--tenant-url',
      tenant.url,
      '--data-dir',
      tempDir(),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --yes');
    expect(successfulWrites(tenant)).toEqual([]);
  });

  it.each([
    [['remediate'], 'missing required argument'],
    [['remediate', 'MeganB@contoso.com', '--steps', 'teleport'], 'unknown step'],
    [['remediate', 'MeganB@contoso.com', '--frobnicate'], 'unknown option'],
    [['launch'], 'unknown command'],
    [['undo', 'x', 'not-a-step', '--tenant-url', 'http://127.0.0.1:1'], 'Unknown step'],
  ])('prints usage and exits 2 for bad arguments: %j', async (args, message) => {
    const run = await runCliProcess(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage:');
  });

  it('refuses a non-responder with exit 1', async () => {
    const run = await runCliProcess([
      'remediate',
      'MeganB@contoso.com',
      '--yes',
      '--solo',
      '--as',
      'PattiF@contoso.com',
      '--tenant-url',
      tenant.url,
      '--data-dir',
      tempDir(),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NotResponder');
  });
});
