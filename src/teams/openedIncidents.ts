import type { ConversationReference } from 'botbuilder';
import type { Actor, OpenIncidentsResult, RemediationEngine } from '../remediation/contract';
import type { GroupPresenter } from './groupPresenter';
import type { IncidentPresenter } from './incidentPresenter';

/** Engine requests accept at most this many targets; a SIEM alert may name up to 500. */
const TARGETS_PER_REQUEST = 50;

/** Who asked for incidents, for whom, and where their cards go. */
export interface OpeningRequest {
  targets: string[];
  requester: Actor;
  /** A message to the bot, or a SIEM alert taken on from the security channel. */
  kind: 'teams' | 'webhook';
  reference: Partial<ConversationReference>;
  locale: string;
  /** The requester's Teams id (private notes, and the cards refresh for them). */
  requesterChannelId?: string;
  tenantId?: string;
}

/**
 * The one way incidents are opened from Teams, whether a responder typed "compromised @Megan" or
 * took on an alert: opened in requests the engine accepts, then presented.
 */
export class IncidentOpening {
  constructor(
    private readonly deps: {
      engine: Pick<RemediationEngine, 'openIncidents'>;
      incidents: IncidentPresenter;
      groups: GroupPresenter;
    },
  ) {}

  /** Opens the incidents; each engine answer is pushed to `opened` as it comes (kept when a later one fails). */
  async open(request: OpeningRequest, opened: OpenIncidentsResult[] = []): Promise<OpenIncidentsResult[]> {
    const conversationId = request.reference.conversation?.id;
    for (let start = 0; start < request.targets.length; start += TARGETS_PER_REQUEST) {
      opened.push(
        await this.deps.engine.openIncidents({
          targets: request.targets.slice(start, start + TARGETS_PER_REQUEST),
          requester: request.requester,
          origin: {
            kind: request.kind,
            ...(request.tenantId ? { tenantId: request.tenantId } : {}),
            ...(conversationId ? { conversationId } : {}),
          },
        }),
      );
    }
    return opened;
  }

  /** Posts the cards of what was opened. */
  async present(results: OpenIncidentsResult[], request: OpeningRequest): Promise<void> {
    const requester = {
      ...(request.requesterChannelId ? { channelId: request.requesterChannelId } : {}),
      name: request.requester.displayName,
    };
    for (const result of results) {
      await presentOpened(this.deps, result, request.reference, request.locale, requester);
    }
  }
}

/**
 * Cards for what one request opened: a single new incident keeps its incident card and step
 * cards; several new ones share ONE group card (per-user cards on demand). Incidents that were
 * already open (joined) keep their own cards, since they belong to an earlier group.
 */
async function presentOpened(
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
