import { ComponentDialog, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import type { PromptValidatorContext, WaterfallStepContext } from 'botbuilder-dialogs';
import type { MentionEntity } from './triggers';
import { parseTargetsOnly } from './triggers';
import { stringsFor } from './i18n';
import { TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';

export const TARGET_DIALOG_ID = 'askTarget';
const PROMPT_ID = 'targetText';

/** Mention entities are caller-supplied JSON: only well-formed ones name anybody. */
function isWellFormedMention(
  mention: unknown,
): mention is { mentioned: { id: string; name?: string }; text?: string } {
  if (typeof mention !== 'object' || mention === null) return false;
  const { mentioned, text } = mention as { mentioned?: unknown; text?: unknown };
  if (typeof mentioned !== 'object' || mentioned === null || Array.isArray(mentioned)) return false;
  const { id, name } = mentioned as { id?: unknown; name?: unknown };
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 200 &&
    (name === undefined || (typeof name === 'string' && name.length <= 200)) &&
    (text === undefined || typeof text === 'string')
  );
}

/**
 * Drops mention entities that are not well-formed (botbuilder's own mention helpers assume
 * `mentioned.id` exists and throw otherwise). Other entities pass untouched.
 */
export function dropMalformedMentions(entities: unknown): Activity['entities'] | undefined {
  if (!Array.isArray(entities)) return undefined;
  return entities.filter((entity: unknown) => {
    if (typeof entity !== 'object' || entity === null) return false;
    const type = (entity as { type?: unknown }).type;
    if (typeof type !== 'string') return false;
    return type.toLowerCase() !== 'mention' || isWellFormedMention(entity);
  }) as Activity['entities'];
}

/** Mentions of people other than the bot itself. */
export function otherMentions(activity: Partial<Activity>): MentionEntity[] {
  const botId = activity.recipient?.id;
  return (TurnContext.getMentions(activity) as unknown[])
    .filter(isWellFormedMention)
    .filter((mention) => mention.mentioned.id !== botId)
    .map((mention) => ({
      mentioned: {
        id: mention.mentioned.id,
        ...(mention.mentioned.name ? { name: mention.mentioned.name } : {}),
      },
      ...(mention.text ? { text: mention.text } : {}),
    }));
}

/** What the dialog hands back: the activity whose mentions and text name the targets. */
export type TargetAnswered = (context: TurnContext) => Promise<void>;

/**
 * "compromised" with nobody named: asks who, re-asks until a person or address is given,
 * then hands the answering message to the same flow as a one-line trigger.
 */
export class TargetDialog extends ComponentDialog {
  constructor(private readonly onAnswer: TargetAnswered) {
    super(TARGET_DIALOG_ID);
    this.addDialog(new TextPrompt(PROMPT_ID, (prompt) => this.validate(prompt)));
    this.addDialog(
      new WaterfallDialog('askTargetSteps', [
        async (step: WaterfallStepContext) => {
          const strings = stringsFor(step.context.activity.locale);
          return step.prompt(PROMPT_ID, { prompt: strings.askTarget, retryPrompt: strings.askTargetRetry });
        },
        async (step: WaterfallStepContext) => {
          await this.onAnswer(step.context);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = 'askTargetSteps';
  }

  private async validate(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const activity = prompt.context.activity;
    const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    return parseTargetsOnly(text, otherMentions(activity)).targets.length > 0;
  }
}
