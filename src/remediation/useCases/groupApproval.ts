import { message } from '../../i18n/message';
import type { Actor, ApproveGroupOptions, GroupProgress, GroupSecret, IncidentView } from '../contract';
import { PolicyError, refusal as refuse } from '../contract';
import { m365Code } from '../errors';
import { forEachLimited, summarizeGroup } from '../groups';
import { concurrencySchema, idSchema, validActor } from '../input';
import type { IncidentRecord } from '../storage';
import type { Approvals } from './approvals';
import type { UseCaseDeps } from './deps';

/** Refusals that apply to every incident of a group alike: surfaced once, not once per incident. */
const GROUP_WIDE_REFUSALS = ['NotResponder', 'SelfApproval', 'TargetCannotApprove'];

/** Mass incidents: the incidents one request opened together, their progress, one approval for all. */
export class GroupApproval {
  constructor(
    private readonly deps: UseCaseDeps,
    private readonly approvals: Approvals,
  ) {}

  async listGroupIncidents(groupId: string): Promise<IncidentView[]> {
    const incidents = await this.deps.store.listIncidents({ groupId: idSchema.parse(groupId) });
    return Promise.all(incidents.map((incident) => this.deps.ledger.view(incident.id)));
  }

  async getGroupProgress(groupId: string): Promise<GroupProgress> {
    return summarizeGroup(groupId, await this.listGroupIncidents(groupId));
  }

  async approveGroup(
    groupId: string,
    approver: Actor,
    options: ApproveGroupOptions = {},
  ): Promise<{ progress: GroupProgress; secrets: GroupSecret[] }> {
    const { store, logger } = this.deps;
    const actor = validActor(approver);
    const id = idSchema.parse(groupId);
    const concurrency = concurrencySchema.parse(options.concurrency ?? 100);
    const open = await store.listIncidents({ groupId: id, openOnly: true });
    if (open.length === 0 && (await this.listGroupIncidents(id)).length === 0) {
      throw refuse('UnknownIncident', message('refusal.noGroup', { id }));
    }
    const secrets: GroupSecret[] = [];
    let refusal: unknown;
    const approveOne = async (incident: IncidentRecord): Promise<void> => {
      try {
        const outcome = await this.approvals.approveAllRemaining(incident.id, actor);
        if (outcome.secret) {
          secrets.push({
            incidentId: incident.id,
            target: incident.target.userPrincipalName,
            secret: outcome.secret,
          });
        }
      } catch (error) {
        if (error instanceof PolicyError && GROUP_WIDE_REFUSALS.includes(error.code)) {
          refusal ??= error;
          return;
        }
        // One incident's refusal (closed meanwhile, last Global Administrator) must not stop the rest.
        logger.warn(
          { incidentId: incident.id, code: error instanceof PolicyError ? error.code : m365Code(error) },
          'group approval skipped an incident',
        );
      }
    };
    // The first incident alone: a refusal that applies to all (not a responder, four-eyes)
    // surfaces once instead of 500 times.
    const [first, ...rest] = open;
    if (first) await approveOne(first);
    if (refusal) throw refusal;
    await forEachLimited(rest, concurrency, approveOne);
    return { progress: await this.getGroupProgress(id), secrets };
  }
}
