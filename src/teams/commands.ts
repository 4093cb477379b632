import { message } from '../i18n/message';
import { randomUUID } from 'node:crypto';
import { refusalText } from '../i18n/findings';
import { TurnContext } from 'botbuilder';
import type { Logger } from '../observability/logger';
import { inertText } from '../remediation/inertText';
import { RefusalAudit } from '../security/refusalAudit';
import type { AuditSink } from '../security/refusalAudit';
import { PolicyError } from '../remediation/contract';
import type { Actor, IncidentView, RemediationEngine } from '../remediation/contract';
import type { BackgroundTasks } from './background';
import { DeliveryError } from './delivery/outbox';
import type { IncidentPresenter } from './incidentPresenter';
import type { IncidentOpening, OpeningRequest } from './openedIncidents';
import { tenantOf } from './actionContext';
import { stringsFor } from './i18n';
import type { Strings } from './i18n';
import type { MemberResolver } from './members';
import type { TargetRef } from './triggers';
import { undoStringsFor } from './i18n/undo';
import type { UndoNotices } from './undoNotices';

export interface CommandDeps {
  engine: RemediationEngine;
  presenter: IncidentPresenter;
  /** Opening incidents and posting their cards: the same use case as an alert taken on. */
  opening: IncidentOpening;
  members: MemberResolver;
  background: BackgroundTasks;
  logger: Logger;
  undoNotices?: UndoNotices;
  /** Refusals of text commands (another conversation) are audited here. */
  audit?: AuditSink;
}

/** A target the engine understands (UPN or object id), or why it is not one. */
type Resolution = { ok: true; target: string; label: string } | { ok: false; label: string };

function incidentLine(incident: IncidentView, strings: Strings): string {
  return `- ${inertText(incident.target.displayName)} (${inertText(incident.target.userPrincipalName)}) — ${strings.incidentStatus[incident.status]} — \`${incident.id}\``;
}

/** The text commands: compromised, status, history, report, cancel, restore roles. */
export class Commands {
  private readonly refusals: RefusalAudit;

  constructor(private readonly deps: CommandDeps) {
    this.refusals = new RefusalAudit(deps.audit);
  }

  async resolveTargets(context: TurnContext, targets: TargetRef[]): Promise<Resolution[]> {
    return Promise.all(
      targets.map(async (target): Promise<Resolution> => {
        if (target.kind === 'address') return { ok: true, target: target.value, label: target.value };
        const member = await this.deps.members.resolve(context, target.channelId);
        if (!member) return { ok: false, label: target.name || target.channelId };
        return {
          ok: true,
          target: member.userPrincipalName ?? member.aadObjectId,
          label: member.name || target.name,
        };
      }),
    );
  }

  /**
   * Answers at once and opens the incidents in the background: discovery reads a dozen
   * APIs and Teams retries a request that is not answered within 15 s.
   */
  async compromised(
    context: TurnContext,
    actor: Actor,
    targets: TargetRef[],
    unrecognised: string[],
  ): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    // Refused before anything is looked up: a non-responder must not learn whether an account exists.
    if (!(await this.deps.engine.isResponder(actor))) {
      await this.refusals.record({ actor, event: 'incident.refused', detail: 'NotResponder' });
      await this.assertResponder(context, actor);
      return;
    }
    const resolutions = await this.resolveTargets(context, targets);
    const unknown = [...resolutions.filter((r) => !r.ok).map((r) => r.label), ...unrecognised];
    const known = resolutions.filter((r): r is Extract<Resolution, { ok: true }> => r.ok);
    if (unknown.length > 0)
      await context.sendActivity(strings.unknownUsers(unknown.map(inertText).join(', ')));
    if (known.length === 0) return;

    await context.sendActivity(strings.investigating(known.map((r) => inertText(r.label)).join(', ')));
    const tenantId = tenantOf(context.activity);
    const request: OpeningRequest = {
      targets: known.map((r) => r.target),
      requester: actor,
      kind: 'teams',
      reference: TurnContext.getConversationReference(context.activity),
      locale: context.activity.locale ?? 'en',
      requesterChannelId: context.activity.from.id,
      ...(tenantId ? { tenantId } : {}),
    };
    this.deps.background.run(async () => {
      const { presenter, opening } = this.deps;
      const { reference, locale } = request;
      try {
        const results = await opening.open(request);
        const notes = results.flatMap((result) => [
          ...result.refused.map((refusal) =>
            strings.refused(inertText(refusal.target), inertText(refusalText(refusal, locale))),
          ),
          ...result.incidents
            .filter((incident) => result.joinedIncidentIds.includes(incident.id))
            .map((incident) => strings.joined(inertText(incident.target.displayName))),
        ]);
        if (notes.length > 0) await presenter.say(reference, notes.join('\n\n'));
        await opening.present(results, request);
      } catch (error) {
        if (error instanceof PolicyError) {
          await presenter.say(reference, inertText(refusalText(error, locale)));
          return;
        }
        // Teams refused a write: saying so in the same conversation would only be refused too.
        if (error instanceof DeliveryError) return;
        // The turn is over, so onTurnError cannot answer: say it here, detail only in the log.
        const errorId = randomUUID().slice(0, 8);
        this.deps.logger.error({ err: error, errorId }, 'opening incidents failed');
        await presenter.say(reference, strings.errorOccurred(errorId));
      }
    });
  }

  async status(context: TurnContext, actor: Actor): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    if (!(await this.assertResponder(context, actor))) return;
    const open = await this.deps.engine.listOpenIncidents();
    await context.sendActivity(
      open.length === 0
        ? strings.noOpenIncidents
        : [strings.openIncidents, ...open.map((incident) => incidentLine(incident, strings))].join('\n'),
    );
  }

  async history(context: TurnContext, actor: Actor, targets: TargetRef[]): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    if (targets.length === 0) {
      await context.sendActivity(strings.usage('history <user>'));
      return;
    }
    if (!(await this.assertResponder(context, actor))) return;
    for (const resolution of await this.resolveTargets(context, targets)) {
      if (!resolution.ok) {
        await context.sendActivity(strings.unknownUsers(inertText(resolution.label)));
        continue;
      }
      const incidents = await this.deps.engine.history(resolution.target);
      await context.sendActivity(
        incidents.length === 0
          ? strings.noHistory(inertText(resolution.label))
          : [
              strings.historyFor(inertText(resolution.label)),
              ...incidents.map((incident) => incidentLine(incident, strings)),
            ].join('\n'),
      );
    }
  }

  async report(context: TurnContext, actor: Actor, incidentId: string | undefined): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    if (!incidentId) {
      await context.sendActivity(strings.usage('report <incident id>'));
      return;
    }
    if (!(await this.assertResponder(context, actor))) return;
    const incident = await this.deps.engine.getIncident(incidentId);
    if (!incident) {
      await context.sendActivity(strings.unknownIncident(inertText(incidentId)));
      return;
    }
    await context.sendActivity({
      type: 'message',
      textFormat: 'markdown',
      text: await this.deps.engine.report(incidentId, context.activity.locale),
    });
  }

  async cancel(context: TurnContext, actor: Actor, incidentId: string | undefined): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    const conversationId = context.activity.conversation.id;
    const targets = incidentId
      ? [incidentId]
      : (await this.deps.engine.listOpenIncidents())
          .filter(
            (incident) =>
              incident.origin.conversationId === conversationId && incident.requester.id === actor.id,
          )
          .map((incident) => incident.id);
    if (targets.length === 0) {
      await context.sendActivity(strings.nothingToCancel);
      return;
    }
    for (const id of targets) {
      try {
        const current = await this.deps.engine.getIncident(id);
        if (!current) {
          await context.sendActivity(strings.unknownIncident(inertText(id)));
          continue;
        }
        if (await this.refusedElsewhere(context, actor, current, 'cancel')) continue;
        const incident = await this.deps.engine.cancelIncident(id, actor);
        await context.sendActivity(strings.cancelled(inertText(incident.target.displayName)));
        this.deps.background.run(async () => void (await this.deps.presenter.refresh(id)));
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        await context.sendActivity(inertText(refusalText(error, context.activity.locale)));
      }
    }
  }

  /** "restore roles @Megan": undoes the admin-roles step of her latest incident that removed any. */
  async restoreRoles(context: TurnContext, actor: Actor, targets: TargetRef[]): Promise<void> {
    const strings = stringsFor(context.activity.locale);
    if (targets.length === 0) {
      await context.sendActivity(strings.usage('restore roles <user>'));
      return;
    }
    if (!(await this.assertResponder(context, actor))) return;
    for (const resolution of await this.resolveTargets(context, targets)) {
      if (!resolution.ok) {
        await context.sendActivity(strings.unknownUsers(inertText(resolution.label)));
        continue;
      }
      const incidents = await this.deps.engine.history(resolution.target);
      const latest = [...incidents]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .find((incident) => incident.steps.some((step) => step.id === 'admin-roles' && step.undoable));
      if (!latest) {
        await context.sendActivity(strings.nothingToRestore(inertText(resolution.label)));
        continue;
      }
      if (await this.refusedElsewhere(context, actor, latest, 'restore-roles')) continue;
      try {
        // The same rule as the card's button: one responder asks, a second one approves.
        const before = latest.steps.find((step) => step.id === 'admin-roles');
        const outcome = await this.deps.engine.undoStep(latest.id, 'admin-roles', actor);
        const name = inertText(latest.target.displayName);
        const undo = undoStringsFor(context.activity.locale);
        await context.sendActivity(
          outcome.step.undoStatus === 'requested'
            ? undo.restoreRequested(name)
            : outcome.step.undoStatus === 'failed'
              ? undo.noticeFailed(inertText(actor.displayName), strings.stepTitles['admin-roles'], name)
              : strings.rolesRestored(name),
        );
        const { undoNotices } = this.deps;
        if (undoNotices) this.deps.background.run(() => undoNotices.announce(before, outcome));
        this.deps.background.run(async () => void (await this.deps.presenter.refresh(latest.id)));
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        await context.sendActivity(inertText(refusalText(error, context.activity.locale)));
      }
    }
  }

  /**
   * A text command acts on an incident only from the conversation it was opened in, exactly as a
   * card click must: typed anywhere else (a 1:1 chat, another team) it is refused and audited.
   */
  private async refusedElsewhere(
    context: TurnContext,
    actor: Actor,
    incident: IncidentView,
    command: string,
  ): Promise<boolean> {
    const here = context.activity.conversation?.id;
    const tenant = tenantOf(context.activity);
    const sameConversation =
      incident.origin.conversationId !== undefined && incident.origin.conversationId === here;
    const sameTenant =
      incident.origin.tenantId === undefined ||
      incident.origin.tenantId.toLowerCase() === (tenant ?? '').toLowerCase();
    if (sameConversation && sameTenant) return false;
    this.deps.logger.warn(
      { incidentId: incident.id, command, actor: actor.id },
      'command from another conversation',
    );
    await this.refusals.record({
      incidentId: incident.id,
      actor,
      event: `command.${command}`,
      detail: `text command from another conversation (${(here ?? '').slice(0, 200)})`,
    });
    await context.sendActivity(undoStringsFor(context.activity.locale).otherConversation);
    return true;
  }

  private async assertResponder(context: TurnContext, actor: Actor): Promise<boolean> {
    if (await this.deps.engine.isResponder(actor)) return true;
    const refused = message('refusal.notResponder', { name: actor.displayName });
    await context.sendActivity(
      inertText(refusalText({ code: 'NotResponder', message: '', detail: refused }, context.activity.locale)),
    );
    return false;
  }
}
