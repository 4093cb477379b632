import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { EnvFileError, parseEnvFile } from './env-file';
import { checkIcon } from './icon-rules';
import type { IconKind } from './icon-rules';
import { fillJsonPlaceholders, MissingVariablesError } from './placeholders';
import { validateAgainstTeamsSchema } from './teams-schema';
import type { TeamsSchemaKind } from './teams-schema';

/**
 * Builds the Teams app package for one environment: fills the manifest template from
 * env/.env.<env>, validates manifest and localization files against the official schema and the
 * icons against the Teams rules, then writes build/appPackage.<env>.zip.
 */

export interface PackageOptions {
  /** Environment name: reads env/.env.<env>. */
  env: string;
  /** Project root; the other folders default to folders under it. */
  rootDir: string;
  manifestDir?: string;
  envDir?: string;
  outDir?: string;
  /** Values here win over the env file when non-empty (CI secrets, overrides). */
  processEnv?: Readonly<Record<string, string | undefined>>;
  /** Variables allowed to be empty. */
  mayBeEmpty?: ReadonlySet<string>;
}

export interface PackageResult {
  zipPath: string;
  manifestVersion: string;
  manifest: Record<string, unknown>;
  /** File names inside the zip, in the order written. */
  entries: string[];
}

export class PackageError extends Error {
  constructor(
    summary: string,
    readonly problems: string[],
  ) {
    super(
      problems.length > 0 ? `${summary}\n${problems.map((problem) => `  - ${problem}`).join('\n')}` : summary,
    );
    this.name = 'PackageError';
  }
}

export const DEFAULT_MAY_BE_EMPTY: ReadonlySet<string> = new Set(['APP_NAME_SUFFIX']);

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function relativeTo(rootDir: string, file: string): string {
  return path.relative(rootDir, file).split(path.sep).join('/');
}

function listEnvironments(envDir: string): string[] {
  if (!existsSync(envDir)) return [];
  return readdirSync(envDir)
    .filter((name) => /^\.env\.[^.]+$/.test(name))
    .map((name) => name.slice('.env.'.length));
}

function readValues(rootDir: string, envDir: string, env: string, processEnv: PackageOptions['processEnv']) {
  const envFile = path.join(envDir, `.env.${env}`);
  const shownEnvFile = relativeTo(rootDir, envFile);
  if (!existsSync(envFile)) {
    const known = listEnvironments(envDir);
    throw new PackageError(
      `No environment file ${shownEnvFile}${known.length > 0 ? ` (environments: ${known.join(', ')})` : ''}.`,
      [],
    );
  }
  let values: Map<string, string>;
  try {
    values = parseEnvFile(readFileSync(envFile, 'utf8'), shownEnvFile);
  } catch (error) {
    if (error instanceof EnvFileError) throw new PackageError(error.message, []);
    throw error;
  }
  for (const [name, value] of Object.entries(processEnv ?? {})) {
    if (value !== undefined && value !== '') values.set(name, value);
  }
  return { values, shownEnvFile };
}

interface ManifestFileRef {
  /** JSON path of the reference inside the manifest, for messages. */
  at: string;
  file: string;
}

function referencedFiles(manifest: Record<string, unknown>): {
  icons: Map<IconKind, ManifestFileRef>;
  languages: ManifestFileRef[];
} {
  const icons = new Map<IconKind, ManifestFileRef>();
  const iconBlock = manifest.icons as Record<string, unknown> | undefined;
  for (const kind of ['color', 'outline'] as const) {
    const file = iconBlock?.[kind];
    if (typeof file === 'string') icons.set(kind, { at: `$.icons.${kind}`, file });
  }
  const languages: ManifestFileRef[] = [];
  const localization = manifest.localizationInfo as Record<string, unknown> | undefined;
  if (typeof localization?.defaultLanguageFile === 'string') {
    languages.push({ at: '$.localizationInfo.defaultLanguageFile', file: localization.defaultLanguageFile });
  }
  const additional = Array.isArray(localization?.additionalLanguages) ? localization.additionalLanguages : [];
  additional.forEach((language: unknown, index) => {
    const file = (language as Record<string, unknown> | null)?.file;
    if (typeof file === 'string')
      languages.push({ at: `$.localizationInfo.additionalLanguages[${index}].file`, file });
  });
  return { icons, languages };
}

function resolveInside(
  manifestDir: string,
  ref: ManifestFileRef,
  problems: string[],
  shownManifest: string,
): string | undefined {
  const resolved = path.resolve(manifestDir, ref.file);
  // Teams reads the package flat: every referenced file must be at the root of the zip.
  if (
    path.dirname(resolved) !== path.resolve(manifestDir) ||
    ref.file.includes('/') ||
    ref.file.includes('\\')
  ) {
    problems.push(`${shownManifest} ${ref.at}: "${ref.file}" must be a file name next to the manifest`);
    return undefined;
  }
  if (!existsSync(resolved)) {
    problems.push(
      `${shownManifest} ${ref.at}: "${ref.file}" does not exist in ${path.basename(manifestDir)}/`,
    );
    return undefined;
  }
  return resolved;
}

function schemaProblems(
  document: unknown,
  kind: TeamsSchemaKind,
  version: string,
  shownFile: string,
): string[] {
  return validateAgainstTeamsSchema(document, kind, version).map(
    (problem) => `${shownFile} ${problem.path}: ${problem.reason}`,
  );
}

function parseJson(text: string, shownFile: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the top level must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new PackageError(
      `${shownFile} is not valid JSON after filling placeholders: ${(error as Error).message}`,
      [],
    );
  }
}

type Fill = (text: string, template: string) => string;

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Fills and parses manifest.json; throws when it cannot even be read as a manifest. */
function loadManifest(manifestFile: string, shownManifest: string, fill: Fill) {
  if (!existsSync(manifestFile)) throw new PackageError(`No manifest template ${shownManifest}.`, []);
  let text: string;
  try {
    text = fill(readFileSync(manifestFile, 'utf8'), shownManifest);
  } catch (error) {
    if (error instanceof MissingVariablesError) throw new PackageError(error.message, []);
    throw error;
  }
  const manifest = parseJson(text, shownManifest);
  const manifestVersion = manifest.manifestVersion;
  if (typeof manifestVersion !== 'string') {
    throw new PackageError(
      `${shownManifest} $.manifestVersion: is required and must be a string like "1.30"`,
      [],
    );
  }
  try {
    return {
      manifest,
      manifestVersion,
      problems: schemaProblems(manifest, 'manifest', manifestVersion, shownManifest),
    };
  } catch (error) {
    throw new PackageError(`${shownManifest} $.manifestVersion: ${(error as Error).message}`, []);
  }
}

/** Icons and localization files the manifest names: checked, filled and ready for the zip. */
function packReferencedFiles(
  manifest: Record<string, unknown>,
  manifestVersion: string,
  paths: { rootDir: string; manifestDir: string; shownManifest: string },
  fill: Fill,
): { entries: ZipEntry[]; problems: string[] } {
  const entries: ZipEntry[] = [];
  const problems: string[] = [];
  const { icons, languages } = referencedFiles(manifest);
  for (const [kind, ref] of icons) {
    const file = resolveInside(paths.manifestDir, ref, problems, paths.shownManifest);
    if (!file) continue;
    const data = readFileSync(file);
    problems.push(...checkIcon(kind, data, relativeTo(paths.rootDir, file)));
    entries.push({ name: ref.file, data });
  }
  for (const ref of languages) {
    const file = resolveInside(paths.manifestDir, ref, problems, paths.shownManifest);
    if (!file) continue;
    const shownFile = relativeTo(paths.rootDir, file);
    try {
      const localization = parseJson(fill(readFileSync(file, 'utf8'), shownFile), shownFile);
      problems.push(...schemaProblems(localization, 'localization', manifestVersion, shownFile));
      entries.push({ name: ref.file, data: Buffer.from(`${JSON.stringify(localization, null, 2)}\n`) });
    } catch (error) {
      if (!(error instanceof MissingVariablesError) && !(error instanceof PackageError)) throw error;
      problems.push(error.message);
    }
  }
  return { entries, problems };
}

export function buildAppPackage(options: PackageOptions): PackageResult {
  if (!ENV_NAME.test(options.env)) {
    throw new PackageError(`Environment name "${options.env}" must be letters, digits, "-" or "_".`, []);
  }
  const rootDir = path.resolve(options.rootDir);
  const manifestDir = path.resolve(options.manifestDir ?? path.join(rootDir, 'teamsAppManifest'));
  const envDir = path.resolve(options.envDir ?? path.join(rootDir, 'env'));
  const outDir = path.resolve(options.outDir ?? path.join(rootDir, 'build'));
  const mayBeEmpty = options.mayBeEmpty ?? DEFAULT_MAY_BE_EMPTY;

  const { values, shownEnvFile } = readValues(rootDir, envDir, options.env, options.processEnv);
  const fill: Fill = (text, template) =>
    fillJsonPlaceholders(text, values, { source: shownEnvFile, template, mayBeEmpty });
  const manifestFile = path.join(manifestDir, 'manifest.json');
  const shownManifest = relativeTo(rootDir, manifestFile);

  const { manifest, manifestVersion, problems } = loadManifest(manifestFile, shownManifest, fill);
  const referenced = packReferencedFiles(
    manifest,
    manifestVersion,
    { rootDir, manifestDir, shownManifest },
    fill,
  );
  problems.push(...referenced.problems);
  if (problems.length > 0) {
    throw new PackageError(`The app package for "${options.env}" is not valid:`, problems);
  }

  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    ...referenced.entries,
  ];
  const zip = new AdmZip();
  for (const entry of entries) zip.addFile(entry.name, entry.data);
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${options.env}.zip`);
  zip.writeZip(zipPath);
  return { zipPath, manifestVersion, manifest, entries: entries.map((entry) => entry.name) };
}
