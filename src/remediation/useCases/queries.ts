import { localeOf } from '../../i18n/findings';
import type { Actor, IncidentView } from '../contract';
import { idSchema, validActor } from '../input';
import { renderIncidentReport, toJsonLines } from '../reporting';
import { toIncidentView } from '../views';
import type { UseCaseDeps } from './deps';

/** Reading: one incident, the open ones, a user's history, the report, the audit log, "is a responder?". */
export class Queries {
  constructor(private readonly deps: UseCaseDeps) {}

  async getIncident(incidentId: string): Promise<IncidentView | undefined> {
    const { store } = this.deps;
    const incident = await store.getIncident(idSchema.parse(incidentId));
    return incident ? toIncidentView(incident, await store.listSteps(incident.id)) : undefined;
  }

  async listOpenIncidents(): Promise<IncidentView[]> {
    const incidents = await this.deps.store.listIncidents({ openOnly: true });
    return Promise.all(incidents.map((incident) => this.deps.ledger.view(incident.id)));
  }

  async history(userIdOrUpn: string): Promise<IncidentView[]> {
    const key = idSchema.parse(userIdOrUpn).toLowerCase();
    const incidents = (await this.deps.store.listIncidents()).filter(
      (incident) =>
        incident.target.id.toLowerCase() === key || incident.target.userPrincipalName.toLowerCase() === key,
    );
    return Promise.all(incidents.map((incident) => this.deps.ledger.view(incident.id)));
  }

  async report(incidentId: string, locale?: string): Promise<string> {
    const incident = await this.deps.ledger.view(idSchema.parse(incidentId));
    return renderIncidentReport(incident, await this.deps.store.listAudit(incident.id), localeOf(locale));
  }

  async exportAudit(incidentId?: string): Promise<string> {
    return toJsonLines(
      await this.deps.store.listAudit(incidentId === undefined ? undefined : idSchema.parse(incidentId)),
    );
  }

  async isResponder(actor: Actor): Promise<boolean> {
    return this.deps.policy.isResponder(validActor(actor));
  }
}
