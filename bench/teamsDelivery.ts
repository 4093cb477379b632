import type { Person } from '../test/security/support/teamsActivities';
import { GROUP_CHAT, PEOPLE } from '../test/security/support/teamsActivities';
import { SECURITY_CHANNEL, startDeliveryHarness } from '../test/support/deliveryHarness';
import type { BenchFigures } from './scenarios';

/**
 * Incidents remediated through the real HTTP endpoint against the Teams connector emulator with
 * Teams' documented limits at their real length and 429s without Retry-After (as Teams may
 * answer). Measures what a chat sees: writes per incident, 429s received, and how long after the
 * last step finished every card (and both summaries) showed the final state.
 */
export async function teamsDelivery(targets: Person[]): Promise<BenchFigures> {
  const h = await startDeliveryHarness({ timeScale: 1 });
  try {
    const started = Date.now();
    await Promise.all(targets.map((target) => h.say(PEOPLE.alex, 'compromised', [target])));
    await h.settle();
    const opened = await Promise.all(targets.map((target) => h.incidentOf(target)));
    const finished = await Promise.all(opened.map((incident) => h.remediate(incident)));
    const lastStepFinishedAt = Math.max(
      ...finished.flatMap((incident) =>
        incident.steps.map((step) => (step.finishedAt ? Date.parse(step.finishedAt) : 0)),
      ),
    );
    const lastCardChangedAt = Math.max(
      ...[GROUP_CHAT.id, SECURITY_CHANNEL].flatMap((id) =>
        h.teams.messages(id).map((message) => message.changedAt),
      ),
    );
    const stale = (await Promise.all(finished.map((incident) => h.staleCards(incident.id)))).flat();
    const chat = h.teams.stats(GROUP_CHAT.id);
    const totals = h.teams.totals();
    return {
      incidents: targets.length,
      writesToChat: chat.posts + chat.updates,
      writesPerIncident: Number(((chat.posts + chat.updates) / targets.length).toFixed(1)),
      postsToChat: chat.posts,
      updatesToChat: chat.updates,
      received429: totals.rejected429,
      received412: totals.rejected412,
      secondsLastStepToCardsCurrent: Number(((lastCardChangedAt - lastStepFinishedAt) / 1000).toFixed(1)),
      staleCardsAtEnd: stale.length,
      wallSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      outboxRetries: h.app.delivery.stats().retries,
    };
  } finally {
    await h.close();
  }
}
