import type { ConversationReference } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { inertText } from '../remediation/inertText';
import { summarizeGroup } from '../remediation/groups';
import type { GroupProgress, IncidentView, RemediationEngine } from '../remediation/contract';
import { claimCompletion, refreshUsers } from './cardRegistry';
import type { GroupCardRegistry, GroupCards } from './cardRegistry';
import type { CardContext } from './cards/builders';
import { buildGroupCard } from './cards/groupCard';
import type { AdaptiveCard, CardTemplates } from './cards/templates';
import type { ConversationGateway } from './gateway';
import type { Subscribe } from './progress';
import { cardActivity, securityChannelReference } from './incidentPresenter';
import { stringsFor } from './i18n';

export interface GroupPresenterOptions {
  engine: Pick<RemediationEngine, 'getIncident' | 'getGroupProgress' | 'listGroupIncidents' | 'subscribe'>;
  gateway: ConversationGateway;
  registry: GroupCardRegistry;
  templates: CardTemplates;
  logger: Logger;
  cardContext: (locale: string | undefined) => CardContext;
  /** Teams channel (conversation id) told when a whole group is complete. */
  securityChannelId?: string;
}

export interface GroupCardOptions {
  running?: boolean;
  notice?: string;
}

/**
 * One card for incidents opened together (several users, or an alert naming many): counts per
 * step and the failures, instead of a dozen cards per user. Per-user cards come on demand.
 */
export class GroupPresenter {
  constructor(private readonly options: GroupPresenterOptions) {}

  async post(
    groupId: string,
    incidents: IncidentView[],
    reference: Partial<ConversationReference>,
    locale: string,
    requester: { channelId?: string; name: string },
  ): Promise<void> {
    const cards: GroupCards = {
      groupId,
      reference,
      locale,
      ...(requester.channelId ? { requesterChannelId: requester.channelId } : {}),
      requesterName: requester.name,
      members: incidents.map((incident) => ({
        incidentId: incident.id,
        displayName: incident.target.displayName,
        userPrincipalName: incident.target.userPrincipalName,
      })),
      completionAnnounced: false,
    };
    const card = await this.render(cards, {});
    const activityId = await this.options.gateway.send(reference, cardActivity(card));
    await this.options.registry.put({ ...cards, ...(activityId ? { activityId } : {}) });
  }

  /** Where the group card of this incident's group is, if the incident was opened as part of one. */
  async cardsOfIncident(incident: IncidentView): Promise<GroupCards | undefined> {
    return this.options.registry.get(incident.groupId);
  }

  /**
   * The group's progress after each change to one of its incidents, folded from the views the
   * engine's change events carry: one read of the group when following starts, none per change.
   */
  changes(groupId: string): Subscribe<GroupProgress> {
    const { engine, logger } = this.options;
    return (listener) => {
      const views = new Map<string, IncidentView>();
      let seeded = false;
      let following = true;
      const unsubscribe = engine.subscribe((event) => {
        if (event.incident.groupId !== groupId) return;
        views.set(event.incident.id, event.incident);
        if (seeded) listener(summarizeGroup(groupId, [...views.values()]));
      });
      engine.listGroupIncidents(groupId).then(
        (incidents) => {
          // A view from an event is newer than the one read here.
          for (const incident of incidents) if (!views.has(incident.id)) views.set(incident.id, incident);
          seeded = true;
          if (following) listener(summarizeGroup(groupId, [...views.values()]));
        },
        (error: unknown) => logger.warn({ err: error, groupId }, 'group progress not followed'),
      );
      return () => {
        following = false;
        unsubscribe();
      };
    };
  }

  /** The current group card, for an invoke response. */
  async card(cards: GroupCards, options: GroupCardOptions = {}): Promise<AdaptiveCard> {
    return this.render(cards, options);
  }

  /**
   * Replaces the group card in place for everyone in the conversation. When the group is
   * finished (and no approval is running) the security channel is told, once. `known`: progress
   * the caller already has (from change events), so it is not read again.
   */
  async refresh(groupId: string, options: GroupCardOptions = {}, known?: GroupProgress): Promise<void> {
    const cards = await this.options.registry.get(groupId);
    if (!cards) return;
    const progress = known ?? (await this.options.engine.getGroupProgress(groupId));
    const card = this.renderProgress(cards, progress, options);
    if (cards.activityId) {
      await this.options.gateway.update(cards.reference, cards.activityId, cardActivity(card));
    }
    if (progress.finished && !options.running) await this.announceCompletion(cards);
  }

  private async render(cards: GroupCards, options: GroupCardOptions): Promise<AdaptiveCard> {
    const progress = await this.options.engine.getGroupProgress(cards.groupId);
    return this.renderProgress(cards, progress, options);
  }

  private renderProgress(
    cards: GroupCards,
    progress: GroupProgress,
    options: GroupCardOptions,
  ): AdaptiveCard {
    return this.options.templates.render(
      'group',
      buildGroupCard(
        progress,
        {
          members: cards.members,
          requesterName: cards.requesterName,
          refreshUserIds: refreshUsers(cards.requesterChannelId, cards.responders),
          running: options.running ?? false,
          ...(options.notice ? { notice: options.notice } : {}),
        },
        this.options.cardContext(cards.locale),
      ),
    );
  }

  private async announceCompletion(cards: GroupCards): Promise<void> {
    const { securityChannelId, gateway, registry, logger } = this.options;
    if (!securityChannelId || !(await claimCompletion(registry, cards.groupId))) return;
    const channelReference = securityChannelReference(cards.reference, securityChannelId);
    try {
      await gateway.send(channelReference, {
        type: 'message',
        text: stringsFor(cards.locale).groupSecurityChannelNotice(
          cards.members.length,
          inertText(cards.requesterName),
        ),
      });
    } catch (error) {
      logger.warn({ err: error, groupId: cards.groupId }, 'security channel notification failed');
    }
  }
}
