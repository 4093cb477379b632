import type { PolicyConfig } from '../config/config';
import type { DirectoryUser, UsersClient } from '../m365/types';
import { message } from '../i18n/message';
import { refusal } from './contract';
import { m365Code } from './errors';
import type { Actor } from './contract';

export interface PolicyOptions {
  /** Object ids of the bot's own identities (app, service principal, bot user): never a target. */
  ownIdentityIds?: string[];
  clock?: () => Date;
  /** How long a responders-group answer is trusted; short so a removal bites quickly. */
  responderCacheTtlMs?: number;
}

/** Who is involved in an incident, as the policy sees it. */
export interface IncidentParties {
  requester: Actor;
  target: { id: string; userPrincipalName: string };
}

/**
 * Who may do what: responders only (a configured group), four-eyes by default, protected
 * accounts never touched. Every refusal is a PolicyError with a message safe to show.
 */
export class Policy {
  private readonly cache = new Map<string, { isResponder: boolean; until: number }>();
  /** Checks already on their way: concurrent approvals (a whole group at once) share one. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly ownIdentityIds: Set<string>;
  private readonly clock: () => Date;
  private readonly ttlMs: number;

  constructor(
    private readonly users: UsersClient,
    private readonly config: PolicyConfig,
    options: PolicyOptions = {},
  ) {
    this.ownIdentityIds = new Set((options.ownIdentityIds ?? []).map((id) => id.toLowerCase()));
    this.clock = options.clock ?? (() => new Date());
    this.ttlMs = options.responderCacheTtlMs ?? 60_000;
  }

  get fourEyes(): boolean {
    return this.config.fourEyes;
  }

  async isResponder(actor: Actor): Promise<boolean> {
    const groupId = this.config.respondersGroupId;
    if (!groupId) return false;
    const now = this.clock().getTime();
    const cached = this.cache.get(actor.id);
    if (cached && cached.until > now) return cached.isResponder;
    const running = this.inFlight.get(actor.id);
    if (running) return running;
    const check = this.users
      .checkMemberGroups(actor.id, [groupId])
      // A sender whose object id is not a user of this tenant is simply not a responder.
      .catch((error: unknown) => {
        if (m365Code(error) === 'NotFound') return [];
        throw error;
      })
      .then((member) => {
        const isResponder = member.some((id) => id.toLowerCase() === groupId.toLowerCase());
        this.cache.set(actor.id, { isResponder, until: now + this.ttlMs });
        return isResponder;
      })
      .finally(() => this.inFlight.delete(actor.id));
    this.inFlight.set(actor.id, check);
    return check;
  }

  async assertResponder(actor: Actor): Promise<void> {
    if (!this.config.respondersGroupId) {
      throw refusal('NotResponder', message('refusal.noRespondersGroup'));
    }
    if (!(await this.isResponder(actor))) {
      throw refusal('NotResponder', message('refusal.notResponder', { name: actor.displayName }));
    }
  }

  /** Break-glass accounts and the bot's own identity are never remediated. */
  assertTargetAllowed(target: DirectoryUser): void {
    const protectedAccounts = this.config.breakGlassAccounts.map((account) => account.toLowerCase());
    if (
      protectedAccounts.includes(target.id.toLowerCase()) ||
      protectedAccounts.includes(target.userPrincipalName.toLowerCase())
    ) {
      throw refusal('ProtectedAccount', message('refusal.breakGlass', { account: target.userPrincipalName }));
    }
    if (this.ownIdentityIds.has(target.id.toLowerCase())) {
      throw refusal('ProtectedAccount', message('refusal.ownIdentity'));
    }
  }

  /** The actor may approve (or undo, or retry) writes on this incident. */
  async assertCanApprove(parties: IncidentParties, approver: Actor): Promise<void> {
    if (approver.id.toLowerCase() === parties.target.id.toLowerCase()) {
      throw refusal('TargetCannotApprove', message('refusal.targetCannotApprove'));
    }
    await this.assertResponder(approver);
    if (this.config.fourEyes && approver.id.toLowerCase() === parties.requester.id.toLowerCase()) {
      throw refusal('SelfApproval', message('refusal.selfApproval', { name: approver.displayName }));
    }
  }

  /**
   * A second responder approves an undo another one asked for. Undo puts back what the attacker
   * used (forwarding, rules, roles, sign-in), so it gets the same four-eyes as remediation: the
   * responder who asked and the target can never approve it.
   */
  async assertCanApproveUndo(parties: IncidentParties, requestedBy: Actor, approver: Actor): Promise<void> {
    if (approver.id.toLowerCase() === parties.target.id.toLowerCase()) {
      throw refusal('TargetCannotApprove', message('refusal.targetCannotApprove'));
    }
    await this.assertResponder(approver);
    if (this.config.fourEyes && approver.id.toLowerCase() === requestedBy.id.toLowerCase()) {
      throw refusal('SelfApproval', message('refusal.selfApprovalUndo', { name: approver.displayName }));
    }
  }

  /** Skip, cancel, read: any responder except the target. */
  async assertCanAct(parties: IncidentParties, actor: Actor): Promise<void> {
    if (actor.id.toLowerCase() === parties.target.id.toLowerCase()) {
      throw refusal('TargetCannotApprove', message('refusal.targetCannotAct'));
    }
    await this.assertResponder(actor);
  }
}
