import { TurnContext } from 'botbuilder';
import { refusalText } from '../i18n/findings';
import type { Logger } from '../observability/logger';
import { PolicyError } from '../remediation/contract';
import type { GroupSecret, IncidentView } from '../remediation/contract';
import type { BackgroundTasks } from './background';
import type { ActionContext } from './actionContext';
import type { GroupCards } from './cardRegistry';
import { groupCardVersion } from './cards/cardVersion';
import type { AdaptiveCard } from './cards/templates';
import type { RemediationEngine } from './engine';
import type { CredentialReach } from './delivery/credentialReach';
import type { GroupPresenter } from './groupPresenter';
import type { IncidentPresenter } from './incidentPresenter';
import { settleWithin, whileRunning } from './progress';

type SecretDestination = Parameters<IncidentPresenter['deliverSecrets']>[2];
type SecretRecipient = Parameters<IncidentPresenter['deliverSecrets']>[1];

export const GROUP_VERBS = {
  approveGroup: 'group.approve',
  groupDetails: 'group.details',
} as const;

export interface GroupActionOptions {
  engine: RemediationEngine;
  presenter: IncidentPresenter;
  groups: GroupPresenter;
  background: BackgroundTasks;
  logger: Logger;
  /** How long a click waits for the engine before answering with a running card. */
  fastAnswerMs: number;
  /** At least this long between two group card updates while the group approval runs (default 1 s). */
  progressGapMs?: number;
  requireCardVersion?: boolean;
  /** A group approval resets passwords: the approver's 1:1 chat must open first. */
  credentialReach?: CredentialReach;
}

/** "Approve for all" and "Details" on a group card. */
export class GroupActions {
  /** Groups whose approval runs in this process: their card shows progress, not the button. */
  private readonly running = new Set<string>();

  constructor(private readonly options: GroupActionOptions) {}

  /** One approval for the whole group (engine.approveGroup); the card follows the run. */
  async approve(context: ActionContext): Promise<AdaptiveCard> {
    const { engine, groups, background } = this.options;
    const cards = await this.groupOf(context);
    const progress = await engine.getGroupProgress(cards.groupId);
    if (this.isStale(context, groupCardVersion(progress))) {
      return groups.card(cards, { notice: context.strings.staleCard, running: this.isRunning(cards) });
    }
    // Who clicked and where, read from the turn now: the follow-up outlives it.
    const clickedIn = {
      reference: TurnContext.getConversationReference(context.turn.activity),
      personal: context.turn.activity.conversation.conversationType === 'personal',
      locale: context.locale,
    };
    const approver = { channelUserId: context.turn.activity.from.id, name: context.actor.displayName };
    const resetsPending = progress.steps.some(
      (step) => step.stepId === 'reset-password' && step.counts.pending > 0,
    );
    const reachable =
      !resetsPending ||
      !this.options.credentialReach ||
      (await this.options.credentialReach.canReceive({
        reference: clickedIn.reference,
        personal: clickedIn.personal,
        channelUserId: approver.channelUserId,
        approver: context.actor,
        on: { groupId: cards.groupId },
      }));
    if (!reachable) {
      return groups.card(cards, { notice: context.strings.credentialUnreachable(approver.name) });
    }
    const work = engine.approveGroup(cards.groupId, context.actor);
    background.run(() => this.follow(cards, work, { clickedIn, approver }));
    const finished = await settleWithin(work, this.options.fastAnswerMs);
    if (finished === 'rejected') {
      try {
        await work;
      } catch (error) {
        // Four-eyes and the other policy refusals: politely, on the card, nothing changed.
        if (error instanceof PolicyError)
          return groups.card(cards, { notice: refusalText(error, context.locale) });
        throw error;
      }
    }
    return groups.card(cards, { running: finished === 'pending' });
  }

  /** Posts one user's incident card and step cards on demand (or brings them up to date). */
  async details(context: ActionContext): Promise<AdaptiveCard> {
    const { engine, presenter, groups, background } = this.options;
    const cards = await this.groupOf(context);
    const chosenId = typeof context.data.detailsIncident === 'string' ? context.data.detailsIncident : '';
    // Only users of THIS group: the choice is card input, so never trusted beyond that.
    const member = cards.members.find((candidate) => candidate.incidentId === chosenId);
    const incident = member ? await engine.getIncident(member.incidentId) : undefined;
    const running = this.isRunning(cards);
    if (!member || !incident) return groups.card(cards, { notice: context.strings.notInGroup, running });
    if (await presenter.localeOf(incident.id)) {
      background.run(async () => void (await presenter.refresh(incident.id)));
      return groups.card(cards, {
        notice: context.strings.detailsAlreadyPosted(member.displayName),
        running,
      });
    }
    background.run(() => presenter.post(incident, cards.reference, cards.locale, cards.requesterChannelId));
    return groups.card(cards, { notice: context.strings.detailsPosted(member.displayName), running });
  }

  /** The locale of the group card an incident belongs to, if it was posted as part of one. */
  async localeOf(incidentId: string): Promise<string | undefined> {
    const incident = await this.options.engine.getIncident(incidentId);
    return incident ? (await this.options.groups.cardsOfIncident(incident))?.locale : undefined;
  }

  /**
   * Replaces the group card as the group's incidents change while the approval runs, then delivers the new
   * credentials privately (as for one incident) and puts the final state on every card.
   */
  private async follow(
    cards: GroupCards,
    work: Promise<{ secrets: GroupSecret[] }>,
    { clickedIn, approver }: { clickedIn: SecretDestination; approver: SecretRecipient },
  ): Promise<void> {
    const { groups, presenter, logger } = this.options;
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
    const incident: IncidentView | undefined = await this.options.engine.getIncident(context.data.i);
    const cards = incident ? await this.options.groups.cardsOfIncident(incident) : undefined;
    if (!cards) throw new PolicyError('UnknownIncident', context.strings.unknownIncident(context.data.i));
    return cards;
  }

  private isRunning(cards: GroupCards): boolean {
    return this.running.has(cards.groupId);
  }

  private isStale(context: ActionContext, currentVersion: string): boolean {
    const clicked = context.data.v;
    if (clicked === undefined) return this.options.requireCardVersion === true;
    return clicked !== currentVersion;
  }
}
