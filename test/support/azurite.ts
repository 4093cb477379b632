import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Azurite's documented development account; a public, well-known key, not a secret. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const AZURITE_ENTRY = path.resolve(
  __dirname,
  '..',
  '..',
  'node_modules',
  'azurite',
  'dist',
  'src',
  'azurite.js',
);

export interface AzuriteOptions {
  /** 'memory' (default) keeps nothing on disk; 'temp-dir' persists in a temporary folder removed on stop. */
  persistence?: 'memory' | 'temp-dir';
  startTimeoutInMs?: number;
}

export interface Azurite {
  /** Connection string for the development account (table and blob endpoints). */
  connectionString: string;
  tableEndpoint: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts Azurite (blob, queue and table) as a child process on free loopback ports.
 * Telemetry is disabled so the tests make no request beyond loopback.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediator-azurite-'));
  const persistence =
    (options.persistence ?? 'memory') === 'memory' ? ['--inMemoryPersistence'] : ['--location', workDir];
  const child = spawn(
    process.execPath,
    [
      AZURITE_ENTRY,
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      ...['--queueHost', '127.0.0.1', '--queuePort', '0'],
      ...['--tableHost', '127.0.0.1', '--tablePort', '0'],
      ...persistence,
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If the test process ends without calling stop (a crash, process.exit), take Azurite with it.
  const killOnExit = () => {
    child.kill('SIGKILL');
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = () =>
    stopChild(child).finally(() => {
      process.removeListener('exit', killOnExit);
      fs.rmSync(workDir, { recursive: true, force: true });
    });
  try {
    const endpoints = await waitForEndpoints(child, options.startTimeoutInMs ?? 20_000);
    const blobEndpoint = `${endpoints.blob}/${DEV_ACCOUNT}`;
    const tableEndpoint = `${endpoints.table}/${DEV_ACCOUNT}`;
    return {
      connectionString: [
        'DefaultEndpointsProtocol=http',
        `AccountName=${DEV_ACCOUNT}`,
        `AccountKey=${DEV_ACCOUNT_KEY}`,
        `BlobEndpoint=${blobEndpoint}`,
        `TableEndpoint=${tableEndpoint}`,
      ].join(';'),
      tableEndpoint,
      blobEndpoint,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForEndpoints(
  child: ChildProcess,
  timeoutInMs: number,
): Promise<{ blob: string; table: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const found: { blob?: string; table?: string } = {};
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within ${timeoutInMs} ms:\n${output}`)),
      timeoutInMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const match of output.matchAll(
        /Azurite (Blob|Table) service is successfully listening at (\S+)/g,
      )) {
        const url = match[2];
        if (url === undefined) continue;
        if (match[1] === 'Blob') found.blob = url;
        else found.table = url;
      }
      if (found.blob !== undefined && found.table !== undefined) {
        clearTimeout(timer);
        resolve({ blob: found.blob, table: found.table });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => fail(new Error(`Azurite exited with code ${String(code)}:\n${output}`)));
    child.once('error', fail);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}
