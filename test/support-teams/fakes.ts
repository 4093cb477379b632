import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { PolicyError, STEP_IDS } from '../../src/remediation/contract';
import { summarizeGroup } from '../../src/remediation/groups';
import type {
  Actor,
  ApproveStepOptions,
  EngineListener,
  GroupProgress,
  GroupSecret,
  IncidentView,
  OpenIncidentsRequest,
  OpenIncidentsResult,
  RemediationEngine,
  SecretDelivery,
  StepId,
  StepOutcome,
  StepView,
} from '../../src/remediation/contract';
import type { ConversationGateway, PrivateDelivery } from '../../src/teams/gateway';
import type { MemberResolver, ResolvedMember } from '../../src/teams/members';

export const ALEX: Actor = { id: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00', displayName: 'Alex Wilber' };
export const ADELE: Actor = { id: 'a54ff265-58d9-483a-8973-e07982bd7315', displayName: 'Adele Vance' };
export const MEGAN = {
  id: '14e1ed1f-b4f7-47ee-ae98-d39876f6f691',
  userPrincipalName: 'MeganB@contoso.com',
  displayName: 'Megan Bowen',
};

function stepView(id: StepId): StepView {
  return {
    id,
    title: id,
    summary: `Why ${id} matters.`,
    status: 'pending',
    findings:
      id === 'inbox-rules'
        ? [
            {
              id: 'rule-1',
              title: 'Hidden rule Inbox Sync',
              reasons: ['forwards outside contoso.com'],
              suspicion: 'high',
              selectedByDefault: true,
            },
            {
              id: 'rule-2',
              title: 'Rule Newsletters',
              reasons: ['moves newsletters'],
              suspicion: 'none',
              selectedByDefault: false,
            },
          ]
        : [
            {
              id: `${id}-f`,
              title: `Finding of ${id}`,
              reasons: ['a reason'],
              suspicion: 'high',
              selectedByDefault: true,
            },
          ],
    actions: [{ id: `${id}-a`, description: `Change for ${id}.` }],
    nothingToDo: false,
    verified: false,
    results: [],
    undoable: false,
  };
}

export function makeIncident(
  id: string,
  requester: Actor,
  status: IncidentView['status'] = 'awaiting-approval',
): IncidentView {
  return {
    id,
    groupId: `group-${id}`,
    target: { ...MEGAN, accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: false },
    requester,
    origin: { kind: 'teams', conversationId: 'group-chat-soc' },
    approvals: [],
    status,
    steps: STEP_IDS.map(stepView),
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
  };
}

export type EngineCall = { method: string; args: unknown[] };

/** Incidents by id that tell the engine's subscribers about every change, as the real engine does. */
class ObservedIncidents extends Map<string, IncidentView> {
  readonly listeners = new Set<EngineListener>();

  override set(id: string, incident: IncidentView): this {
    super.set(id, incident);
    for (const listener of this.listeners ?? []) {
      listener({ type: 'incident.changed', incident, stepIds: incident.steps.map((step) => step.id) });
    }
    return this;
  }
}

/** A RemediationEngine that records calls and applies a tiny four-eyes policy of its own. */
export class FakeRemediationEngine implements RemediationEngine {
  readonly calls: EngineCall[] = [];
  readonly incidents = new ObservedIncidents();
  responders = new Set([ALEX.id, ADELE.id]);
  fourEyes = true;
  secret: SecretDelivery = { kind: 'password', value: 'S3cret-Passw0rd!xyz' };
  /** Makes approveStep wait for this promise (a slow Graph call). */
  stepGate: Promise<void> | undefined;
  failStep: StepId | undefined;
  /** Called before each step that approveAllRemaining / approveGroup completes (a slow tenant). */
  stepPause: ((incidentId: string, stepId: StepId) => Promise<void>) | undefined;
  private next = 1;
  private nextGroup = 1;

  subscribe(listener: EngineListener): () => void {
    this.incidents.listeners.add(listener);
    return () => void this.incidents.listeners.delete(listener);
  }

  async resumeInterrupted(): Promise<IncidentView[]> {
    this.record('resumeInterrupted');
    return [];
  }

  /** Whether installing the app for an approver succeeds (it is recorded either way). */
  installSucceeds = false;

  async installAppForApprover(
    approver: Actor,
    on: { incidentId: string } | { groupId: string },
  ): Promise<boolean> {
    this.record('installAppForApprover', approver, on);
    return this.installSucceeds;
  }

  async reissueCredential(): Promise<undefined> {
    this.record('reissueCredential');
    return undefined;
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  callsOf(method: string): EngineCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  private require(id: string): IncidentView {
    const incident = this.incidents.get(id);
    if (!incident) throw new PolicyError('UnknownIncident', `No incident ${id}.`);
    return incident;
  }

  private assertCanApprove(incident: IncidentView, approver: Actor) {
    if (!this.responders.has(approver.id))
      throw new PolicyError('NotResponder', `${approver.displayName} is not a responder.`);
    if (this.fourEyes && approver.id === incident.requester.id) {
      throw new PolicyError(
        'SelfApproval',
        `Four-eyes: ${approver.displayName} opened this incident, so another responder must approve it.`,
      );
    }
  }

  private setStep(incident: IncidentView, stepId: StepId, change: Partial<StepView>): StepOutcome {
    const steps = incident.steps.map((step) => (step.id === stepId ? { ...step, ...change } : step));
    const done = steps.every((step) => step.status === 'done' || step.status === 'skipped');
    const updated: IncidentView = { ...incident, steps, status: done ? 'completed' : incident.status };
    this.incidents.set(incident.id, updated);
    const step = steps.find((candidate) => candidate.id === stepId);
    if (!step) throw new Error('no step');
    return { incident: updated, step };
  }

  async openIncidents(request: OpenIncidentsRequest): Promise<OpenIncidentsResult> {
    this.record('openIncidents', request);
    const groupId = `group-${this.nextGroup++}`;
    const incidents: IncidentView[] = [];
    const refused: OpenIncidentsResult['refused'] = [];
    for (const target of request.targets) {
      if (target.toLowerCase().startsWith('breakglass')) {
        refused.push({ target, code: 'ProtectedAccount', message: 'is a break-glass account.' });
        continue;
      }
      const base = makeIncident(
        `inc-${this.next++}`,
        request.requester,
        this.fourEyes ? 'awaiting-approval' : 'open',
      );
      const incident: IncidentView = {
        ...base,
        groupId,
        target: targetFor(target, base.target),
        origin: request.origin,
      };
      this.incidents.set(incident.id, incident);
      incidents.push(incident);
    }
    return { groupId, incidents, joinedIncidentIds: [], refused };
  }

  async approveIncident(incidentId: string, approver: Actor): Promise<IncidentView> {
    this.record('approveIncident', incidentId, approver);
    const incident = this.require(incidentId);
    this.assertCanApprove(incident, approver);
    const updated: IncidentView = {
      ...incident,
      status: 'open',
      approvals: [{ actor: approver, at: 'now' }],
    };
    this.incidents.set(incidentId, updated);
    return updated;
  }

  async approveStep(
    incidentId: string,
    stepId: StepId,
    approver: Actor,
    options?: ApproveStepOptions,
  ): Promise<StepOutcome> {
    this.record('approveStep', incidentId, stepId, approver, options);
    const incident = this.require(incidentId);
    this.assertCanApprove(incident, approver);
    if (this.stepGate) await this.stepGate;
    if (this.failStep === stepId) {
      return this.setStep(this.require(incidentId), stepId, {
        status: 'failed',
        approvedBy: approver,
        error: { code: 'Throttled', message: 'Graph kept answering 429.', remedy: 'Retry in a minute.' },
      });
    }
    const outcome = this.setStep(this.require(incidentId), stepId, {
      status: 'done',
      verified: true,
      approvedBy: approver,
    });
    return stepId === 'reset-password' ? { ...outcome, secret: this.secret } : outcome;
  }

  async skipStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    this.record('skipStep', incidentId, stepId, actor);
    return this.setStep(this.require(incidentId), stepId, { status: 'skipped', skippedBy: actor });
  }

  async retryStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    this.record('retryStep', incidentId, stepId, actor);
    this.assertCanApprove(this.require(incidentId), actor);
    return this.setStep(this.require(incidentId), stepId, {
      status: 'done',
      verified: true,
      approvedBy: actor,
    });
  }

  async approveAllRemaining(
    incidentId: string,
    approver: Actor,
  ): Promise<{ incident: IncidentView; secret?: SecretDelivery }> {
    this.record('approveAllRemaining', incidentId, approver);
    this.assertCanApprove(this.require(incidentId), approver);
    let secret: SecretDelivery | undefined;
    for (const step of this.require(incidentId).steps) {
      if (step.status !== 'pending') continue;
      if (this.stepPause) await this.stepPause(incidentId, step.id);
      if (this.failStep === step.id) {
        this.setStep(this.require(incidentId), step.id, {
          status: 'failed',
          approvedBy: approver,
          error: { code: 'Throttled', message: 'Graph kept answering 429.', remedy: 'Retry in a minute.' },
        });
        continue;
      }
      const outcome = this.setStep(this.require(incidentId), step.id, {
        status: 'done',
        verified: true,
        approvedBy: approver,
      });
      if (step.id === 'reset-password') secret = this.secret;
      void outcome;
    }
    return { incident: this.require(incidentId), ...(secret ? { secret } : {}) };
  }

  async undoStep(incidentId: string, stepId: StepId, actor: Actor): Promise<StepOutcome> {
    this.record('undoStep', incidentId, stepId, actor);
    return this.setStep(this.require(incidentId), stepId, { undoneBy: actor, undoable: false });
  }

  async cancelIncident(incidentId: string, actor: Actor): Promise<IncidentView> {
    this.record('cancelIncident', incidentId, actor);
    const updated: IncidentView = { ...this.require(incidentId), status: 'cancelled' };
    this.incidents.set(incidentId, updated);
    return updated;
  }

  async getIncident(incidentId: string): Promise<IncidentView | undefined> {
    return this.incidents.get(incidentId);
  }

  async listOpenIncidents(): Promise<IncidentView[]> {
    return [...this.incidents.values()].filter(
      (incident) => incident.status === 'open' || incident.status === 'awaiting-approval',
    );
  }

  async history(userIdOrUpn: string): Promise<IncidentView[]> {
    this.record('history', userIdOrUpn);
    return [...this.incidents.values()].filter(
      (incident) =>
        incident.target.id === userIdOrUpn ||
        incident.target.userPrincipalName.toLowerCase() === userIdOrUpn.toLowerCase(),
    );
  }

  async report(incidentId: string, _locale?: string): Promise<string> {
    this.record('report', incidentId);
    return `# Incident ${incidentId}`;
  }

  async exportAudit(): Promise<string> {
    return '';
  }

  async isResponder(actor: Actor): Promise<boolean> {
    return this.responders.has(actor.id);
  }

  async listGroupIncidents(groupId: string): Promise<IncidentView[]> {
    this.record('listGroupIncidents', groupId);
    return [...this.incidents.values()].filter((incident) => incident.groupId === groupId);
  }

  async getGroupProgress(groupId: string): Promise<GroupProgress> {
    this.record('getGroupProgress', groupId);
    return summarizeGroup(groupId, await this.listGroupIncidents(groupId));
  }

  /** Like the engine: the first incident alone (a four-eyes refusal surfaces once), then the rest. */
  async approveGroup(
    groupId: string,
    approver: Actor,
  ): Promise<{ progress: GroupProgress; secrets: GroupSecret[] }> {
    this.record('approveGroup', groupId, approver);
    const open = (await this.listGroupIncidents(groupId)).filter(
      (incident) => incident.status === 'open' || incident.status === 'awaiting-approval',
    );
    if (open.length === 0) throw new PolicyError('UnknownIncident', `No incident group ${groupId}.`);
    const secrets: GroupSecret[] = [];
    for (const incident of open) {
      this.assertCanApprove(incident, approver);
      this.incidents.set(incident.id, {
        ...incident,
        status: 'open',
        approvals: [{ actor: approver, at: 'now' }],
      });
      const { secret } = await this.approveAllRemaining(incident.id, approver);
      if (secret)
        secrets.push({ incidentId: incident.id, target: incident.target.userPrincipalName, secret });
    }
    return { progress: await this.getGroupProgress(groupId), secrets };
  }
}

/** Megan for any address of hers (most tests), otherwise a user made up from the address. */
function targetFor(target: string, megan: IncidentView['target']): IncidentView['target'] {
  if (target.toLowerCase().startsWith('megan')) return megan;
  const name = target.split('@')[0] ?? target;
  return { ...megan, id: `user-${name}`, userPrincipalName: target, displayName: `User ${name}` };
}

export interface GatewayCall {
  method: 'send' | 'update' | 'sendPrivately';
  conversationId: string | undefined;
  activityId?: string;
  userChannelId?: string;
  activity: Partial<Activity>;
}

/** Records every proactive message instead of calling Teams. */
export class RecordingGateway implements ConversationGateway {
  readonly calls: GatewayCall[] = [];
  /** Card updates fail (as when Teams throttles past every retry): the card keeps what it showed. */
  loseUpdates = false;
  private next = 1;

  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string> {
    this.calls.push({ method: 'send', conversationId: reference.conversation?.id, activity });
    return `activity-${this.next++}`;
  }

  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    if (this.loseUpdates) throw new Error('Teams did not take the update (429 after every retry).');
    this.calls.push({ method: 'update', conversationId: reference.conversation?.id, activityId, activity });
  }

  async sendPrivately(
    reference: Partial<ConversationReference>,
    userChannelId: string,
    activity: Partial<Activity>,
  ): Promise<PrivateDelivery> {
    const activityId = `activity-${this.next++}`;
    this.calls.push({
      method: 'sendPrivately',
      conversationId: reference.conversation?.id,
      activityId,
      userChannelId,
      activity,
    });
    return { conversationId: `personal-${userChannelId}`, activityId };
  }

  /** Everything sent into one conversation, as JSON text. */
  textIn(conversationId: string): string {
    return this.calls
      .filter((call) => call.method !== 'sendPrivately' && call.conversationId === conversationId)
      .map((call) => JSON.stringify(call.activity))
      .join('\n');
  }
}

/** Answers TeamsInfo.getMember from a fixed roster. */
export class FakeMemberResolver implements MemberResolver {
  readonly asked: string[] = [];
  constructor(private readonly roster: Record<string, ResolvedMember>) {}

  async resolve(_context: TurnContext, channelUserId: string): Promise<ResolvedMember | undefined> {
    this.asked.push(channelUserId);
    // Own keys only: a fuzzed mention id such as "constructor" must not find Object.prototype members.
    return Object.hasOwn(this.roster, channelUserId) ? this.roster[channelUserId] : undefined;
  }
}
