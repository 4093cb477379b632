import type { AppConfig } from '../config/config';
import type { SecretRegistry } from '../observability/secretRegistry';

/** Configuration secrets (SECRET_* values) are scrubbed by value too: they never belong in a log line. */
export function registerConfigSecrets(config: AppConfig, secrets: SecretRegistry): void {
  secrets.register(config.tenant.clientSecret);
  secrets.register(config.bot.appPassword);
  secrets.register(config.store.azure.connectionString);
  secrets.register(config.alerts?.webhookSecret);
}
