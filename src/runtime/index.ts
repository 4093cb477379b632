export { createRuntime } from './createRuntime';
export type { Runtime, RuntimeOptions, ServiceTuning } from './createRuntime';
export { DEMO_RESPONDERS_GROUP_ID, readSimulatedDirectory } from './simulatedDirectory';
export type { SimulatedDirectory } from './simulatedDirectory';
