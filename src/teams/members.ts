import { TeamsInfo } from 'botbuilder';
import type { TurnContext } from 'botbuilder';

export interface ResolvedMember {
  aadObjectId: string;
  userPrincipalName?: string;
  name: string;
}

/** Turns a Teams user id (from a mention) into the Entra identity the engine needs. */
export interface MemberResolver {
  resolve(context: TurnContext, channelUserId: string): Promise<ResolvedMember | undefined>;
}

/** Asks Teams (TeamsInfo.getMember): a mention's id is a Teams id, not the Entra object id. */
export class TeamsMemberResolver implements MemberResolver {
  async resolve(context: TurnContext, channelUserId: string): Promise<ResolvedMember | undefined> {
    try {
      const member = await TeamsInfo.getMember(context, channelUserId);
      if (!member.aadObjectId) return undefined;
      return {
        aadObjectId: member.aadObjectId,
        ...(member.userPrincipalName ? { userPrincipalName: member.userPrincipalName } : {}),
        name: member.name,
      };
    } catch {
      // Not a member of this conversation (or Teams refused): the caller says "not found".
      return undefined;
    }
  }
}
