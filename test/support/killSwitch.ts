import type { ConversationGateway } from '../../src/teams/gateway';
import type { Store } from '../../src/store/types';

/** Store calls that change something durable (everything else only reads). */
const STORE_WRITES = new Set<string>([
  'createIncident',
  'updateIncident',
  'updateStep',
  'transitionStep',
  'checkpointAction',
  'appendAudit',
  'setItem',
  'createItem',
  'deleteItem',
]);

const GATEWAY_WRITES = new Set<string>(['send', 'update', 'sendPrivately', 'openPrivately']);

/** One durable write as the kill switch saw it: its kind (what the sweep covers) and a detail. */
export interface DurableWrite {
  kind: string;
  detail: string;
}

/** A key's kind is its prefix without the ids: `teams/incident-cards/<id>` → `teams/incident-cards`. */
function keyKind(key: string): string {
  const parts = key.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : key.replace(/[:/][^:/]*$/, '');
}

function storeWrite(method: string, args: unknown[]): DurableWrite {
  if (method === 'setItem' || method === 'createItem' || method === 'deleteItem') {
    const key = String(args[0]);
    return { kind: `store.${method} ${keyKind(key)}`, detail: key };
  }
  if (method === 'transitionStep') {
    return { kind: `store.${method}`, detail: `${String(args[1])} → ${String(args[3])}` };
  }
  if (method === 'appendAudit' || method === 'checkpointAction') {
    const event = (method === 'appendAudit' ? args[0] : args[1]) as { event?: string } | undefined;
    return { kind: `store.${method}`, detail: event?.event ?? '' };
  }
  return { kind: `store.${method}`, detail: '' };
}

/**
 * A bot process that dies right before its n-th durable write (a store write or a write to
 * Teams): that write and everything after it never happen, and every later call of the dead
 * instance waits forever, as with a killed process. Without `killAt` it only records the writes
 * (the reference run that numbers the kill points).
 */
export class KillSwitch {
  readonly writes: DurableWrite[] = [];
  private dead = false;
  private die: () => void = () => undefined;
  /** Resolves when the instance dies. */
  readonly death = new Promise<void>((resolve) => (this.die = resolve));
  private readonly never = new Promise<never>(() => undefined);

  constructor(private readonly killAt?: number) {}

  get killed(): boolean {
    return this.dead;
  }

  /** The write the instance died before, once it died. */
  get fatalWrite(): DurableWrite | undefined {
    return this.dead && this.killAt ? this.writes[this.killAt - 1] : undefined;
  }

  /** The write just before the fatal one (what had happened last). */
  get lastWrite(): DurableWrite | undefined {
    return this.dead && this.killAt ? this.writes[this.killAt - 2] : undefined;
  }

  /** True when the call must not happen (the instance is dead, or dies here). */
  private stops(write: DurableWrite | undefined): boolean {
    if (this.dead) return true;
    if (!write) return false;
    this.writes.push(write);
    if (this.writes.length === this.killAt) {
      this.dead = true;
      this.die();
      return true;
    }
    return false;
  }

  store(store: Store): Store {
    return this.wrap(store, (method, args) =>
      STORE_WRITES.has(method) ? storeWrite(method, args) : undefined,
    );
  }

  gateway(gateway: ConversationGateway): ConversationGateway {
    return this.wrap(gateway, (method) =>
      GATEWAY_WRITES.has(method) ? { kind: `teams.${method}`, detail: '' } : undefined,
    );
  }

  private wrap<T extends object>(
    target: T,
    classify: (method: string, args: unknown[]) => DurableWrite | undefined,
  ): T {
    return new Proxy(target, {
      get: (inner, property, receiver) => {
        const value = Reflect.get(inner, property, receiver) as unknown;
        if (typeof value !== 'function' || property === 'close' || typeof property !== 'string') return value;
        const method = property;
        return (...args: unknown[]) => {
          if (this.stops(classify(method, args))) return this.never;
          const result = (value as (...a: unknown[]) => unknown).apply(inner, args);
          if (!(result instanceof Promise)) return result;
          // A call that was in flight when the instance died never returns to it.
          return result.then(
            (settled: unknown) => (this.dead ? this.never : settled),
            (error: unknown) => (this.dead ? this.never : Promise.reject(error)),
          );
        };
      },
    });
  }
}
