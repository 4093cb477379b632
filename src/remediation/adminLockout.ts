import type { RoleAssignment } from '../m365/types';
import type { Actor } from './contract';
import { PolicyError } from './contract';
import type { IncidentLedger } from './ledger';
import type { ActionRecord, IncidentRecord, RemediationStore } from './storage';
import {
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  assertNotLastUsableGlobalAdministrator,
  holdsGlobalAdministrator,
  roleGroupsOf,
} from './steps/globalAdmins';
import type { StepContext, StepModule } from './steps/types';

interface Shared<T> {
  at: number;
  list: Promise<T>;
}

/** Reads shared for this long only decide whether the exact (fresh) check is needed. */
const QUICK_LOOK_MS = 5_000;
/** Mass incidents touch hundreds of targets: the memo never outgrows one wave. */
const MAX_REMEMBERED_TARGETS = 2_000;

/**
 * Never lock the tenant out: applies what step modules declare (`locksOutTarget`,
 * `needsAdminLock`) without knowing any step. Steps that stop the last Global Administrator who
 * can sign in are refused at approval and checked again right before each write; those writes
 * and Global Administrator removals run one at a time across the engine, so two incidents cannot
 * each see the other as "the other administrator" and lock both out (one process; see
 * docs/SECURITY.md).
 */
export class AdminLockout {
  private tail: Promise<void> = Promise.resolve();
  private globalAdmins?: Shared<RoleAssignment[]>;
  private readonly roleGroups = new Map<string, Shared<string[]>>();

  constructor(
    private readonly store: RemediationStore,
    private readonly ledger: IncidentLedger,
    private readonly clock: () => Date,
  ) {}

  /** At approval: refused (and audited) when the step would lock out the last usable Global Administrator. */
  async refuseAtApproval(incident: IncidentRecord, module: StepModule, actor: Actor): Promise<void> {
    if (!module.locksOutTarget) return;
    const ctx = this.ledger.context(incident.target);
    if (!(await this.mayHoldGlobalAdmin(ctx))) return;
    try {
      await assertNotLastUsableGlobalAdministrator(ctx, module.title, await this.contained(incident.id));
    } catch (error) {
      if (error instanceof PolicyError)
        await this.ledger.refused(incident.id, actor, 'step.approve', error, module.id);
      throw error;
    }
  }

  /** The module with its writes guarded: a lockout step re-checks under the lock right before writing. */
  guarded(incidentId: string, module: StepModule): StepModule {
    if (!module.locksOutTarget) return module;
    return {
      ...module,
      execute: async (ctx, action) => {
        if (!(await this.mayHoldGlobalAdmin(ctx))) return module.execute(ctx, action);
        return this.serialize(async () => {
          await assertNotLastUsableGlobalAdministrator(ctx, module.title, await this.contained(incidentId));
          return module.execute(ctx, action);
        });
      },
    };
  }

  /** Runs `work` under the administrator lock when the module says the action needs it. */
  run<T>(module: StepModule, action: ActionRecord, work: () => Promise<T>): Promise<T> {
    return module.needsAdminLock?.(action) ? this.serialize(work) : work();
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Targets whose sign-in another open incident is blocking or has blocked (and not undone). */
  private async contained(exceptIncidentId: string): Promise<ReadonlySet<string>> {
    const contained = new Set<string>();
    for (const other of await this.store.listIncidents({ openOnly: true })) {
      if (other.id === exceptIncidentId) continue;
      const block = await this.store.getStep(other.id, 'block-sign-in');
      if (block && ['approved', 'running', 'done'].includes(block.status) && block.undoStatus !== 'done') {
        contained.add(other.target.id.toLowerCase());
      }
    }
    return contained;
  }

  /**
   * A quick "is the target a Global Administrator at all?", from reads shared for a few seconds
   * (one round trip for approval and execution together). Only a yes leads to the exact check,
   * which reads afresh under the lock.
   */
  private async mayHoldGlobalAdmin(ctx: StepContext): Promise<boolean> {
    const now = this.clock().getTime();
    const fresh = (entry: Shared<unknown> | undefined) =>
      entry !== undefined && now - entry.at <= QUICK_LOOK_MS;
    if (!fresh(this.globalAdmins)) {
      const list = ctx.services.roles.listAssignmentsForRole(GLOBAL_ADMINISTRATOR_ROLE_ID);
      this.globalAdmins = { at: now, list };
      // A failed read is not remembered.
      void list.catch(() => (this.globalAdmins = undefined));
    }
    const key = ctx.target.id.toLowerCase();
    if (!fresh(this.roleGroups.get(key))) {
      const list = roleGroupsOf(ctx);
      if (this.roleGroups.size >= MAX_REMEMBERED_TARGETS) this.roleGroups.clear();
      this.roleGroups.set(key, { at: now, list });
      void list.catch(() => this.roleGroups.delete(key));
    }
    const [assignments, groups] = await Promise.all([
      this.globalAdmins?.list,
      this.roleGroups.get(key)?.list,
    ]);
    return holdsGlobalAdministrator(ctx.target.id, assignments ?? [], groups ?? []);
  }
}
