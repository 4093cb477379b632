import { incidentOf, stepIdOf, stepOf } from './actionContext';
import type { ActionContext, ActionDeps } from './actionContext';
import type { AdaptiveCard } from './cards/templates';
import type { GroupActions } from './groupActions';

/**
 * Universal Actions refresh (`card.refresh`): Teams asks for the current card when a listed
 * responder views it (trigger "automatic", or a manual refresh), so a card whose last update was
 * lost shows the truth again. The click passed the same checks at the edge as any other (known
 * incident, this conversation and tenant, an identified sender); a refresh carries no card
 * version, since it asks for the current card rather than acting on one it showed.
 *
 * A viewer who is not a responder sees the current card without its buttons: the state of an
 * incident in their own conversation is no secret to them (the posted card shows it), but
 * buttons they cannot use would only earn a refusal. Nothing is changed or written.
 */
export async function refreshCard(
  deps: ActionDeps,
  context: ActionContext,
  groups: GroupActions | undefined,
): Promise<AdaptiveCard> {
  const incident = incidentOf(context);
  const { presenter } = deps;
  const kind = context.data.card ?? (context.data.s === undefined ? 'incident' : 'step');
  let card: AdaptiveCard;
  if (kind === 'group' && groups) {
    card = await groups.view(context);
  } else if (kind === 'step') {
    const step = stepOf(incident, stepIdOf(context));
    const notice = context.cards?.stepNotices?.[step.id] ?? '';
    card = presenter.stepCard(incident, step, context.locale, notice, context.refreshFor);
  } else {
    card = presenter.incidentCard(incident, context.locale, '', context.refreshFor);
  }
  const responder =
    context.refreshFor.includes(context.approver.channelUserId) ||
    (await deps.engine.isResponder(context.actor));
  return responder ? card : withoutActions(card);
}

function withoutActions(card: AdaptiveCard): AdaptiveCard {
  const { actions: _actions, ...rest } = card;
  return rest;
}
