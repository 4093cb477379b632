import type { GroupProgress, IncidentView } from '../src/remediation';
import { defaultThrottlingOptions } from '../src/simulator/throttling';
import { buildMassFixture } from './massFixture';
import { ADELE, ALEX, startRig } from './rig';
import { throttleBound } from './throttleBound';

export type BenchFigures = Record<string, number | string | boolean>;
export interface BenchEntry extends BenchFigures {
  name: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

function allDone(incident: IncidentView): boolean {
  return incident.steps.every((step) => step.status === 'done' && step.verified);
}

/** The latest finish among the steps other than confirm-compromised (Identity Protection's 1 s gate). */
function finishedWithoutIdentityProtection(incident: IncidentView): number {
  return Math.max(
    ...incident.steps
      .filter((step) => step.id !== 'confirm-compromised' && step.finishedAt !== undefined)
      .map((step) => Date.parse(step.finishedAt ?? '')),
  );
}

/** Megan, every step, from the approval to verified completion, with 100 ms per request. */
export async function oneUserAllSteps(options: {
  batching: boolean;
  latencyMs: number;
}): Promise<BenchFigures> {
  const rig = await startRig({
    latencyMs: options.latencyMs,
    batching: options.batching,
    ...(options.batching ? {} : { concurrency: 1 }),
  });
  try {
    const discoveryStart = performance.now();
    const opened = await rig.engine.openIncidents({
      targets: ['MeganB@contoso.com'],
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const discoveryMs = performance.now() - discoveryStart;
    const discoveryGraphRoundTrips = rig.roundTrips.criticalPath('graph');
    const incident = opened.incidents[0];
    if (!incident) throw new Error(`Megan was not opened: ${JSON.stringify(opened.refused)}`);
    // A responder reads the cards before approving; this also lets Identity Protection's
    // 1 request/s spacing from discovery's risk read pass, as it would in real use.
    await sleep(1100);
    rig.roundTrips.reset();
    rig.services.resetStats();
    const startedAtEpoch = Date.now();
    const started = performance.now();
    const { incident: finished } = await rig.engine.approveAllRemaining(incident.id, ADELE);
    const wallMs = performance.now() - started;
    return {
      wallMs: round(wallMs),
      wallMsWithoutIdentityProtection: round(finishedWithoutIdentityProtection(finished) - startedAtEpoch),
      criticalPathRoundTrips: rig.roundTrips.criticalPath(),
      graphRoundTrips: rig.roundTrips.criticalPath('graph'),
      exchangeRoundTrips: rig.roundTrips.criticalPath('exchange'),
      httpRequests: rig.services.stats.httpRequests,
      discoveryMs: round(discoveryMs),
      discoveryGraphRoundTrips,
      allStepsVerified: allDone(finished),
    };
  } finally {
    await rig.close();
  }
}

function progressLine(progress: GroupProgress, elapsedMs: number): string {
  const total = (status: 'done' | 'failed' | 'running' | 'pending') =>
    progress.steps.reduce((sum, step) => sum + step.counts[status], 0);
  return `  ${(elapsedMs / 1000).toFixed(1)}s: incidents completed ${progress.incidentsByStatus.completed}/${progress.incidents}; steps done ${total('done')}, running ${total('running')}, pending ${total('pending')}, failed ${total('failed')}`;
}

/** N users compromised like Megan, one grouped incident, one approval, default throttling. */
export async function massUsers(users: number, log: (line: string) => void): Promise<BenchFigures> {
  const { fixture, upns } = buildMassFixture(users);
  const throttling = defaultThrottlingOptions;
  const rig = await startRig({
    fixture,
    maxRetries: 8,
    // Pace to the tenant's budget with a margin for clock skew between client and service.
    requestRate: {
      maxRequests: Math.floor(throttling.budgetRequests * 0.95),
      windowInMs: throttling.budgetWindowMs,
    },
  });
  try {
    const started = performance.now();
    const opened = await rig.engine.openIncidents({
      targets: upns,
      requester: ALEX,
      origin: { kind: 'cli' },
    });
    const discoveryMs = performance.now() - started;
    log(`  discovery of ${opened.incidents.length} users: ${(discoveryMs / 1000).toFixed(1)}s`);
    const ticker = setInterval(() => {
      void rig.engine
        .getGroupProgress(opened.groupId)
        .then((progress) => log(progressLine(progress, performance.now() - started)));
    }, 5000);
    let progress: GroupProgress;
    try {
      ({ progress } = await rig.engine.approveGroup(opened.groupId, ADELE));
    } finally {
      clearInterval(ticker);
    }
    const totalMs = performance.now() - started;
    const requestLog = rig.tenant.requestLog();
    const bound = throttleBound(requestLog, throttling);
    const failedSteps = progress.steps.reduce((sum, step) => sum + step.counts.failed, 0);
    for (const failure of progress.failures.slice(0, 5)) {
      log(`  failed: ${failure.target} ${failure.stepId} ${failure.code}: ${failure.message}`);
    }
    return {
      users: opened.incidents.length,
      refused: opened.refused.length,
      totalMs: round(totalMs),
      discoveryMs: round(discoveryMs),
      throttleBoundMs: bound.boundMs,
      bindingLimit: bound.bindingLimit,
      budgetRequests: bound.parts.requestBudget?.requests ?? 0,
      identityProtectionRequests: bound.parts.identityProtection?.requests ?? 0,
      signInLogRequests: bound.parts.signInLog?.requests ?? 0,
      throttledResponses: requestLog.filter((entry) => entry.status === 429).length,
      httpRequests: rig.services.stats.httpRequests,
      batches: rig.services.stats.batches,
      retries: rig.services.stats.retries,
      failedSteps,
      incidentsCompleted: progress.incidentsByStatus.completed,
      ratio: bound.boundMs > 0 ? round(totalMs / bound.boundMs, 2) : 0,
    };
  } finally {
    await rig.close();
  }
}
