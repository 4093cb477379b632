import type { Activity } from 'botbuilder';
import type { Actor } from '../remediation/contract';

/**
 * The acting responder, always from the authenticated sender of the activity, never from
 * card data. Undefined when Teams gave no Entra object id (e.g. an anonymous web chat).
 */
export function actorFrom(activity: Pick<Activity, 'from'>): Actor | undefined {
  const from = activity.from as (Activity['from'] & { userPrincipalName?: string }) | undefined;
  const aadObjectId = from?.aadObjectId;
  if (!aadObjectId) return undefined;
  return {
    id: aadObjectId,
    displayName: from.name || aadObjectId,
    ...(from.userPrincipalName ? { userPrincipalName: from.userPrincipalName } : {}),
  };
}
