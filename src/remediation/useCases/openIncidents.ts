import { english } from '../../i18n/findings';
import { message as msg } from '../../i18n/message';
import type { Message } from '../../i18n/message';
import type { DirectoryUser, M365Services } from '../../m365/types';
import type { Actor, IncidentView, OpenIncidentsRequest, OpenIncidentsResult, TargetView } from '../contract';
import { PolicyError, refusal } from '../contract';
import { m365Code, toStepError } from '../errors';
import { openRequestSchema, validActor } from '../input';
import type { IncidentRecord } from '../storage';
import { toIncidentView } from '../views';
import type { UseCaseDeps } from './deps';
import { discoverAll } from './discovery';

type Opened =
  { incident: IncidentView; joined: boolean } | { refused: OpenIncidentsResult['refused'][number] };

function toTargetView(user: DirectoryUser): TargetView {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
  };
}

/** Opening: resolve targets, check policy, discover, and open (or join) one incident per target. */
export class OpenIncidents {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly services: M365Services,
  ) {}

  async open(request: OpenIncidentsRequest): Promise<OpenIncidentsResult> {
    const { ledger, policy } = this.deps;
    const parsed = openRequestSchema.parse(request);
    const requester = validActor(parsed.requester);
    try {
      await policy.assertResponder(requester);
    } catch (error) {
      await ledger.audit({
        actor: requester,
        event: 'incident.refused',
        outcome: 'refused',
        detail: String(error),
      });
      throw error;
    }
    const groupId = this.deps.ids();
    const result: OpenIncidentsResult = { groupId, incidents: [], joinedIncidentIds: [], refused: [] };
    const targets = [...new Set(parsed.targets)];
    const opened = await Promise.all(
      targets.map((target) => this.openOne(target, requester, parsed.origin, groupId)),
    );
    for (const outcome of opened) {
      if ('refused' in outcome) {
        result.refused.push(outcome.refused);
        continue;
      }
      if (result.incidents.some((incident) => incident.id === outcome.incident.id)) continue;
      result.incidents.push(outcome.incident);
      if (outcome.joined) result.joinedIncidentIds.push(outcome.incident.id);
    }
    return result;
  }

  private async openOne(
    targetInput: string,
    requester: Actor,
    origin: OpenIncidentsRequest['origin'],
    groupId: string,
  ): Promise<Opened> {
    const { ledger, store, policy, logger } = this.deps;
    const refuse = async (code: string, message: string, detail?: Message): Promise<Opened> => {
      await ledger.audit({
        actor: requester,
        event: 'incident.refused',
        outcome: 'refused',
        detail: message,
      });
      return { refused: { target: targetInput, code, message, ...(detail ? { detail } : {}) } };
    };
    let user: DirectoryUser;
    try {
      user = await this.services.users.getUser(targetInput);
    } catch (error) {
      const code = m365Code(error) === 'NotFound' ? 'UnknownTarget' : (m365Code(error) ?? 'Unknown');
      const why = toStepError(error);
      const detail =
        code === 'UnknownTarget'
          ? msg('refusal.noSuchUser', { target: targetInput })
          : msg('refusal.lookupFailed', { target: targetInput, error: why.detail ?? why.message });
      return refuse(code, english(detail), detail);
    }
    try {
      policy.assertTargetAllowed(user);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      return refuse(error.code, error.message, error.detail);
    }

    const existing = await store.findOpenIncidentForTarget(user.id);
    if (existing) return { incident: await this.join(existing, requester), joined: true };

    const now = ledger.now();
    const incidentId = this.deps.ids();
    const target = toTargetView(user);
    const steps = await discoverAll(ledger, logger, incidentId, target);
    const incident: IncidentRecord = {
      id: incidentId,
      groupId,
      target,
      requester,
      origin,
      approvals: [],
      status: policy.fourEyes ? 'awaiting-approval' : 'open',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const created = await store.createIncident(incident, steps);
    if (!created.created) {
      // Another request for the same target won the race: join it.
      const winner = await store.getIncident(created.existingIncidentId);
      if (!winner) throw refusal('UnknownIncident', msg('refusal.incidentGone'));
      return { incident: await this.join(winner, requester), joined: true };
    }
    await ledger.audit({
      incidentId,
      actor: requester,
      event: 'incident.opened',
      outcome: 'ok',
      after: {
        target: target.userPrincipalName,
        steps: steps.map((step) => ({
          id: step.stepId,
          findings: step.findings.length,
          status: step.status,
        })),
      },
    });
    logger.info({ incidentId, target: target.id }, 'incident opened');
    return { incident: toIncidentView(incident, steps), joined: false };
  }

  private async join(incident: IncidentRecord, requester: Actor): Promise<IncidentView> {
    await this.deps.ledger.audit({
      incidentId: incident.id,
      actor: requester,
      event: 'incident.joined',
      outcome: 'info',
    });
    return this.deps.ledger.view(incident.id);
  }
}
