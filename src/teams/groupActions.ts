import { PolicyError } from '../remediation/contract';
import type { GroupSecret } from '../remediation/contract';
import { credentialReachable, incidentOf, isStale, refusalText } from './actionContext';
import type { ActionContext, ActionDeps } from './actionContext';
import { answerWithin } from './background';
import { withResponder } from './cardRegistry';
import type { GroupCardRegistry, GroupCards } from './cardRegistry';
import { groupCardVersion } from './cards/cardVersion';
import type { AdaptiveCard } from './cards/templates';
import type { GroupPresenter } from './groupPresenter';
import { whileRunning } from './progress';

export const GROUP_VERBS = {
  approveGroup: 'group.approve',
  groupDetails: 'group.details',
} as const;

export interface GroupActionOptions {
  groups: GroupPresenter;
  /** The group cards' records (the group presenter's registry): responders are added here. */
  registry: GroupCardRegistry;
  /** At least this long between two group card updates while the group approval runs (default 1 s). */
  progressGapMs?: number;
}

/** "Approve for all" and "Details" on a group card, and the group card as a refresh answers it. */
export class GroupActions {
  /** Groups whose approval runs in this process: their card shows progress, not the button. */
  private readonly running = new Set<string>();

  constructor(private readonly options: GroupActionOptions) {}

  /** The group card an incident belongs to, if it was posted as part of one. */
  cardsOf(context: Pick<ActionContext, 'incident'>): Promise<GroupCards | undefined> {
    return context.incident
      ? this.options.groups.cardsOfIncident(context.incident)
      : Promise.resolve(undefined);
  }

  /** One approval for the whole group (engine.approveGroup); the card follows the run. */
  async approve(deps: ActionDeps, context: ActionContext): Promise<AdaptiveCard> {
    const { engine } = deps;
    const { groups } = this.options;
    const cards = await this.groupOf(context);
    const progress = await engine.getGroupProgress(cards.groupId);
    if (isStale(context, groupCardVersion(progress), deps.requireCardVersion)) {
      return groups.card(cards, { notice: context.strings.staleCard, running: this.isRunning(cards) });
    }
    const { approver } = context;
    // Each incident whose reset this approval will run owes its new password to the approver.
    const owedFor = (await engine.listGroupIncidents(cards.groupId))
      .filter((incident) =>
        incident.steps.some((step) => step.id === 'reset-password' && step.status === 'pending'),
      )
      .map((incident) => incident.id);
    const on = { groupId: cards.groupId };
    if (owedFor.length > 0 && !(await credentialReachable(deps, context, on, owedFor))) {
      return groups.card(cards, { notice: context.strings.credentialUnreachable(approver.name) });
    }
    const work = engine.approveGroup(cards.groupId, context.actor);
    try {
      const answered = await answerWithin(deps.background, work, deps.fastAnswerMs, () =>
        this.follow(deps, cards, work, context),
      );
      return groups.card(cards, { running: answered.settled === 'pending' });
    } catch (error) {
      // Four-eyes and the other policy refusals: politely, on the card, nothing changed.
      if (error instanceof PolicyError)
        return groups.card(cards, { notice: refusalText(error, context.locale) });
      throw error;
    }
  }

  /** Posts one user's incident card and step cards on demand (or brings them up to date). */
  async details(deps: ActionDeps, context: ActionContext): Promise<AdaptiveCard> {
    const { engine, presenter, background } = deps;
    const { groups } = this.options;
    const cards = await this.groupOf(context);
    const chosenId = typeof context.data.detailsIncident === 'string' ? context.data.detailsIncident : '';
    // Only users of THIS group: the choice is card input, so never trusted beyond that.
    const member = cards.members.find((candidate) => candidate.incidentId === chosenId);
    const incident = member ? await engine.getIncident(member.incidentId) : undefined;
    const running = this.isRunning(cards);
    if (!member || !incident) return groups.card(cards, { notice: context.strings.notInGroup, running });
    if (await presenter.localeOf(incident.id)) {
      background.run(async () => void (await presenter.refresh(incident)));
      return groups.card(cards, {
        notice: context.strings.detailsAlreadyPosted(member.displayName),
        running,
      });
    }
    background.run(() => presenter.post(incident, cards.reference, cards.locale, cards.requesterChannelId));
    return groups.card(cards, { notice: context.strings.detailsPosted(member.displayName), running });
  }

  /** The current group card, as a Universal Actions refresh shows it. */
  async view(context: ActionContext): Promise<AdaptiveCard> {
    const cards = await this.groupOf(context);
    return this.options.groups.card(cards, { running: this.isRunning(cards) });
  }

  /** Remembers a responder who acted on the group card, so it refreshes for them too. */
  async addResponder(cards: GroupCards, channelUserId: string): Promise<void> {
    if (withResponder(cards.responders, channelUserId) === cards.responders) return;
    await this.options.registry.update(cards.groupId, (current) => ({
      ...current,
      responders: withResponder(current.responders, channelUserId),
    }));
  }

  /**
   * Replaces the group card as the group's incidents change while the approval runs, then delivers the new
   * credentials privately (as for one incident) and puts the final state on every card.
   */
  private async follow(
    deps: ActionDeps,
    cards: GroupCards,
    work: Promise<{ secrets: GroupSecret[] }>,
    { approver, clickedIn }: Pick<ActionContext, 'approver' | 'clickedIn'>,
  ): Promise<void> {
    const { presenter, logger } = deps;
    const { groups } = this.options;
    this.running.add(cards.groupId);
    try {
      await whileRunning(
        work,
        groups.changes(cards.groupId),
        (progress) => groups.refresh(cards.groupId, { running: true }, progress),
        (error) => logger.warn({ err: error, groupId: cards.groupId }, 'group progress update failed'),
        { minGapMs: this.options.progressGapMs ?? 1_000 },
      );
      const result = await work.catch((error: unknown) => {
        if (error instanceof PolicyError) return undefined;
        throw error;
      });
      if (result) {
        const names = new Map(
          cards.members.map((member) => [member.incidentId, member.displayName] as const),
        );
        await presenter.deliverSecrets(
          result.secrets.map((delivery) => ({
            incidentId: delivery.incidentId,
            targetName: names.get(delivery.incidentId) ?? delivery.target,
            stepId: 'reset-password',
            secret: delivery.secret,
          })),
          approver,
          clickedIn,
        );
      }
    } finally {
      this.running.delete(cards.groupId);
      await groups.refresh(cards.groupId);
      // Per-user cards posted through "Details" show the outcome too.
      for (const member of cards.members) {
        if (await presenter.localeOf(member.incidentId)) await presenter.refresh(member.incidentId);
      }
    }
  }

  private async groupOf(context: ActionContext): Promise<GroupCards> {
    incidentOf(context);
    const cards = await this.cardsOf(context);
    if (!cards) throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
    return cards;
  }

  private isRunning(cards: GroupCards): boolean {
    return this.running.has(cards.groupId);
  }
}
