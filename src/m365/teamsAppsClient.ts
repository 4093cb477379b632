import { isM365Error } from './errors';
import type { GraphApi } from './graph/graphApi';
import { pathSegment, requireGuid } from './graph/urls';
import type { PersonalInstallResult, TeamsAppsClient } from './types';

/**
 * Installs Remediator as a personal app for one user (userTeamwork: Add app for user), so the bot
 * can open that user's 1:1 chat. Graph documents 201 with no body; an app already installed for
 * the user is answered 409 Conflict, which is what we wanted anyway.
 */
export class GraphTeamsAppsClient implements TeamsAppsClient {
  constructor(
    private readonly api: GraphApi,
    private readonly graphBaseUrl: string,
  ) {}

  async installForUser(userId: string, catalogAppId: string): Promise<PersonalInstallResult> {
    const user = pathSegment('teamsApps.installForUser', userId, 'User id');
    requireGuid('teamsApps.installForUser', catalogAppId, 'Teams app catalog id');
    const root = this.graphBaseUrl.replace(/\/+$/, '');
    try {
      const { requestId } = await this.api.call({
        operation: 'teamsApps.installForUser',
        method: 'POST',
        url: `/users/${user}/teamwork/installedApps`,
        body: { 'teamsApp@odata.bind': `${root}/v1.0/appCatalogs/teamsApps/${catalogAppId}` },
      });
      return { requestId, alreadyInstalled: false };
    } catch (error) {
      if (isM365Error(error) && error.status === 409) {
        return { requestId: error.requestId ?? '', alreadyInstalled: true };
      }
      throw error;
    }
  }
}
