import { scrubSecret, isM365Error, invalidInput } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment, requireGuid } from './graph/urls';
import { directoryObjectWire, userWire, valueOfStrings } from './graph/wire';
import type { DirectoryUser, GroupMembership, UsersClient, WriteResult } from './types';

const USER_SELECT =
  'id,displayName,userPrincipalName,accountEnabled,onPremisesSyncEnabled,userType,jobTitle,mail,signInSessionsValidFromDateTime';
/** checkMemberGroups accepts at most 20 group ids per call. */
const CHECK_MEMBER_GROUPS_LIMIT = 20;

export class GraphUsersClient implements UsersClient {
  constructor(
    private readonly api: GraphApi,
    private readonly graphBaseUrl: string,
  ) {}

  async getUser(idOrUpn: string): Promise<DirectoryUser> {
    const user = pathSegment('users.getUser', idOrUpn, 'User id or UPN');
    const { body } = await this.api.read(
      { operation: 'users.getUser', method: 'GET', url: `/users/${user}?$select=${USER_SELECT}` },
      userWire,
    );
    return {
      id: body.id,
      userPrincipalName: body.userPrincipalName,
      displayName: body.displayName ?? body.userPrincipalName,
      mail: body.mail ?? undefined,
      jobTitle: body.jobTitle ?? undefined,
      // Graph omits accountEnabled only for objects we cannot read fully; treat as enabled (the safe assumption for a block step).
      accountEnabled: body.accountEnabled ?? true,
      onPremisesSyncEnabled: body.onPremisesSyncEnabled === true,
      userType: body.userType === 'Guest' ? 'Guest' : 'Member',
      signInSessionsValidFromDateTime: body.signInSessionsValidFromDateTime ?? undefined,
    };
  }

  async setAccountEnabled(userId: string, enabled: boolean): Promise<WriteResult> {
    if (typeof enabled !== 'boolean')
      throw invalidInput('users.setAccountEnabled', 'enabled must be a boolean.');
    const user = pathSegment('users.setAccountEnabled', userId, 'User id');
    const { requestId } = await this.api.call({
      operation: 'users.setAccountEnabled',
      method: 'PATCH',
      url: `/users/${user}`,
      body: { accountEnabled: enabled },
    });
    return { requestId };
  }

  async resetPassword(
    userId: string,
    password: string,
    forceChangeNextSignIn: boolean,
  ): Promise<WriteResult> {
    if (typeof password !== 'string' || password.length === 0) {
      throw invalidInput('users.resetPassword', 'The new password is empty.');
    }
    const user = pathSegment('users.resetPassword', userId, 'User id');
    try {
      const { requestId } = await this.api.call({
        operation: 'users.resetPassword',
        method: 'PATCH',
        url: `/users/${user}`,
        body: { passwordProfile: { password, forceChangePasswordNextSignIn: forceChangeNextSignIn } },
      });
      return { requestId };
    } catch (error) {
      throw isM365Error(error) ? scrubSecret(error, password) : error;
    }
  }

  async revokeSignInSessions(userId: string): Promise<WriteResult> {
    const user = pathSegment('users.revokeSignInSessions', userId, 'User id');
    // Graph answers 200 {"value": true} (older docs: 204); any 2xx is success.
    const { requestId } = await this.api.call({
      operation: 'users.revokeSignInSessions',
      method: 'POST',
      url: `/users/${user}/revokeSignInSessions`,
    });
    return { requestId };
  }

  async checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]> {
    const user = pathSegment('users.checkMemberGroups', userId, 'User id');
    groupIds.forEach((id) => requireGuid('users.checkMemberGroups', id, 'Group id'));
    const chunks: string[][] = [];
    for (let start = 0; start < groupIds.length; start += CHECK_MEMBER_GROUPS_LIMIT) {
      chunks.push(groupIds.slice(start, start + CHECK_MEMBER_GROUPS_LIMIT));
    }
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.api.read(
          {
            operation: 'users.checkMemberGroups',
            method: 'POST',
            url: `/users/${user}/checkMemberGroups`,
            body: { groupIds: chunk },
          },
          valueOfStrings,
        ),
      ),
    );
    return answers.flatMap((answer) => answer.body.value);
  }

  async listGroupMemberships(userId: string): Promise<GroupMembership[]> {
    const user = pathSegment('users.listGroupMemberships', userId, 'User id');
    const objects = await this.api.listAll(
      {
        operation: 'users.listGroupMemberships',
        method: 'GET',
        url: `/users/${user}/memberOf?$select=id,displayName,isAssignableToRole`,
      },
      directoryObjectWire,
    );
    // memberOf also returns directory roles and administrative units; only groups are memberships here.
    return objects
      .filter(
        (object) => object['@odata.type'] === undefined || object['@odata.type'] === '#microsoft.graph.group',
      )
      .map((group) => ({
        groupId: group.id,
        displayName: group.displayName ?? group.id,
        isAssignableToRole: group.isAssignableToRole === true,
      }));
  }

  async addGroupMember(groupId: string, userId: string): Promise<WriteResult> {
    const group = pathSegment('users.addGroupMember', groupId, 'Group id');
    requireGuid('users.addGroupMember', userId, 'User id');
    const { requestId } = await this.api.call({
      operation: 'users.addGroupMember',
      method: 'POST',
      url: `/groups/${group}/members/$ref`,
      body: { '@odata.id': `${this.graphBaseUrl.replace(/\/+$/, '')}/v1.0/directoryObjects/${userId}` },
    });
    return { requestId };
  }

  async removeGroupMember(groupId: string, userId: string): Promise<WriteResult> {
    const group = pathSegment('users.removeGroupMember', groupId, 'Group id');
    const user = pathSegment('users.removeGroupMember', userId, 'User id');
    const { requestId } = await this.api.call({
      operation: 'users.removeGroupMember',
      method: 'DELETE',
      url: `/groups/${group}/members/${user}/$ref`,
    });
    return { requestId };
  }
}
