import type { RequestLogEntry } from '../src/simulator';
import type { ThrottlingOptions } from '../src/simulator/throttling';

/** The client's own limit on the sign-in log (src/m365/limits.ts): 5 requests per 10 s. */
const SIGN_IN_LOG = { maxRequests: 5, windowInMs: 10_000 };

export interface ThrottleBound {
  /** The least time the limits allow for the requests this run sent (ms). */
  boundMs: number;
  /** Which limit sets the bound. */
  bindingLimit: string;
  parts: Record<string, { requests: number; minMs: number }>;
}

type Kind = 'budget' | 'identityProtection' | 'outlook' | 'none';

/** How the simulated tenant throttles a logged request (mirrors src/simulator route throttle kinds). */
function kindOf(entry: RequestLogEntry): Kind {
  if (entry.service === 'sim') return 'none';
  if (entry.service === 'exchange') return 'budget';
  const path = entry.path.split('?')[0] ?? '';
  if (path.endsWith('/$batch')) return 'none';
  if (path.includes('/identityProtection/')) return 'identityProtection';
  if (/\/(messageRules|mailFolders)/.test(path)) return 'outlook';
  return 'budget';
}

/** N starts with at most `max` per sliding window need floor((N-1)/max) full windows. */
function windowed(requests: number, max: number, windowInMs: number): number {
  return requests <= 0 ? 0 : Math.floor((requests - 1) / max) * windowInMs;
}

/**
 * The minimum wall time the tenant's limits allow for the requests that were answered (429s
 * excluded: they are the cost of hitting a limit, not work). Each limit is a lower bound on its
 * own; the largest one binds.
 */
export function throttleBound(log: readonly RequestLogEntry[], options: ThrottlingOptions): ThrottleBound {
  const answered = log.filter((entry) => entry.status !== 429);
  const count = (kind: Kind) => answered.filter((entry) => kindOf(entry) === kind).length;
  const budget = count('budget');
  const identityProtection = count('identityProtection');
  const signIns = answered.filter((entry) => entry.path.startsWith('/v1.0/auditLogs/signIns')).length;
  const perMailbox = new Map<string, number>();
  for (const entry of answered.filter((candidate) => kindOf(candidate) === 'outlook')) {
    const mailbox = /\/users\/([^/]+)/.exec(entry.path)?.[1]?.toLowerCase() ?? '';
    perMailbox.set(mailbox, (perMailbox.get(mailbox) ?? 0) + 1);
  }
  const busiestMailbox = Math.max(0, ...perMailbox.values());
  const parts: ThrottleBound['parts'] = {
    requestBudget: {
      requests: budget,
      minMs: windowed(budget, options.budgetRequests, options.budgetWindowMs),
    },
    identityProtection: {
      requests: identityProtection,
      minMs: Math.max(0, identityProtection - 1) * options.identityProtectionIntervalMs,
    },
    signInLog: {
      requests: signIns,
      minMs: windowed(signIns, SIGN_IN_LOG.maxRequests, SIGN_IN_LOG.windowInMs),
    },
    mailboxConcurrency: {
      requests: busiestMailbox,
      minMs: Math.ceil(busiestMailbox / options.mailboxConcurrency) * options.mailboxHoldMs,
    },
  };
  const [bindingLimit, binding] = Object.entries(parts).reduce((best, entry) =>
    entry[1].minMs > best[1].minMs ? entry : best,
  );
  return { boundMs: binding.minMs, bindingLimit, parts };
}
