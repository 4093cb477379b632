import { loadConfig } from '../src/config/config';
import { RoundTripRecorder } from '../src/m365';
import type { M365ServiceLayer } from '../src/m365';
import { createSilentLogger } from '../src/observability/logger';
import type { Actor, RemediationEngine } from '../src/remediation';
import { createRuntime } from '../src/runtime';
import { startSimulatedTenant } from '../src/simulator';
import type { FixtureInput, SimulatedTenant, SimulatedTenantOptions } from '../src/simulator';
import { createSqliteStore } from '../src/store';
import type { Store } from '../src/store/types';

export const SOC_RESPONDERS_GROUP_ID = '3fec47b4-98e3-417a-bfd9-6dc67f18a61e';
export const ALEX: Actor = {
  id: '6fcfd83a-5c4d-4305-9d50-1bed08b31e00',
  displayName: 'Alex Wilber',
  userPrincipalName: 'AlexW@contoso.com',
};
export const ADELE: Actor = {
  id: 'a54ff265-58d9-483a-8973-e07982bd7315',
  displayName: 'Adele Vance',
  userPrincipalName: 'AdeleV@contoso.com',
};

export interface RigOptions {
  fixture?: FixtureInput;
  latencyMs?: number;
  throttling?: SimulatedTenantOptions['throttling'];
  /** false: one HTTP request per call (the sequential baseline with concurrency 1). */
  batching?: boolean;
  concurrency?: number;
  maxRetries?: number;
  /** Client-side pacing to the tenant's request budget. */
  requestRate?: { maxRequests: number; windowInMs: number };
}

/** A simulated tenant over real HTTP, the real service layer and engine, an in-memory store. */
export interface Rig {
  tenant: SimulatedTenant;
  services: M365ServiceLayer;
  roundTrips: RoundTripRecorder;
  engine: RemediationEngine;
  store: Store;
  close(): Promise<void>;
}

/** The benchmarks run on the same runtime composition as the bot and the CLI (src/runtime). */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const tenant = await startSimulatedTenant({
    port: 0,
    ...(options.fixture ? { fixture: options.fixture } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.throttling !== undefined ? { throttling: options.throttling } : {}),
  });
  const roundTrips = new RoundTripRecorder();
  const runtime = await createRuntime({
    config: loadConfig({
      TENANT_MODE: 'simulated',
      RESPONDERS_GROUP_ID: SOC_RESPONDERS_GROUP_ID,
      BREAK_GLASS_ACCOUNTS: 'breakglass01@contoso.com',
      FOUR_EYES: 'true',
    }),
    logger: createSilentLogger(),
    tenant,
    store: createSqliteStore({ inMemory: true }),
    services: {
      retry: { maxRetries: options.maxRetries ?? 8 },
      roundTrips,
      ...(options.batching !== undefined ? { batching: options.batching } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.requestRate !== undefined ? { requestRate: options.requestRate } : {}),
    },
  });
  return {
    tenant,
    services: runtime.serviceLayer,
    roundTrips,
    engine: runtime.engine,
    store: runtime.store,
    close: async () => {
      await runtime.close();
      await tenant.close();
    },
  };
}
