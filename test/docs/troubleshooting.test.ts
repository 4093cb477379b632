import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/TROUBLESHOOTING.md is the error catalogue: every stable code the code can report must have
 * its own section (cause and fix), and the page must not describe codes that no longer exist.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), 'utf8');

/** The string literals of a union type's members, from the text after `marker` up to the first `;` or `,` at depth 0. */
function unionMembers(source: string, marker: string): string[] {
  const start = source.indexOf(marker);
  if (start < 0) throw new Error(`cannot find ${marker}`);
  const after = source.slice(start + marker.length);
  const end = after.search(/[;,]\s*\n/);
  const union = end < 0 ? after : after.slice(0, end);
  return [...union.matchAll(/\|\s*'([A-Za-z]+)'/g)].map((match) => match[1] ?? '');
}

/** Level-3 headings of a section of the page (between `## <title>` and the next `## `). */
function headingsUnder(page: string, title: string): string[] {
  const start = page.indexOf(`\n## ${title}`);
  if (start < 0) return [];
  const rest = page.slice(start + 1);
  const next = rest.indexOf('\n## ', 1);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/^### (.+)$/gm)].map((match) => (match[1] ?? '').trim());
}

const page = read('docs/TROUBLESHOOTING.md');
const m365Codes = unionMembers(read('src/m365/types.ts'), 'export type M365ErrorCode =');
const policyCodes = unionMembers(read('src/remediation/contract.ts'), 'readonly code:');

describe('the code extraction', () => {
  it('reads a union of string literals', () => {
    expect(unionMembers("export type X =\n  | 'One'\n  | 'Two';\n", 'export type X =')).toEqual([
      'One',
      'Two',
    ]);
  });

  it('finds the codes the product has today', () => {
    expect(m365Codes).toEqual(expect.arrayContaining(['PermissionDenied', 'Throttled', 'Unknown']));
    expect(policyCodes).toEqual(expect.arrayContaining(['NotResponder', 'SelfApproval', 'ProtectedAccount']));
  });
});

describe('docs/TROUBLESHOOTING.md', () => {
  it('has a section for every M365ErrorCode, and none for codes that do not exist', () => {
    expect([...headingsUnder(page, 'Microsoft 365 errors')].sort()).toEqual([...m365Codes].sort());
  });

  it('has a section for every PolicyError code, and none for codes that do not exist', () => {
    expect([...headingsUnder(page, 'Policy refusals')].sort()).toEqual([...policyCodes].sort());
  });

  it('gives every code a cause and a fix', () => {
    const sections = page.split(/^### /m).slice(1);
    for (const section of sections) {
      const title = section.split('\n', 1)[0] ?? '';
      expect(section, title).toMatch(/\*\*Cause\.\*\*|\| message|\| error/);
      expect(section, title).toMatch(/\*\*Fix\.\*\*|\| fix/);
    }
  });

  it('covers the start-up refusals the bot can exit with', () => {
    const startup = headingsUnder(page, 'Start-up').join('\n');
    expect(startup).toContain('ConfigError');
    expect(startup).toContain('BOT_ID is not set');
    expect(startup).toContain('loopback');
    // The page quotes the guard's message; it must still be what the guard says.
    const guard = read('src/server/startupGuard.ts');
    expect(guard).toContain('Refusing to start: BOT_ID is not set');
    expect(page).toContain('Refusing to start: BOT_ID is not set');
  });
});
