/**
 * The Graph contract: what the service layer sends and what the simulated tenant answers must be
 * what Microsoft publishes for Graph v1.0 (paths, methods, properties, application permissions), as
 * vendored from microsoftgraph/msgraph-metadata and microsoftgraph/microsoft-graph-devx-content
 * (commits in graph-metadata/*.json; refresh with scripts/vendor-graph-metadata.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/m365';
import type { OperationInfo } from '../../src/m365';
import type { SimulatedTenant } from '../../src/simulator';
import { operationCalls } from '../m365/operationCalls';
import { servicesFor, startTenant } from '../m365/support';
import { publishedPermissions, unpublishedProperties, unpublishedSelect } from './publishedGraph';
import { startRecordingProxy } from './recordingProxy';
import type { RecordedCall } from './recordingProxy';

/** The resource type behind each path the product calls (`{}` is any segment); actions have none. */
const RESOURCE_TYPES: Array<[string, string | null]> = [
  ['/users/{}', 'user'],
  // A list of directoryObjects; the product selects group properties and each item names its type.
  ['/users/{}/memberof', 'group'],
  ['/users/{}/revokesigninsessions', null],
  ['/users/{}/checkmembergroups', null],
  ['/users/{}/authentication/methods', 'authenticationMethod'],
  ['/users/{}/authentication/{}/{}', 'authenticationMethod'],
  ['/users/{}/authentication/temporaryaccesspassmethods', 'temporaryAccessPassAuthenticationMethod'],
  ['/users/{}/mailfolders/inbox/messagerules', 'messageRule'],
  ['/users/{}/mailfolders/inbox/messagerules/{}', 'messageRule'],
  ['/users/{}/mailfolders/{}', 'mailFolder'],
  ['/users/{}/mailfolders', 'mailFolder'],
  ['/users/{}/mailfolders/{}/childfolders', 'mailFolder'],
  ['/users/{}/approleassignments', 'appRoleAssignment'],
  ['/users/{}/approleassignments/{}', 'appRoleAssignment'],
  ['/users/{}/teamwork/installedapps', 'userScopeTeamsAppInstallation'],
  ['/rolemanagement/directory/roleassignments', 'unifiedRoleAssignment'],
  ['/rolemanagement/directory/roleassignments/{}', 'unifiedRoleAssignment'],
  ['/rolemanagement/directory/roledefinitions/{}', 'unifiedRoleDefinition'],
  ['/rolemanagement/directory/roleeligibilityschedules', 'unifiedRoleEligibilitySchedule'],
  ['/rolemanagement/directory/roleeligibilityschedulerequests', 'unifiedRoleEligibilityScheduleRequest'],
  ['/oauth2permissiongrants', 'oAuth2PermissionGrant'],
  ['/oauth2permissiongrants/{}', 'oAuth2PermissionGrant'],
  ['/serviceprincipals/{}', 'servicePrincipal'],
  ['/identityprotection/riskyusers', 'riskyUser'],
  ['/identityprotection/riskyusers/confirmcompromised', null],
  ['/identityprotection/riskyusers/{}', 'riskyUser'],
  ['/auditlogs/signins', 'signIn'],
  ['/domains', 'domain'],
  ['/groups/{}/members/$ref', null],
  ['/groups/{}/members/{}/$ref', null],
];

function pathOf(url: string): string {
  return decodeURIComponent(url.split('?')[0] ?? '');
}

function resourceType(path: string): string | null | undefined {
  const parts = path.toLowerCase().split('/').filter(Boolean);
  // A literal segment beats a placeholder: prefer the template with the most literal matches.
  let best: [number, string | null] | undefined;
  for (const [template, type] of RESOURCE_TYPES) {
    const expected = template.split('/').filter(Boolean);
    if (expected.length !== parts.length) continue;
    if (!expected.every((segment, index) => segment === '{}' || segment === parts[index])) continue;
    const literals = expected.filter((segment) => segment !== '{}').length;
    if (!best || literals > best[0]) best = [literals, type];
  }
  return best?.[1];
}

/** Everything about one recorded call that Microsoft does not publish. */
function departures(call: RecordedCall): string[] {
  const path = pathOf(call.url);
  const where = `${call.method} ${path}`;
  if (publishedPermissions(call.method, path) === undefined)
    return [`${where}: Microsoft publishes no such call`];
  const type = resourceType(path);
  if (type === undefined)
    return [`${where}: no resource type known to the contract test (add it to RESOURCE_TYPES)`];
  if (type === null) return [];
  const found: string[] = [];
  const select = new URLSearchParams(call.url.split('?')[1] ?? '').get('$select');
  if (select) found.push(...unpublishedSelect(type, select).map((problem) => `${where} ${problem}`));
  if (call.requestBody !== undefined && (call.method === 'PATCH' || call.method === 'POST')) {
    found.push(...unpublishedProperties(type, call.requestBody, `${where} request`));
  }
  if (call.status < 300 && call.responseBody && typeof call.responseBody === 'object') {
    const body = call.responseBody as { value?: unknown };
    const payload = Array.isArray(body.value) ? body.value : call.responseBody;
    found.push(...unpublishedProperties(type, payload, `${where} response`));
  }
  return found;
}

describe('the checks themselves', () => {
  it('flag a property that the published type does not have', () => {
    expect(unpublishedProperties('servicePrincipal', { id: 'x', publisherName: 'Contoso' })).toEqual([
      'servicePrincipal.publisherName: servicePrincipal has no property publisherName',
    ]);
    expect(unpublishedSelect('servicePrincipal', 'id,publisherName')).toHaveLength(1);
    expect(unpublishedProperties('messageRule', { conditions: { subjectContainz: ['x'] } })).toHaveLength(1);
  });

  it('flag a path Microsoft does not publish, and a permission it does not list for the path', () => {
    expect(publishedPermissions('GET', '/users/x/mailboxForwarding')).toBeUndefined();
    expect(publishedPermissions('GET', '/users/x/memberOf')).not.toContain('GroupMember.Read.All');
    expect(publishedPermissions('GET', '/users/x/memberOf')).toContain('Directory.Read.All');
  });
});

/** "GET /users/{id}/authentication/{a|b}/{methodId}" → each concrete path it stands for. */
function catalogueCalls(call: string): Array<{ method: string; path: string }> {
  const match = /^(GET|POST|PATCH|PUT|DELETE) (\/[^\s?]+)/.exec(call);
  if (!match || match[2]!.startsWith('/adminapi')) return [];
  const [, method, path] = match as unknown as [string, string, string];
  let paths = [''];
  for (const segment of path.split('/').filter(Boolean)) {
    const options = /^\{(.+)\}$/
      .exec(segment)?.[1]
      ?.split('|')
      .filter((option) => option !== '…');
    // {id}, {wellKnownName} and {id|UPN} are placeholders; {phoneMethods|fido2Methods|…} lists literal alternatives.
    const literal =
      options !== undefined &&
      options.length > 1 &&
      !options.some((option) => /^(id|UPN|\w*Id)$/.test(option));
    const choices = literal ? options : [segment];
    paths = paths.flatMap((prefix) => choices.map((choice) => `${prefix}/${choice}`));
  }
  return paths.map((concrete) => ({ method, path: concrete }));
}

/** Catalogue operations that are Graph calls (Exchange cmdlets are not in Graph's metadata). */
const graphOperations = (Object.entries(OPERATIONS) as Array<[string, OperationInfo]>).filter(
  ([, info]) => catalogueCalls(info.call).length > 0,
);

/** Whether a concrete request path is an instance of a catalogue path (`{…}` is any one segment). */
function fitsTemplate(template: string, path: string): boolean {
  const expected = template.toLowerCase().split('/').filter(Boolean);
  const actual = path.toLowerCase().split('/').filter(Boolean);
  return (
    expected.length === actual.length &&
    expected.every((segment, index) => /^\{.*\}$/.test(segment) || segment === actual[index])
  );
}

describe('the operation catalogue (docs/PERMISSIONS.md)', () => {
  it.each(graphOperations)(
    '%s calls a published path with a published application permission',
    (_name, info) => {
      for (const { method, path } of catalogueCalls(info.call)) {
        const published = publishedPermissions(method, path);
        expect(published, `${method} ${path} is not published`).toBeDefined();
        // Some writes need a read permission on the same path besides (PATCH accountEnabled + User.Read.All).
        const onPath = new Set([...(published ?? []), ...(publishedPermissions('GET', path) ?? [])]);
        const declared = info.permissions.map((permission) => permission.split(' ')[0]!);
        for (const permission of declared) expect([...onPath], `${method} ${path}`).toContain(permission);
        expect(
          declared.some((permission) => published?.includes(permission)),
          `${method} ${path}`,
        ).toBe(true);
      }
    },
  );
});

describe('service-layer requests and simulator answers', () => {
  let tenant: SimulatedTenant;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

  beforeAll(async () => {
    tenant = await startTenant();
    proxy = await startRecordingProxy(tenant.graphBaseUrl);
    const services = servicesFor(tenant, { graphBaseUrl: proxy.url });
    for (const [, , invoke] of operationCalls) await invoke(services).catch(() => undefined);
  });
  afterAll(async () => {
    await proxy.close();
    await tenant.close();
  });

  it('covers every Graph operation of the catalogue', () => {
    const uncovered = graphOperations
      .filter(([, info]) =>
        catalogueCalls(info.call).every(
          ({ method, path }) =>
            !proxy.calls.some((call) => call.method === method && fitsTemplate(path, pathOf(call.url))),
        ),
      )
      .map(([name]) => name);
    expect(uncovered).toEqual([]);
  });

  it('use only published paths, $select properties, body properties and response properties', () => {
    expect(proxy.calls.flatMap(departures)).toEqual([]);
  });
});
