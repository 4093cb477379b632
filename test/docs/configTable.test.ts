import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's configuration table is the operator's reference: it must name every environment
 * variable the code reads, and nothing the code does not read. "Read" means a key of the zod
 * schema in src/config/config.ts, or a direct environment read anywhere in src/, scripts/ or bin/.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG_SOURCE = path.join(ROOT, 'src', 'config', 'config.ts');
const SCANNED_DIRS = ['src', 'scripts', 'bin'];
const SOURCE_FILE = /\.(ts|js|mjs|cjs)$/;
const NAME = '[A-Z][A-Z0-9_]*';

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE_FILE.test(entry.name) ? [full] : [];
  });
}

/** The text of `const envSchema = z.object({ ... })`, found by bracket matching. */
function envSchemaBody(source: string): string {
  const start = source.indexOf('const envSchema = z.object({');
  if (start < 0) throw new Error('src/config/config.ts no longer declares `const envSchema = z.object({`');
  const open = source.indexOf('{', start);
  let depth = 0;
  for (let index = open; index < source.length; index += 1) {
    const char = source[index];
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (depth === 0) return source.slice(open + 1, index);
  }
  throw new Error('unbalanced braces in envSchema');
}

/** Top-level keys of the schema: lines indented by exactly two spaces, `NAME:`. */
function schemaEntries(source: string): Map<string, string> {
  const body = envSchemaBody(source);
  const entries = new Map<string, string>();
  const keyPattern = new RegExp(`^ {2}(${NAME}):`, 'gm');
  const matches = [...body.matchAll(keyPattern)];
  matches.forEach((match, index) => {
    const name = match[1];
    if (name === undefined) return;
    const end = matches[index + 1]?.index ?? body.length;
    entries.set(name, body.slice(match.index, end));
  });
  return entries;
}

/** The default a schema entry declares, as it would be written in the README, if any. */
function declaredDefault(entry: string): string | undefined {
  const boolean = /booleanFromEnv\((true|false)\)/.exec(entry);
  if (boolean?.[1]) return boolean[1];
  const value = /\.default\(\s*(?:'([^']*)'|(-?\d+))\s*\)/.exec(entry);
  return value?.[1] ?? value?.[2];
}

/** Direct reads: process.env.X, process.env['X'], env.X / env['X'] on an env record, and *_VARIABLE = 'X' constants. */
function directReads(source: string): string[] {
  const patterns = [
    new RegExp(`process\\.env\\.(${NAME})\\b`, 'g'),
    new RegExp(`(?<![.\\w])env\\.(${NAME})\\b`, 'g'),
    new RegExp(`(?:process\\.env|\\benv)\\[\\s*['"\`](${NAME})['"\`]\\s*\\]`, 'g'),
    new RegExp(`\\b${NAME}_VARIABLE\\s*=\\s*['"\`](${NAME})['"\`]`, 'g'),
  ];
  return patterns.flatMap((pattern) =>
    [...source.matchAll(pattern)].map((match) => match[1]).filter((name) => name !== undefined),
  );
}

interface TableRow {
  name: string;
  cells: string[];
}

/** Rows of the tables under the README's "## Configuration" heading whose first cell is `NAME`. */
function configurationRows(readme: string): TableRow[] {
  const start = readme.search(/^## Configuration\b/m);
  if (start < 0) return [];
  const rest = readme.slice(start + 3);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const rowPattern = new RegExp(`^\\|\\s*\`(${NAME})\`\\s*\\|(.*)\\|\\s*$`, 'gm');
  return [...section.matchAll(rowPattern)].flatMap((match) => {
    const name = match[1];
    const cells = (match[2] ?? '').split(/(?<!\\)\|/).map((cell) => cell.trim());
    return name === undefined ? [] : [{ name, cells }];
  });
}

const configSource = fs.readFileSync(CONFIG_SOURCE, 'utf8');
const schema = schemaEntries(configSource);
const reads = new Map<string, string[]>();
for (const dir of SCANNED_DIRS) {
  for (const file of sourceFiles(path.join(ROOT, dir))) {
    if (file === CONFIG_SOURCE) continue;
    for (const name of directReads(fs.readFileSync(file, 'utf8'))) {
      reads.set(name, [...(reads.get(name) ?? []), path.relative(ROOT, file)]);
    }
  }
}
const codeVariables = new Set([...schema.keys(), ...reads.keys()]);
const rows = configurationRows(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const documented = new Map(rows.map((row) => [row.name, row]));

describe('the extraction itself', () => {
  it('finds the schema keys, their defaults and direct reads in sample sources', () => {
    const sample = [
      'const envSchema = z.object({',
      "  A_MODE: z.enum(['x', 'y']).default('x'),",
      '  /** a comment: NOT_A_KEY: ignored */',
      '  B_PORT: z.coerce.number().int().default(3978),',
      '  C_FLAG: booleanFromEnv(true),',
      '  D_NESTED: z.object({',
      '    INNER: z.string(),',
      '  }).optional(),',
      '});',
    ].join('\n');
    const entries = schemaEntries(sample);
    expect([...entries.keys()]).toEqual(['A_MODE', 'B_PORT', 'C_FLAG', 'D_NESTED']);
    expect([...entries.values()].map(declaredDefault)).toEqual(['x', '3978', 'true', undefined]);
    expect(
      directReads(
        "process.env.ONE ?? process.env['TWO']; this.env[X]; env.THREE; export const CRASH_VARIABLE = 'FOUR';",
      ),
    ).toEqual(['ONE', 'THREE', 'TWO', 'FOUR']);
  });

  it('finds the configuration table in a README', () => {
    const readme = [
      '## Configuration',
      '| variable | default | secret | meaning |',
      '|---|---|---|---|',
      '| `PORT` | `3978` | no | port, a \\| pipe |',
      '## Next',
      '| `NOT_CONFIG` | x | no | y |',
    ].join('\n');
    expect(configurationRows(readme)).toEqual([
      { name: 'PORT', cells: ['`3978`', 'no', 'port, a \\| pipe'] },
    ]);
  });

  it('sees the schema and the scripts the product really has', () => {
    expect(schema.has('TENANT_MODE')).toBe(true);
    expect(schema.has('LOG_LEVEL')).toBe(true);
    expect(reads.has('PLAYGROUND_PORT')).toBe(true);
  });
});

describe('README configuration table', () => {
  it('lists every environment variable the code reads', () => {
    const missing = [...codeVariables].filter((name) => !documented.has(name)).sort();
    expect(missing, `read by the code but not in README.md "## Configuration"`).toEqual([]);
  });

  it('lists no variable the code does not read', () => {
    const unknown = [...documented.keys()].filter((name) => !codeVariables.has(name)).sort();
    expect(unknown, 'in README.md "## Configuration" but never read by the code').toEqual([]);
  });

  it('lists each variable once', () => {
    const names = rows.map((row) => row.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('gives every row a default, a secret flag and a meaning; SECRET_* and only those are secret', () => {
    for (const row of rows) {
      expect(row.cells, row.name).toHaveLength(3);
      const [defaultCell, secretCell, meaning] = row.cells;
      expect(defaultCell, `${row.name}: default`).not.toBe('');
      expect(secretCell, `${row.name}: secret`).toBe(row.name.startsWith('SECRET_') ? 'yes' : 'no');
      expect((meaning ?? '').length, `${row.name}: meaning`).toBeGreaterThan(10);
    }
  });

  it("states the schema's default for every variable that has one", () => {
    for (const [name, entry] of schema) {
      const expected = declaredDefault(entry);
      if (expected === undefined) continue;
      expect(documented.get(name)?.cells[0] ?? '', `${name}: default`).toContain(`\`${expected}\``);
    }
  });
});
