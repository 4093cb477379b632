import { refusalText } from '../i18n/findings';
import { message } from '../i18n/message';
import { PolicyError, refusal as refusalOf } from '../remediation/contract';
import type { OpenIncidentsResult } from '../remediation/contract';
import { tenantOf } from './actionContext';
import type { ActionContext, ActionDeps } from './actionContext';
import { channelOf } from './alerts';
import type { AdaptiveCard } from './cards/templates';
import { undoStringsFor } from './i18n/undo';
import { cardActivity } from './incidentPresenter';
import type { OpeningRequest } from './openedIncidents';

/**
 * A responder takes on a SIEM alert from the security channel: the incidents are opened with
 * THEM as requester (awaiting a second responder's approval under four-eyes). The webhook
 * itself never opens or changes anything.
 */
export async function investigateAlert(deps: ActionDeps, context: ActionContext): Promise<AdaptiveCard> {
  const { alerts, refusals, engine, opening } = deps;
  const { actor, turn } = context;
  const record = alerts ? await alerts.inbox.get(context.data.i) : undefined;
  if (!alerts || !record)
    throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
  if (channelOf(turn.activity.conversation?.id) !== channelOf(alerts.securityChannelId)) {
    await refusals.record({
      actor,
      event: 'card.alert.investigate',
      detail: 'alert card clicked outside the security channel',
    });
    throw new PolicyError('UnknownIncident', context.strings.otherConversation);
  }
  if (!(await engine.isResponder(actor))) {
    await refusals.record({ actor, event: 'card.alert.investigate', detail: 'NotResponder' });
    // Said in the clicker's language where refusals are rendered (refusalText).
    throw refusalOf('NotResponder', message('refusal.notResponder', { name: actor.displayName }));
  }
  const claimed = await alerts.inbox.claim(record.reference, actor.displayName);
  if (!claimed)
    return alerts.cards.render((await alerts.inbox.get(record.reference)) ?? record, context.locale);
  const tenantId = tenantOf(turn.activity);
  const request: OpeningRequest = {
    targets: claimed.alert.users,
    requester: actor,
    kind: 'webhook',
    reference: context.clickedIn.reference,
    locale: context.locale,
    requesterChannelId: context.approver.channelUserId,
    ...(tenantId ? { tenantId } : {}),
  };
  const results: OpenIncidentsResult[] = [];
  try {
    await opening.open(request, results);
  } catch (error) {
    if (results.every((result) => result.incidents.length === 0))
      await alerts.inbox.release(record.reference);
    throw error;
  }
  deps.background.run(() => opening.present(results, request));
  const opened = results.reduce((sum, result) => sum + result.incidents.length, 0);
  // Each refusal in the clicker's language (the engine's message as data; the card escapes it).
  const refused = results.flatMap((result) =>
    result.refused.map((refusal) =>
      context.strings.refused(refusal.target, refusalText(refusal, context.locale)),
    ),
  );
  const notice = [context.strings.alertCard.opened(opened), ...refused].join(' ');
  return alerts.cards.render(claimed, context.locale, notice);
}

/**
 * Replaces the credential card with one that no longer holds it: only the credential's
 * recipient, only on the message that carried it (refused and audited otherwise).
 */
export async function hideSecret(deps: ActionDeps, context: ActionContext): Promise<AdaptiveCard> {
  const { engine, presenter, secretCards, refusals } = deps;
  const { activity } = context.turn;
  if (!(await secretCards?.mayHide(activity.replyToId, activity.from?.id, activity.conversation?.id))) {
    await refusals.record({
      actor: context.actor,
      event: 'card.secret.hide',
      detail: 'not the credential message of this user in this chat',
    });
    throw new PolicyError('StepNotActionable', undoStringsFor(context.locale).hideRefused);
  }
  const incident = await engine.getIncident(context.data.i);
  const card = presenter.secretCard(
    { incidentId: context.data.i, stepId: context.data.s ?? '' },
    incident?.target.displayName ?? '',
    undefined,
    context.locale,
  );
  if (activity.replyToId) {
    // Also replace the message itself, so the credential is gone from the chat history.
    await context.turn.updateActivity({ ...cardActivity(card), id: activity.replyToId });
  }
  return card;
}
