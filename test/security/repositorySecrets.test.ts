import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../scripts/packaging/env-file';

const ROOT = path.resolve(__dirname, '../..');

/** Files git tracks or would track (not ignored): what a commit can carry. */
function repositoryFiles(): string[] {
  const output = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return output
    .split('\0')
    .filter((file) => file.length > 0 && !file.startsWith('node_modules/'))
    .filter((file) => {
      try {
        return statSync(path.join(ROOT, file)).isFile();
      } catch {
        return false; // deleted in the working tree
      }
    });
}

/** Shapes of real credentials; each is specific enough that a hit is worth a human look. */
const SECRET_SHAPES: [string, RegExp][] = [
  ['a PEM private key', /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/],
  ['a JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['an Entra ID client secret', /(?<![A-Za-z0-9])[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9])/],
  [
    'a storage account key',
    /AccountKey=(?!Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq)[A-Za-z0-9+/]{40,}={0,2}/,
  ],
  ['a shared access signature', /[?&]sig=[A-Za-z0-9%+/]{30,}/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['a filled SECRET_ variable', /^[ \t]*SECRET_[A-Z0-9_]+[ \t]*=[ \t]*[^\s#]/m],
];

describe('no secrets in the repository', () => {
  const files = repositoryFiles();

  it('sees the repository (sanity check of the file list)', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'src/config/config.ts']));
  });

  it('no tracked file holds a credential-shaped string', () => {
    const hits: string[] = [];
    for (const file of files) {
      const content = readFileSync(path.join(ROOT, file));
      if (content.includes(0)) continue; // binary (icons)
      const text = content.toString('utf8');
      for (const [name, shape] of SECRET_SHAPES) if (shape.test(text)) hits.push(`${file}: ${name}`);
    }
    expect(hits).toEqual([]);
  });

  it('the shapes do catch real-looking credentials (built here at run time, never stored)', () => {
    const samples = [
      ['-----BEGIN ', 'PRIVATE KEY-----'].join('RSA '),
      ['eyJ', 'hbGciOiJSUzI1NiJ9', '.eyJ', 'pc3MiOiJodHRwcyJ9', '.', 'c2lnbmF0dXJlLXZhbHVl'].join(''),
      ['abc', '8Q~', 'x'.repeat(32)].join(''),
      ['AccountKey=', 'Q'.repeat(86), '=='].join(''),
      ['SECRET_BOT_PASSWORD', '=', 'hunter2hunter2'].join(''),
    ];
    for (const sample of samples) {
      expect(SECRET_SHAPES.some(([, shape]) => shape.test(sample))).toBe(true);
    }
  });

  it('env/ holds templates only: every SECRET_ value is empty', () => {
    const envDir = path.join(ROOT, 'env');
    const filled: string[] = [];
    for (const name of readdirSync(envDir)) {
      for (const [key, value] of parseEnvFile(readFileSync(path.join(envDir, name), 'utf8'), name)) {
        if (key.startsWith('SECRET_') && value !== '') filled.push(`${name}: ${key}`);
      }
    }
    expect(filled).toEqual([]);
  });

  it('every configuration variable that carries a credential is named SECRET_ (so the rule above covers it)', () => {
    const source = readFileSync(path.join(ROOT, 'src/config/config.ts'), 'utf8');
    const variables = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1] ?? '');
    expect(variables).toContain('SECRET_ALERT_WEBHOOK_SECRET');
    const credentialLike = variables.filter((name) =>
      /PASSWORD|SECRET|CONNECTION_STRING|API_KEY|TOKEN/.test(name),
    );
    expect(credentialLike.filter((name) => !name.startsWith('SECRET_'))).toEqual([]);
  });

  it('git ignores the places real secrets live locally', () => {
    const ignored = readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['env/.env.*.user', '.env', 'data/']));
  });
});
