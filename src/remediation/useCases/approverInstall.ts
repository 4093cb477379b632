import type { M365Services } from '../../m365/types';
import type { Actor } from '../contract';
import { PolicyError } from '../contract';
import { m365Code, requestIdOf } from '../errors';
import { idSchema, validActor } from '../input';
import { isClosed } from '../ledger';
import type { IncidentRecord } from '../storage';
import type { UseCaseDeps } from './deps';

/** Which approval needs the credential to reach its approver: one incident, or a whole group. */
export type InstallFor = { incidentId: string } | { groupId: string };

/**
 * Installs the bot's Teams app in the approver's personal scope, so that a new password or
 * Temporary Access Pass can reach their 1:1 chat. It is a tenant write like any other: only a
 * responder who may approve the incident(s) gets it (never the target, and under four-eyes not the
 * requester), only for themself, and every attempt is audited with the actor.
 */
export class ApproverInstall {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly services: Pick<M365Services, 'teamsApps'>,
    /** The app's id in the tenant app catalog; without it nothing is installed. */
    private readonly catalogAppId: string | undefined,
  ) {}

  /** True when the app is (now, or already) installed for the approver. */
  async installFor(approver: Actor, on: InstallFor): Promise<boolean> {
    const { ledger, policy, logger } = this.deps;
    if (!this.catalogAppId) return false;
    const actor = validActor(approver);
    const incidents = await this.incidentsOf(on);
    const first = incidents[0];
    if (!first) return false;
    try {
      for (const incident of incidents) {
        await ledger.guard(incident, actor, 'approver.installApp', () =>
          policy.assertCanApprove(incident, actor),
        );
      }
    } catch (error) {
      if (error instanceof PolicyError) return false;
      throw error;
    }
    const where = 'groupId' in on ? `for the approval of group ${on.groupId}` : 'for this incident';
    try {
      const result = await this.services.teamsApps.installForUser(actor.id, this.catalogAppId);
      await ledger.audit({
        incidentId: first.id,
        actor,
        event: 'approver.installApp',
        outcome: 'ok',
        ...(result.requestId ? { requestIds: [result.requestId] } : {}),
        detail: result.alreadyInstalled
          ? `Remediator was already installed for ${actor.displayName} ${where}.`
          : `Remediator installed as a personal app for ${actor.displayName} ${where}, to deliver a credential privately.`,
      });
      return true;
    } catch (error) {
      const requestId = requestIdOf(error);
      logger.warn({ err: error, incidentId: first.id }, 'installing the app for the approver failed');
      await ledger.audit({
        incidentId: first.id,
        actor,
        event: 'approver.installApp',
        outcome: 'failed',
        ...(requestId ? { requestIds: [requestId] } : {}),
        detail: `Could not install Remediator for ${actor.displayName} ${where}: ${m365Code(error) ?? 'Unknown'}.`,
      });
      return false;
    }
  }

  private async incidentsOf(on: InstallFor): Promise<IncidentRecord[]> {
    if ('incidentId' in on) {
      const incident = await this.deps.store.getIncident(idSchema.parse(on.incidentId));
      return incident && !isClosed(incident) ? [incident] : [];
    }
    return this.deps.store.listIncidents({ groupId: idSchema.parse(on.groupId), openOnly: true });
  }
}
