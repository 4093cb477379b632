import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../scripts/packaging/png';

export const ROOT_DIR = path.resolve(__dirname, '..', '..');
export const MANIFEST_DIR = path.join(ROOT_DIR, 'teamsAppManifest');
export const ENV_DIR = path.join(ROOT_DIR, 'env');

const made: string[] = [];

export function makeTempDir(prefix = 'remediator-package-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of teamsAppManifest/ the test may break without touching the committed files. */
export function copyManifestDir(): string {
  const dir = path.join(makeTempDir(), 'teamsAppManifest');
  cpSync(MANIFEST_DIR, dir, { recursive: true });
  return dir;
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** What `atk provision --env dev` writes into env/.env.dev (made-up but well-formed values). */
export const PROVISIONED_DEV_VALUES: Record<string, string> = {
  TEAMS_APP_ID: '5f0c2d4e-8a51-4c3b-9e7d-2b1a6f9c0d11',
  BOT_ID: '0d6a1b2c-3e4f-4a5b-8c7d-9e0f1a2b3c4d',
  BOT_DOMAIN: 'remediator-dev-abc123.azurewebsites.net',
  BOT_ENDPOINT: 'https://remediator-dev-abc123.azurewebsites.net',
  M365_TENANT_ID: 'aedee607-2a8c-4668-8b03-27f2a79988f2',
  M365_CLIENT_ID: '3eadf42a-a745-4fba-b922-8a87b7cdfa94',
  AAD_APP_OBJECT_ID: '7c1d9e2f-4b3a-4d5c-a6e7-f8091a2b3c4d',
  RESPONDERS_GROUP_ID: '3fec47b4-98e3-417a-bfd9-6dc67f18a61e',
};

/** env/.env.dev with provisioned values filled in, as a string. */
export function provisionedDevEnv(values: Record<string, string> = PROVISIONED_DEV_VALUES): string {
  return readFileSync(path.join(ENV_DIR, '.env.dev'), 'utf8')
    .split('\n')
    .map((line) => {
      const name = /^([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1];
      return name !== undefined && values[name] !== undefined ? `${name}=${values[name]}` : line;
    })
    .join('\n');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * An independent PNG writer for tests: any 8-bit colour type, and a chosen filter per row, so the
 * decoder is exercised on files it did not write itself.
 */
export function writeTestPng(options: {
  width: number;
  height: number;
  colorType: 0 | 2 | 4 | 6;
  /** Raw samples, row-major, channels per the colour type. */
  samples: Uint8Array;
  filterForRow?: (row: number) => 0 | 1 | 2 | 3 | 4;
}): Buffer {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[options.colorType];
  const stride = options.width * channels;
  const rows: Buffer[] = [];
  const sample = (x: number, y: number) => (x < 0 || y < 0 ? 0 : (options.samples[y * stride + x] ?? 0));
  for (let y = 0; y < options.height; y += 1) {
    const filter = options.filterForRow?.(y) ?? 0;
    const line = Buffer.alloc(stride + 1);
    line[0] = filter;
    for (let x = 0; x < stride; x += 1) {
      const value = sample(x, y);
      const left = sample(x - channels, y);
      const up = sample(x, y - 1);
      const upLeft = sample(x - channels, y - 1);
      let predicted = 0;
      if (filter === 1) predicted = left;
      if (filter === 2) predicted = up;
      if (filter === 3) predicted = (left + up) >> 1;
      if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      line[x + 1] = (value - predicted) & 0xff;
    }
    rows.push(line);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(options.width, 0);
  header.writeUInt32BE(options.height, 4);
  header[8] = 8;
  header[9] = options.colorType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
