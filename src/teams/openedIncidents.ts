import type { ConversationReference } from 'botbuilder';
import type { OpenIncidentsResult } from '../remediation/contract';
import type { GroupPresenter } from './groupPresenter';
import type { IncidentPresenter } from './incidentPresenter';

/**
 * Cards for what one request opened: a single new incident keeps its incident card and step
 * cards; several new ones share ONE group card (per-user cards on demand). Incidents that were
 * already open (joined) keep their own cards, since they belong to an earlier group.
 */
export async function presentOpened(
  presenters: { incidents: IncidentPresenter; groups: GroupPresenter },
  result: OpenIncidentsResult,
  reference: Partial<ConversationReference>,
  locale: string,
  requester: { channelId?: string; name: string },
): Promise<void> {
  const joined = new Set(result.joinedIncidentIds);
  const fresh = result.incidents.filter((incident) => !joined.has(incident.id));
  const individually =
    fresh.length > 1 ? result.incidents.filter((incident) => joined.has(incident.id)) : result.incidents;
  if (fresh.length > 1) await presenters.groups.post(result.groupId, fresh, reference, locale, requester);
  for (const incident of individually) {
    await presenters.incidents.post(incident, reference, locale, requester.channelId);
  }
}
