import type { Logger } from '../observability/logger';
import type { StepOutcome, StepView } from '../remediation/contract';
import { inertText } from '../remediation/inertText';
import type { CardRegistry } from './cardRegistry';
import type { ConversationGateway } from './gateway';
import { stringsFor } from './i18n';
import { undoStringsFor } from './i18n/undo';
import { securityChannelReference } from './incidentPresenter';

export interface UndoNoticesOptions {
  gateway: ConversationGateway;
  registry: CardRegistry;
  logger: Logger;
  securityChannelId?: string;
}

type UndoState = Pick<StepView, 'undoStatus' | 'undoRequestedBy' | 'undoneBy'>;

function changed(before: UndoState | undefined, after: UndoState): boolean {
  return (
    before?.undoStatus !== after.undoStatus ||
    before?.undoRequestedBy?.id !== after.undoRequestedBy?.id ||
    before?.undoneBy?.id !== after.undoneBy?.id
  );
}

/**
 * An undo puts back what the attacker used, so nobody may do it quietly: every request, approval
 * and failure is told in the incident's conversation and in the security channel.
 */
export class UndoNotices {
  constructor(private readonly options: UndoNoticesOptions) {}

  /** Announces the step's new undo state; a click that changed nothing (a duplicate) says nothing. */
  async announce(before: UndoState | undefined, outcome: StepOutcome): Promise<void> {
    const { step, incident } = outcome;
    if (!changed(before, step)) return;
    const cards = await this.options.registry.get(incident.id);
    if (!cards) return;
    const text = this.text(step, inertText(incident.target.displayName), cards.locale);
    if (!text) return;
    const { gateway, securityChannelId, logger } = this.options;
    const targets = [
      cards.reference,
      ...(securityChannelId ? [securityChannelReference(cards.reference, securityChannelId)] : []),
    ];
    for (const reference of targets) {
      try {
        await gateway.send(reference, { type: 'message', text });
      } catch (error) {
        logger.warn({ err: error, incidentId: incident.id, stepId: step.id }, 'undo notice failed');
      }
    }
  }

  private text(step: StepView, target: string, locale: string): string | undefined {
    const undo = undoStringsFor(locale);
    const title = stringsFor(locale).stepTitles[step.id];
    const name = (actor: { displayName: string } | undefined) => inertText(actor?.displayName ?? '');
    switch (step.undoStatus) {
      case 'requested':
        return undo.noticeRequested(name(step.undoRequestedBy), title, target);
      case 'done':
        return undo.noticeDone(
          name(step.undoneBy),
          title,
          target,
          name(step.undoRequestedBy ?? step.undoneBy),
        );
      case 'failed':
        return undo.noticeFailed(name(step.undoneBy), title, target);
      default:
        return undefined;
    }
  }
}
