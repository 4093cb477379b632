import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { stringsFor } from './i18n';

/**
 * onTurnError: the user gets a short message and an error id to quote; the detail goes only
 * to the log, so no stack, URL or tenant detail leaks into Teams.
 */
export function createTurnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const errorId = randomUUID().slice(0, 8);
    logger.error(
      {
        err: error,
        errorId,
        activityType: context.activity.type,
        conversationId: context.activity.conversation?.id,
      },
      'unhandled error in turn',
    );
    try {
      await context.sendActivity(stringsFor(context.activity.locale).errorOccurred(errorId));
    } catch (sendError) {
      logger.warn({ err: sendError, errorId }, 'could not tell the user about the error');
    }
  };
}
