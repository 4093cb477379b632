import { invalidInput, isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { odataFilter, pathSegment, requireGuid } from './graph/urls';
import { appRoleAssignmentWire, permissionGrantWire, servicePrincipalWire } from './graph/wire';
import type { AppRoleAssignment, ConsentsClient, PermissionGrant, WriteResult } from './types';

type GrantWire = ReturnType<typeof permissionGrantWire.parse>;

interface ServicePrincipalInfo {
  displayName: string;
  verifiedPublisher?: string;
}

/** Service principal names and publishers change rarely; many users consent to the same apps. */
const SERVICE_PRINCIPAL_TTL_MS = 5 * 60_000;

export class GraphConsentsClient implements ConsentsClient {
  /** Reads shared by every user in a mass incident (and in flight at once): one request per app. */
  private readonly principalCache = new Map<
    string,
    { info: Promise<ServicePrincipalInfo | undefined>; until: number }
  >();

  constructor(
    private readonly api: GraphApi,
    private readonly now: () => number = Date.now,
  ) {}

  async listPermissionGrants(principalId: string): Promise<PermissionGrant[]> {
    requireGuid('consents.listPermissionGrants', principalId, 'Principal id');
    const wires = await this.api.listAll(
      {
        operation: 'consents.listPermissionGrants',
        method: 'GET',
        url: `/oauth2PermissionGrants?$filter=${odataFilter('principalId', principalId)}`,
      },
      permissionGrantWire,
    );
    const principals = await this.servicePrincipals(
      wires.flatMap((grant) => [grant.clientId, grant.resourceId]),
    );
    return wires.map((grant) => this.toGrant(grant, principals));
  }

  async deletePermissionGrant(grantId: string): Promise<WriteResult> {
    const id = pathSegment('consents.deletePermissionGrant', grantId, 'Grant id');
    const { requestId } = await this.api.call({
      operation: 'consents.deletePermissionGrant',
      method: 'DELETE',
      url: `/oauth2PermissionGrants/${id}`,
    });
    return { requestId };
  }

  async createPermissionGrant(
    grant: Pick<PermissionGrant, 'clientId' | 'resourceId' | 'consentType' | 'principalId' | 'scope'>,
  ): Promise<PermissionGrant & WriteResult> {
    const operation = 'consents.createPermissionGrant';
    requireGuid(operation, grant.clientId, 'Client service principal id');
    requireGuid(operation, grant.resourceId, 'Resource service principal id');
    if (grant.consentType === 'Principal' && grant.principalId === null) {
      throw invalidInput(operation, 'A Principal grant needs a principalId.');
    }
    if (typeof grant.scope !== 'string' || grant.scope.trim().length === 0) {
      throw invalidInput(operation, 'A grant needs at least one scope.');
    }
    const { body, requestId } = await this.api.read(
      {
        operation,
        method: 'POST',
        url: '/oauth2PermissionGrants',
        body: {
          clientId: grant.clientId,
          consentType: grant.consentType,
          principalId: grant.consentType === 'AllPrincipals' ? null : grant.principalId,
          resourceId: grant.resourceId,
          scope: grant.scope,
        },
      },
      permissionGrantWire,
    );
    const principals = await this.servicePrincipals([body.clientId, body.resourceId]);
    return { ...this.toGrant(body, principals), requestId };
  }

  async listAppRoleAssignments(userId: string): Promise<AppRoleAssignment[]> {
    const user = pathSegment('consents.listAppRoleAssignments', userId, 'User id');
    const wires = await this.api.listAll(
      {
        operation: 'consents.listAppRoleAssignments',
        method: 'GET',
        url: `/users/${user}/appRoleAssignments`,
      },
      appRoleAssignmentWire,
    );
    return wires.map((wire) => ({
      id: wire.id,
      principalId: wire.principalId,
      resourceId: wire.resourceId,
      resourceDisplayName: wire.resourceDisplayName ?? wire.resourceId,
      appRoleId: wire.appRoleId,
      createdDateTime: wire.createdDateTime ?? undefined,
    }));
  }

  async deleteAppRoleAssignment(userId: string, assignmentId: string): Promise<WriteResult> {
    const user = pathSegment('consents.deleteAppRoleAssignment', userId, 'User id');
    const id = pathSegment('consents.deleteAppRoleAssignment', assignmentId, 'Assignment id');
    const { requestId } = await this.api.call({
      operation: 'consents.deleteAppRoleAssignment',
      method: 'DELETE',
      url: `/users/${user}/appRoleAssignments/${id}`,
    });
    return { requestId };
  }

  private toGrant(grant: GrantWire, principals: Map<string, ServicePrincipalInfo>): PermissionGrant {
    const client = principals.get(grant.clientId);
    return {
      id: grant.id,
      clientId: grant.clientId,
      clientDisplayName: client?.displayName ?? grant.clientId,
      clientVerifiedPublisher: client?.verifiedPublisher,
      resourceId: grant.resourceId,
      resourceDisplayName: principals.get(grant.resourceId)?.displayName ?? grant.resourceId,
      consentType: grant.consentType === 'AllPrincipals' ? 'AllPrincipals' : 'Principal',
      principalId: grant.principalId ?? null,
      scope: (grant.scope ?? '').trim(),
    };
  }

  /**
   * Names and publisher verification of the apps involved, one GET per distinct service
   * principal, issued together so they travel in one $batch. An app we cannot read stays listed
   * by id (the grant itself is what matters).
   */
  private async servicePrincipals(ids: string[]): Promise<Map<string, ServicePrincipalInfo>> {
    const result = new Map<string, ServicePrincipalInfo>();
    await Promise.all(
      [...new Set(ids)].map(async (id) => {
        const info = await this.servicePrincipal(id);
        if (info) result.set(id, info);
      }),
    );
    return result;
  }

  private servicePrincipal(id: string): Promise<ServicePrincipalInfo | undefined> {
    const cached = this.principalCache.get(id);
    if (cached && cached.until > this.now()) return cached.info;
    const info = this.readServicePrincipal(id);
    this.principalCache.set(id, { info, until: this.now() + SERVICE_PRINCIPAL_TTL_MS });
    // A failure is not remembered: the next caller asks again.
    info.catch(() => this.principalCache.delete(id));
    return info;
  }

  private async readServicePrincipal(id: string): Promise<ServicePrincipalInfo | undefined> {
    try {
      const { body } = await this.api.read(
        {
          operation: 'consents.getServicePrincipal',
          method: 'GET',
          url: `/servicePrincipals/${encodeURIComponent(id)}?$select=id,appId,displayName,verifiedPublisher`,
        },
        servicePrincipalWire,
      );
      return {
        displayName: body.displayName ?? id,
        verifiedPublisher: body.verifiedPublisher?.displayName ?? undefined,
      };
    } catch (error) {
      if (isM365Error(error) && (error.code === 'NotFound' || error.code === 'PermissionDenied'))
        return undefined;
      throw error;
    }
  }
}
