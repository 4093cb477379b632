/**
 * Refreshes the extracts of Microsoft's published Graph metadata that the contract test
 * (test/contract/graphContract.test.ts) checks the service layer and the simulator against:
 *
 *   npx tsx scripts/vendor-graph-metadata.ts <msgraph-metadata repo> <microsoft-graph-devx-content repo>
 *
 * Each argument is a clone (or bare git directory) of the public GitHub repository
 * microsoftgraph/msgraph-metadata and microsoftgraph/microsoft-graph-devx-content. Only the parts the
 * product uses are kept (the types it reads or writes, the application permissions of the paths it
 * calls), each file recording the repository, path and commit it was taken from.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const OUT = path.resolve(__dirname, '..', 'test', 'contract', 'graph-metadata');
const CSDL_FILE = 'schemas/v1.0-Prod.csdl';
const PERMISSIONS_FILE = 'permissions/new/permissions.json';

/** Entity and complex types whose properties the product selects, reads or writes. */
const ROOT_TYPES = [
  'user',
  'group',
  'domain',
  'servicePrincipal',
  'oAuth2PermissionGrant',
  'appRoleAssignment',
  'messageRule',
  'mailFolder',
  'unifiedRoleAssignment',
  'unifiedRoleDefinition',
  'unifiedRoleEligibilitySchedule',
  'unifiedRoleEligibilityScheduleRequest',
  'authenticationMethod',
  'riskyUser',
  'signIn',
  'userScopeTeamsAppInstallation',
  'teamsApp',
];
/** Derived types are included for these (a list answers with any of them, named by `@odata.type`). */
const WITH_DERIVED = ['authenticationMethod'];

/** First segment of every path the product calls (lower case); only these permissions are kept. */
const PATH_PREFIXES = [
  '/users/',
  '/me/',
  '/groups/',
  '/domains',
  '/serviceprincipals',
  '/oauth2permissiongrants',
  '/rolemanagement/directory/',
  '/identityprotection/riskyusers',
  '/auditlogs/signins',
];

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

interface TypeExtract {
  kind: 'entity' | 'complex';
  baseType?: string;
  /** Structural and navigation properties declared on this type (not inherited), name → type. */
  properties: Record<string, string>;
}

function parseGraphSchema(csdl: string): Map<string, TypeExtract> {
  const start = csdl.indexOf('<Schema Namespace="microsoft.graph"');
  const schema = csdl.slice(start, csdl.indexOf('</Schema>', start));
  const types = new Map<string, TypeExtract>();
  const block = /<(EntityType|ComplexType) Name="([^"]+)"([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
  for (const match of schema.matchAll(block)) {
    const [, tag, name, attributes, , body = ''] = match;
    const baseType = /BaseType="graph\.([^"]+)"/.exec(attributes ?? '')?.[1];
    const properties: Record<string, string> = {};
    for (const property of body.matchAll(/<(?:Navigation)?Property Name="([^"]+)" Type="([^"]+)"/g)) {
      properties[property[1]!] = property[2]!.replace(/graph\./g, '');
    }
    types.set(name!, {
      kind: tag === 'EntityType' ? 'entity' : 'complex',
      ...(baseType ? { baseType } : {}),
      properties,
    });
  }
  return types;
}

function elementType(type: string): string {
  return type.replace(/^Collection\((.*)\)$/, '$1');
}

function selectTypes(all: Map<string, TypeExtract>): Record<string, TypeExtract> {
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    const type = all.get(name);
    if (!type || wanted.has(name)) return;
    wanted.add(name);
    if (type.baseType) visit(type.baseType);
    // Complex property types are part of the payload; entity navigation targets only when listed.
    for (const propertyType of Object.values(type.properties)) {
      const target = all.get(elementType(propertyType));
      if (target?.kind === 'complex') visit(elementType(propertyType));
    }
  };
  for (const name of ROOT_TYPES) visit(name);
  for (const base of WITH_DERIVED) {
    for (const [name, type] of all) if (type.baseType === base) visit(name);
  }
  return Object.fromEntries([...wanted].sort().map((name) => [name, all.get(name)!]));
}

interface PublishedPermission {
  schemes?: Record<string, unknown>;
  pathSets?: Array<{ schemeKeys: string[]; methods: string[]; paths: Record<string, string> }>;
}

/** "METHOD /path" (path in lower case) → application permissions Microsoft lists for it. */
function applicationPermissions(published: Record<string, PublishedPermission>): Record<string, string[]> {
  const byCall = new Map<string, Set<string>>();
  for (const [permission, entry] of Object.entries(published)) {
    for (const set of entry.pathSets ?? []) {
      if (!set.schemeKeys.includes('Application')) continue;
      for (const rawPath of Object.keys(set.paths)) {
        const lower = rawPath.toLowerCase();
        if (!PATH_PREFIXES.some((prefix) => lower.startsWith(prefix))) continue;
        for (const method of set.methods) {
          const key = `${method} ${lower}`;
          const permissions = byCall.get(key) ?? new Set<string>();
          permissions.add(permission);
          byCall.set(key, permissions);
        }
      }
    }
  }
  return Object.fromEntries([...byCall.keys()].sort().map((key) => [key, [...byCall.get(key)!].sort()]));
}

function source(repo: string, repository: string, file: string): Record<string, string> {
  return { repository, path: file, commit: git(repo, 'rev-parse', 'HEAD').trim() };
}

function write(file: string, content: unknown): void {
  writeFileSync(path.join(OUT, file), `${JSON.stringify(content, null, 2)}\n`);
  console.log(`wrote ${path.join(OUT, file)}`);
}

const [metadataRepo, permissionsRepo] = process.argv.slice(2);
if (!metadataRepo || !permissionsRepo) {
  console.error(
    'usage: tsx scripts/vendor-graph-metadata.ts <msgraph-metadata repo> <microsoft-graph-devx-content repo>',
  );
  process.exit(2);
}
write('types.json', {
  source: source(metadataRepo, 'microsoftgraph/msgraph-metadata', CSDL_FILE),
  types: selectTypes(parseGraphSchema(git(metadataRepo, 'show', `HEAD:${CSDL_FILE}`))),
});
const published = JSON.parse(git(permissionsRepo, 'show', `HEAD:${PERMISSIONS_FILE}`)) as {
  permissions: Record<string, PublishedPermission>;
};
write('permissions.json', {
  source: source(permissionsRepo, 'microsoftgraph/microsoft-graph-devx-content', PERMISSIONS_FILE),
  applicationPermissions: applicationPermissions(published.permissions),
});
