import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppPackage, PackageError } from '../../scripts/packaging/app-package';
import type { PackageOptions, PackageResult } from '../../scripts/packaging/app-package';
import { parseEnvFile } from '../../scripts/packaging/env-file';
import { drawOutlineIcon } from '../../scripts/packaging/icons';
import { encodePng } from '../../scripts/packaging/png';
import {
  copyManifestDir,
  ENV_DIR,
  makeTempDir,
  MANIFEST_DIR,
  PROVISIONED_DEV_VALUES,
  provisionedDevEnv,
  readJson,
  removeTempDirs,
  ROOT_DIR,
} from './helpers';

afterAll(removeTempDirs);

type Json = Record<string, unknown>;

function build(options: Partial<PackageOptions> & { env: string }) {
  return buildAppPackage({ rootDir: ROOT_DIR, outDir: makeTempDir(), processEnv: {}, ...options });
}

function packageFailure(options: Partial<PackageOptions> & { env: string }): PackageError {
  try {
    build(options);
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error('packaging succeeded but was expected to fail');
}

function devEnvDir(contents = provisionedDevEnv()): string {
  const dir = makeTempDir();
  writeFileSync(path.join(dir, '.env.dev'), contents);
  return dir;
}

function zipEntries(zipPath: string): Map<string, Buffer> {
  return new Map(new AdmZip(zipPath).getEntries().map((entry) => [entry.entryName, entry.getData()]));
}

function breakManifest(mutate: (manifest: Json & { bots: Json[] }) => void): string {
  const dir = copyManifestDir();
  const file = path.join(dir, 'manifest.json');
  const manifest = readJson(file) as Json & { bots: Json[] };
  mutate(manifest);
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return dir;
}

describe('packaging the local environment', () => {
  const localValues = parseEnvFile(readFileSync(path.join(ENV_DIR, '.env.local'), 'utf8'));
  let result: PackageResult;
  let entries: Map<string, Buffer>;
  beforeAll(() => {
    result = build({ env: 'local' });
    entries = zipEntries(result.zipPath);
  });

  it('writes appPackage.local.zip with the manifest, both icons and the nb-NO strings', () => {
    expect(path.basename(result.zipPath)).toBe('appPackage.local.zip');
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'nb-no.json', 'outline.png']);
  });

  it('fills the manifest from env/.env.local and leaves no placeholder behind', () => {
    const text = entries.get('manifest.json')?.toString('utf8') ?? '';
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as Json & { bots: Json[] };
    expect(manifest.id).toBe(localValues.get('TEAMS_APP_ID'));
    expect(manifest.bots[0]?.botId).toBe(localValues.get('BOT_ID'));
    expect(manifest.validDomains).toEqual([localValues.get('BOT_DOMAIN')]);
    expect((manifest.name as Json).short).toBe(`Remediator${localValues.get('APP_NAME_SUFFIX') ?? ''}`);
  });

  it('fills the localization file too and packs the committed icons unchanged', () => {
    const localization = JSON.parse(entries.get('nb-no.json')?.toString('utf8') ?? '{}') as Json;
    expect(localization['name.short']).toBe(`Remediator${localValues.get('APP_NAME_SUFFIX') ?? ''}`);
    expect(entries.get('color.png')?.equals(readFileSync(path.join(MANIFEST_DIR, 'color.png')))).toBe(true);
    expect(entries.get('outline.png')?.equals(readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toBe(
      true,
    );
  });
});

describe('packaging the dev environment', () => {
  it('stops before provisioning with the variables still missing, naming the env file', () => {
    const error = packageFailure({ env: 'dev' });
    expect(error.message).toMatch(
      /teamsAppManifest\/manifest\.json needs variables that env\/\.env\.dev does not set: TEAMS_APP_ID, BOT_ID, BOT_DOMAIN, M365_CLIENT_ID\./,
    );
  });

  it('builds appPackage.dev.zip once provisioning has written the ids', () => {
    const result = build({ env: 'dev', envDir: devEnvDir() });
    const manifest = JSON.parse(
      zipEntries(result.zipPath).get('manifest.json')?.toString('utf8') ?? '{}',
    ) as Json & { bots: Json[] };
    expect(path.basename(result.zipPath)).toBe('appPackage.dev.zip');
    expect(manifest.id).toBe(PROVISIONED_DEV_VALUES.TEAMS_APP_ID);
    expect(manifest.bots[0]?.botId).toBe(PROVISIONED_DEV_VALUES.BOT_ID);
    expect(manifest.validDomains).toEqual([PROVISIONED_DEV_VALUES.BOT_DOMAIN]);
    expect((manifest.name as Json).short).toBe('Remediator-dev');
  });

  it('takes values from the process environment over the env file (CI)', () => {
    const processEnv = {
      TEAMS_APP_ID: PROVISIONED_DEV_VALUES.TEAMS_APP_ID,
      BOT_ID: PROVISIONED_DEV_VALUES.BOT_ID,
      BOT_DOMAIN: 'ci.example.net',
      M365_CLIENT_ID: PROVISIONED_DEV_VALUES.M365_CLIENT_ID,
    };
    const result = build({ env: 'dev', processEnv });
    expect((result.manifest.validDomains as string[])[0]).toBe('ci.example.net');
  });
});

describe('packaging failures', () => {
  it('names the JSON path and reason of every schema violation, and writes no zip', () => {
    const outDir = makeTempDir();
    const manifestDir = breakManifest((manifest) => {
      manifest.bots[0]!.botId = 'remediator';
      (manifest.bots[0]!.commandLists as Json[])[1]!.scopes = ['channel'];
      (manifest.developer as Json).websiteUrl = 'contoso.com';
    });
    const error = packageFailure({ env: 'local', manifestDir, outDir });
    const shown = path.relative(ROOT_DIR, path.join(manifestDir, 'manifest.json')).split(path.sep).join('/');
    expect(error.problems).toEqual(
      expect.arrayContaining([
        `${shown} $.bots[0].botId: must match pattern "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"`,
        `${shown} $.bots[0].commandLists[1].scopes[0]: must be one of "team", "personal", "groupChat", "copilot"`,
        `${shown} $.developer.websiteUrl: must match pattern "^[Hh][Tt][Tt][Pp][Ss]?://"`,
      ]),
    );
    expect(error.message).toContain('The app package for "local" is not valid:');
    expect(existsSync(path.join(outDir, 'appPackage.local.zip'))).toBe(false);
  });

  it('names the manifest path of an icon file that does not exist', () => {
    const manifestDir = breakManifest((manifest) => ((manifest.icons as Json).outline = 'outline-32.png'));
    expect(packageFailure({ env: 'local', manifestDir }).problems).toEqual([
      expect.stringMatching(
        /manifest\.json \$\.icons\.outline: "outline-32\.png" does not exist in teamsAppManifest\/$/,
      ),
    ]);
  });

  it('refuses a referenced file outside the package folder', () => {
    const manifestDir = breakManifest((manifest) => ((manifest.icons as Json).color = '../color.png'));
    expect(packageFailure({ env: 'local', manifestDir }).problems).toEqual([
      expect.stringMatching(/\$\.icons\.color: "\.\.\/color\.png" must be a file name next to the manifest$/),
    ]);
  });

  it('checks the icons against the Teams rules', () => {
    const manifestDir = copyManifestDir();
    const coloured = drawOutlineIcon();
    coloured.rgba.fill(0); // transparent everywhere…
    coloured.rgba.set([255, 0, 0, 255], 0); // …except one red pixel
    writeFileSync(path.join(manifestDir, 'outline.png'), encodePng(coloured));
    expect(packageFailure({ env: 'local', manifestDir }).problems).toEqual([
      expect.stringMatching(/outline\.png: 1 visible pixel\(s\) are not white/),
    ]);
  });

  it('validates the localization file against the localization schema', () => {
    const manifestDir = copyManifestDir();
    const file = path.join(manifestDir, 'nb-no.json');
    writeFileSync(
      file,
      JSON.stringify({ ...readJson(file), 'bots[0].commandLists[3].commands[0].title': 'x' }),
    );
    expect(packageFailure({ env: 'local', manifestDir }).problems).toEqual([
      expect.stringMatching(
        /nb-no\.json \$\['bots\[0\]\.commandLists\[3\]\.commands\[0\]\.title'\]: is not a property the schema allows here$/,
      ),
    ]);
  });

  it('lists the known environments when asked for one that does not exist', () => {
    expect(packageFailure({ env: 'prod' }).message).toBe(
      'No environment file env/.env.prod (environments: dev, local).',
    );
  });

  it('refuses an environment name that could point outside env/', () => {
    expect(packageFailure({ env: '../secrets' }).message).toMatch(/must be letters, digits/);
  });
});

describe('npm run package (scripts/package.ts)', () => {
  const cli = (args: string[], env: Record<string, string | undefined> = {}) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN']) if (!(name in env)) delete childEnv[name];
    return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/package.ts', ...args], {
      cwd: ROOT_DIR,
      env: childEnv,
      encoding: 'utf8',
    });
  };

  it('writes the zip and says where', () => {
    const outDir = makeTempDir();
    const run = cli(['--env', 'local', '--out', outDir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'appPackage.local.zip (manifest 1.30: manifest.json, color.png, outline.png, nb-no.json)',
    );
    expect(existsSync(path.join(outDir, 'appPackage.local.zip'))).toBe(true);
  });

  it('exits 1 with the reason on stderr when a variable is missing', () => {
    const run = cli(['--env', 'dev', '--out', makeTempDir()]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('env/.env.dev does not set: TEAMS_APP_ID, BOT_ID, BOT_DOMAIN');
  });
});
