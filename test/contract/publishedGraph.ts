/**
 * Microsoft's published Graph v1.0 contract, as vendored in graph-metadata/ by
 * scripts/vendor-graph-metadata.ts: which paths exist, which application permissions each accepts,
 * which properties each type has. The checks here report every departure as a sentence.
 */
import permissionsExtract from './graph-metadata/permissions.json';
import typesExtract from './graph-metadata/types.json';

interface TypeExtract {
  kind: string;
  baseType?: string;
  properties: Record<string, string>;
}

const TYPES = typesExtract.types as Record<string, TypeExtract>;
const PUBLISHED = permissionsExtract.applicationPermissions as Record<string, string[]>;

/**
 * Calls Microsoft documents on learn.microsoft.com whose permissions the devx-content file does not
 * carry (it lists `$ref` writes under no path). Each entry names its page.
 */
const DOCUMENTED_ELSEWHERE: Record<string, { permissions: string[]; source: string }> = {
  'POST /groups/{id}/members/$ref': {
    permissions: [
      'GroupMember.ReadWrite.All',
      'Group.ReadWrite.All',
      'Directory.ReadWrite.All',
      'RoleManagement.ReadWrite.Directory',
    ],
    source:
      'https://learn.microsoft.com/graph/api/group-post-members (role-assignable groups also need RoleManagement.ReadWrite.Directory)',
  },
  'DELETE /groups/{id}/members/{id}/$ref': {
    permissions: [
      'GroupMember.ReadWrite.All',
      'Group.ReadWrite.All',
      'Directory.ReadWrite.All',
      'RoleManagement.ReadWrite.Directory',
    ],
    source:
      'https://learn.microsoft.com/graph/api/group-delete-members (role-assignable groups also need RoleManagement.ReadWrite.Directory)',
  },
};

function segments(path: string): string[] {
  return path.toLowerCase().split('/').filter(Boolean);
}

function isPlaceholder(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function samePath(published: string[], requested: string[]): boolean {
  return (
    published.length === requested.length &&
    published.every((segment, index) => isPlaceholder(segment) || segment === requested[index])
  );
}

/** Microsoft lists some mailbox paths under /me only; for an app they are the same under /users/{id}. */
function alternatives(path: string): string[][] {
  const parts = segments(path);
  return parts[0] === 'users' && parts.length > 2 ? [parts, ['me', ...parts.slice(2)]] : [parts];
}

/** The application permissions Microsoft publishes for `method path` (path without /v1.0 or query); undefined if it publishes none. */
export function publishedPermissions(method: string, path: string): string[] | undefined {
  const found = new Set<string>();
  let matched = false;
  const tables: Array<[string, string[]]> = [
    ...Object.entries(PUBLISHED),
    ...Object.entries(DOCUMENTED_ELSEWHERE).map(([key, entry]): [string, string[]] => [
      key,
      entry.permissions,
    ]),
  ];
  for (const [key, permissions] of tables) {
    const [keyMethod, keyPath = ''] = key.split(' ');
    if (keyMethod !== method.toUpperCase()) continue;
    const publishedPath = segments(keyPath);
    if (alternatives(path).some((candidate) => samePath(publishedPath, candidate))) {
      matched = true;
      permissions.forEach((permission) => found.add(permission));
    }
  }
  return matched ? [...found] : undefined;
}

/** Every property of a type, inherited ones included (name → type). */
export function propertiesOf(typeName: string): Record<string, string> | undefined {
  const type = TYPES[typeName];
  if (!type) return undefined;
  const inherited = type.baseType ? (propertiesOf(type.baseType) ?? {}) : {};
  return { ...inherited, ...type.properties };
}

function elementType(type: string): string {
  return type.replace(/^Collection\((.*)\)$/, '$1');
}

function isAnnotation(key: string): boolean {
  return key.startsWith('@') || key.includes('@odata.');
}

/**
 * Departures of a JSON payload from a published type: properties the type does not have, checked
 * recursively into properties whose type is vendored. `@odata.type` on an object names its type.
 */
export function unpublishedProperties(typeName: string, payload: unknown, where = typeName): string[] {
  if (Array.isArray(payload))
    return payload.flatMap((item, index) => unpublishedProperties(typeName, item, `${where}[${index}]`));
  if (payload === null || typeof payload !== 'object') return [];
  const record = payload as Record<string, unknown>;
  const declared =
    typeof record['@odata.type'] === 'string'
      ? record['@odata.type'].replace(/^#microsoft\.graph\./, '')
      : typeName;
  const properties = propertiesOf(declared);
  if (!properties) return [`${where}: type ${declared} is not in the vendored metadata`];
  return Object.entries(record).flatMap(([key, value]) => {
    if (isAnnotation(key)) return [];
    const propertyType = properties[key];
    if (propertyType === undefined) return [`${where}.${key}: ${declared} has no property ${key}`];
    const target = elementType(propertyType);
    return TYPES[target] ? unpublishedProperties(target, value, `${where}.${key}`) : [];
  });
}

/** `$select` names that the type does not have. */
export function unpublishedSelect(typeName: string, select: string): string[] {
  const properties = propertiesOf(typeName) ?? {};
  return select
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0 && properties[name] === undefined)
    .map((name) => `$select=${name}: ${typeName} has no property ${name}`);
}
