import { TeamsActivityHandler, TurnContext } from 'botbuilder';
import type {
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  ConversationState,
  StatePropertyAccessor,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import type { DialogState } from 'botbuilder-dialogs';
import type { Logger } from '../observability/logger';
import { tenantOf } from './actionContext';
import { actorFrom } from './actor';
import type { CardActionRouter } from './cardActions';
import type { Commands } from './commands';
import { stringsFor } from './i18n';
import { TARGET_DIALOG_ID, TargetDialog, dropMalformedMentions, otherMentions } from './targetDialog';
import { parseCommand, parseTargetsOnly } from './triggers';

export interface RemediatorBotDeps {
  commands: Commands;
  router: CardActionRouter;
  conversationState: ConversationState;
  logger: Logger;
  /** Activities from any other tenant are refused. Unset: not pinned (simulated demo only). */
  allowedTenantId?: string;
}

/** Teams entry point: messages become commands, card clicks go to the verb router. */
export class RemediatorBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: RemediatorBotDeps) {
    super();
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    this.dialogs.add(new TargetDialog((context) => this.onTargetAnswer(context)));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    // Entities are caller-supplied JSON; malformed mentions would crash botbuilder's helpers.
    const entities = dropMalformedMentions(context.activity.entities);
    if (context.activity.entities !== undefined) context.activity.entities = entities ?? [];
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const tenantId = tenantOf(context.activity);
    if (!this.tenantAllowed(tenantId)) {
      return {
        statusCode: 403,
        type: 'application/vnd.microsoft.error',
        value: {
          code: 'Forbidden',
          message: stringsFor(context.activity.locale).notFromTenant,
        } as unknown as Record<string, unknown>,
      };
    }
    const action = invokeValue.action as { verb?: unknown; data?: unknown } | undefined;
    const verb = typeof action?.verb === 'string' ? action.verb : '';
    return this.deps.router.handle(context, actorFrom(context.activity), verb, action?.data, tenantId);
  }

  private tenantAllowed(tenantId: string | undefined): boolean {
    const allowed = this.deps.allowedTenantId;
    if (!allowed) return true;
    return tenantId?.toLowerCase() === allowed.toLowerCase();
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    if (!this.tenantAllowed(tenantOf(context.activity))) {
      await context.sendActivity(strings.notFromTenant);
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const mentions = otherMentions(context.activity);
    const command = parseCommand(text, mentions);

    const dialogContext = await this.dialogs.createContext(context);
    if (dialogContext.activeDialog) {
      if (command.kind === 'cancel' && !command.incidentId) {
        await dialogContext.cancelAllDialogs();
        await context.sendActivity(strings.promptCancelled);
        return;
      }
      const result = await dialogContext.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    }

    const actor = actorFrom(context.activity);
    if (!actor) {
      await context.sendActivity(strings.noIdentity);
      return;
    }
    const { commands } = this.deps;
    switch (command.kind) {
      case 'compromised':
        if (command.targets.length === 0 && command.unrecognised.length === 0) {
          await dialogContext.beginDialog(TARGET_DIALOG_ID);
          return;
        }
        await commands.compromised(context, actor, command.targets, command.unrecognised);
        return;
      case 'status':
        await commands.status(context, actor);
        return;
      case 'history':
        await commands.history(context, actor, command.targets);
        return;
      case 'report':
        await commands.report(context, actor, command.incidentId);
        return;
      case 'cancel':
        await commands.cancel(context, actor, command.incidentId);
        return;
      case 'restoreRoles':
        await commands.restoreRoles(context, actor, command.targets);
        return;
      case 'help':
        await context.sendActivity({ type: 'message', textFormat: 'markdown', text: strings.help });
        return;
    }
  }

  private async onTargetAnswer(context: TurnContext): Promise<void> {
    const actor = actorFrom(context.activity);
    if (!actor) {
      await context.sendActivity(stringsFor(context.activity.locale).noIdentity);
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const { targets, unrecognised } = parseTargetsOnly(text, otherMentions(context.activity));
    await this.deps.commands.compromised(context, actor, targets, unrecognised);
  }
}
