import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const PLAYGROUND_CLI = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPlayground {
  url: string;
  close(): Promise<void>;
}

/** Starts the Agents Playground against a bot endpoint, with no browser of its own and no telemetry. */
export async function startPlayground(botEndpoint: string, logFile: string): Promise<RunningPlayground> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [PLAYGROUND_CLI, '-e', botEndpoint, '-c', 'msteams', '--dt', '-p', String(port)],
    {
      cwd: ROOT,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: logFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The Playground did not start within 30 s.')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`The Playground exited with ${code}.`)));
  });
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** "@Remediator compromised @Megan Bowen": real mention entities through the typeahead. */
export async function sendWithMentions(page: Page, parts: (string | { mention: string })[]): Promise<void> {
  const box = page.getByRole('textbox');
  await box.click();
  for (const part of parts) {
    if (typeof part === 'string') {
      await page.keyboard.type(part);
    } else {
      await page.keyboard.type(`@${part.mention.slice(0, 3)}`);
      await page.getByRole('menuitem', { name: new RegExp(part.mention) }).click();
    }
  }
  await page.keyboard.press('Enter');
}

/** Mock an Activity → Custom activity: sends any activity JSON, e.g. from another user. */
export async function sendCustomActivity(page: Page, activity: Record<string, unknown>): Promise<void> {
  await page.getByRole('button', { name: 'Mock an Activity' }).click();
  await page.getByRole('menuitem', { name: /Custom activity/i }).click();
  const editor = page.locator('[role=dialog] textarea');
  await editor.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // The editor auto-closes brackets as text arrives: insert on one line, then drop what it added.
  await page.keyboard.insertText(JSON.stringify(activity));
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await page.getByRole('button', { name: 'Send activity' }).click();
  await page.locator('[role=dialog]').waitFor({ state: 'detached' });
}
