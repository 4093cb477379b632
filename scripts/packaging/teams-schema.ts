import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates app manifests and localization files against Microsoft's official JSON schemas, read
 * offline from the npm package @microsoft/app-manifest (build/json-schemas/teams/v1.xx/), and turns
 * Ajv errors into "JSON path: reason" lines a person can act on.
 */

export type TeamsSchemaKind = 'manifest' | 'localization';

export interface SchemaProblem {
  /** JSONPath of the offending value, e.g. `$.bots[0].botId`. */
  path: string;
  reason: string;
}

const SCHEMA_FILES: Record<TeamsSchemaKind, string> = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

function schemasRoot(): string {
  const packageJson = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(packageJson), 'build', 'json-schemas', 'teams');
}

export function availableManifestVersions(): string[] {
  return readdirSync(schemasRoot())
    .filter((name) => /^v1\.\d+$/.test(name))
    .map((name) => name.slice(1))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

export function schemaPath(kind: TeamsSchemaKind, manifestVersion: string): string {
  if (!/^1\.\d+$/.test(manifestVersion)) {
    throw new Error(`manifestVersion "${manifestVersion}" is not a released schema version like "1.30"`);
  }
  const file = path.join(schemasRoot(), `v${manifestVersion}`, SCHEMA_FILES[kind]);
  if (!existsSync(file)) {
    throw new Error(
      `@microsoft/app-manifest has no ${kind} schema for manifestVersion ${manifestVersion} ` +
        `(available: ${availableManifestVersions().join(', ')})`,
    );
  }
  return file;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(kind: TeamsSchemaKind, manifestVersion: string): ValidateFunction {
  const file = schemaPath(kind, manifestVersion);
  const cached = validators.get(file);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // The Teams schemas declare draft-04, which Ajv 8 does not ship a meta-schema for. They only use
  // keywords whose meaning is unchanged in draft-07 (no boolean exclusiveMinimum/Maximum, no `id`
  // as a schema identifier), so dropping the declaration and compiling with the default draft is
  // exact. The test suite checks that assumption against the schema file.
  delete schema.$schema;
  // Some Teams schema patterns (e.g. `\b]` in the localization schema) are valid JavaScript regular
  // expressions only without the `u` flag, which is how Teams' own tooling evaluates them.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(file, validate);
  return validate;
}

/** `/bots/0/commandLists` → `$.bots[0].commandLists`; keys that are not identifiers use brackets. */
export function pointerToJsonPath(pointer: string): string {
  if (pointer === '') return '$';
  return (
    '$' +
    pointer
      .slice(1)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((key) =>
        /^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `['${key}']`,
      )
      .join('')
  );
}

function childPath(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}['${key}']`;
}

function describe(error: ErrorObject): SchemaProblem {
  const at = pointerToJsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: childPath(at, String(params.missingProperty)), reason: 'is required but missing' };
    case 'additionalProperties':
      return {
        path: childPath(at, String(params.additionalProperty)),
        reason: 'is not a property the schema allows here',
      };
    case 'enum':
      return {
        path: at,
        reason: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: at, reason: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: at, reason: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

export function validateAgainstTeamsSchema(
  document: unknown,
  kind: TeamsSchemaKind,
  manifestVersion: string,
): SchemaProblem[] {
  const validate = validatorFor(kind, manifestVersion);
  if (validate(document)) return [];
  const seen = new Set<string>();
  return (validate.errors ?? []).map(describe).filter((problem) => {
    const key = `${problem.path} ${problem.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
