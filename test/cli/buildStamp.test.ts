import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildState, writeStamp } from '../../bin/buildStamp';

let checkout: string;

function makeCheckout(): string {
  checkout = mkdtempSync(path.join(os.tmpdir(), 'remediator-stamp-'));
  mkdirSync(path.join(checkout, 'src', 'cli'), { recursive: true });
  mkdirSync(path.join(checkout, 'dist'));
  writeFileSync(path.join(checkout, 'src', 'cli', 'main.ts'), 'export const version = 1;\n');
  writeFileSync(path.join(checkout, 'tsconfig.json'), '{}\n');
  return checkout;
}

afterEach(() => rmSync(checkout, { recursive: true, force: true }));

describe('the build stamp that decides whether the CLI may run dist/', () => {
  it('is missing until a build completes', () => {
    expect(buildState(makeCheckout())).toBe('missing');
  });

  it('is fresh right after a build and turns stale when a source changes, is added or is removed', () => {
    const root = makeCheckout();
    writeStamp(root);
    expect(buildState(root)).toBe('fresh');

    writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), 'export const version = 2;\n');
    expect(buildState(root)).toBe('stale');
    writeStamp(root);

    writeFileSync(path.join(root, 'src', 'cli', 'extra.ts'), 'export {};\n');
    expect(buildState(root)).toBe('stale');
    writeStamp(root);

    rmSync(path.join(root, 'src', 'cli', 'extra.ts'));
    expect(buildState(root)).toBe('stale');
  });

  it('turns stale when the compiler settings change', () => {
    const root = makeCheckout();
    writeStamp(root);
    writeFileSync(path.join(root, 'tsconfig.json'), '{"compilerOptions":{}}\n');
    expect(buildState(root)).toBe('stale');
  });

  it('trusts an installed package (no sources beside dist/) once it carries a stamp', () => {
    const root = makeCheckout();
    writeStamp(root);
    rmSync(path.join(root, 'src'), { recursive: true });
    expect(buildState(root)).toBe('fresh');
  });
});
