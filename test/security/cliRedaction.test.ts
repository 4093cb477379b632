import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCliEnvironment } from '../../src/cli/environment';
import { loadConfig } from '../../src/config/config';
import { createSilentLogger, SecretRegistry } from '../../src/observability/logger';

/** `remediator --verbose` logs at debug level: its generated credentials must be redacted by value too. */
describe('the CLI registers generated credentials for redaction, as the bot does', () => {
  it.each([['password'], ['temporaryAccessPass']] as const)(
    'a %s created by the CLI is known to the log redactor before anyone can log it',
    async (credentialKind) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'remediator-cli-redaction-'));
      const secrets = new SecretRegistry();
      const environment = await createCliEnvironment({
        config: loadConfig({ LOG_LEVEL: 'silent' }),
        logger: createSilentLogger(),
        secrets,
        solo: true,
        dataDir,
      });
      try {
        const requester = await environment.resolveActor(undefined);
        const opened = await environment.engine.openIncidents({
          targets: ['MeganB@contoso.com'],
          requester,
          origin: { kind: 'cli' },
        });
        const [incident] = opened.incidents;
        if (!incident) throw new Error('no incident');
        const outcome = await environment.engine.approveStep(incident.id, 'reset-password', requester, {
          credentialKind,
        });
        const value = outcome.secret?.value;
        expect(value).toBeTruthy();
        expect(secrets.contains(`debug: wrote ${value ?? ''}`)).toBe(true);
        expect(secrets.redact(`debug: wrote ${value ?? ''}`)).not.toContain(value);
      } finally {
        await environment.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
