import { z } from 'zod';

/**
 * What the composition needs to know about a simulated tenant it talks to over HTTP: its identity,
 * Remediator's own app, and who is in which group (to pick the default responder in the CLI).
 * Read from the simulator's GET /_sim/state, an endpoint of the simulator only.
 */
const simulatedDirectorySchema = z.object({
  tenant: z.object({ id: z.string().min(1), domain: z.string().min(1) }),
  app: z.object({ appId: z.string(), teamsAppCatalogId: z.string().optional() }).optional(),
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), members: z.array(z.string()) })),
  users: z.array(z.object({ id: z.string(), userPrincipalName: z.string() })),
});
export type SimulatedDirectory = z.infer<typeof simulatedDirectorySchema>;

/** The directory of a simulated tenant in this process, from its state (no HTTP round trip). */
export function simulatedDirectoryOf(state: unknown): SimulatedDirectory {
  return simulatedDirectorySchema.parse(state);
}

/** The directory of a simulated tenant another process runs. */
export async function readSimulatedDirectory(url: string): Promise<SimulatedDirectory> {
  const response = await fetch(new URL('/_sim/state', url));
  if (!response.ok)
    throw new Error(`The simulated tenant at ${url} answered ${response.status} to /_sim/state.`);
  return simulatedDirectoryOf(await response.json());
}

/** The responders group of the demo tenant: "SOC Responders", found by name, else its fixed id. */
export const DEMO_RESPONDERS_GROUP_ID = '3fec47b4-98e3-417a-bfd9-6dc67f18a61e';
/** Remediator's own app in the demo tenant, when the simulator does not say. */
export const DEMO_APP_ID = '3eadf42a-a745-4fba-b922-8a87b7cdfa94';

export function demoRespondersGroupId(directory: SimulatedDirectory): string {
  return (
    directory.groups.find((group) => group.displayName === 'SOC Responders')?.id ?? DEMO_RESPONDERS_GROUP_ID
  );
}
