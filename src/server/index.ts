export { createBotServer, listen } from './server';
export type { BotServerOptions, ReadinessProbe, RunningServer } from './server';
export { assertBotMayStart, isLoopbackHost, StartupRefusedError } from './startupGuard';
export { createCloudAdapter } from './adapter';
export { createSignalHandler } from './gracefulShutdown';
export { createBotStateStorage } from './botStateStorage';
export type { GracefulShutdownOptions } from './gracefulShutdown';
