import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../scripts/packaging/env-file';
import { fillJsonPlaceholders } from '../../scripts/packaging/placeholders';
import {
  availableManifestVersions,
  pointerToJsonPath,
  schemaPath,
  validateAgainstTeamsSchema,
} from '../../scripts/packaging/teams-schema';
import { ENV_DIR, MANIFEST_DIR } from './helpers';

type Json = Record<string, unknown>;

function filledManifest(): Json {
  const values = parseEnvFile(readFileSync(path.join(ENV_DIR, '.env.local'), 'utf8'));
  const template = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
  return JSON.parse(fillJsonPlaceholders(template, values, { source: 'env', template: 'manifest' })) as Json;
}

function officialSchema(kind: 'manifest' | 'localization', version: string): Json {
  return JSON.parse(readFileSync(schemaPath(kind, version), 'utf8')) as Json;
}

/** Microsoft's own validator from @microsoft/app-manifest (Ajv draft-04), used as the oracle. */
async function microsoftValidator(manifest: Json, version: string): Promise<string[]> {
  const schema = officialSchema('manifest', version) as Parameters<
    typeof AppManifestUtils.validateAgainstSchema
  >[1];
  return AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    schema,
  );
}

/** Paths where a schema relies on draft-04 meanings: boolean exclusiveMinimum/Maximum, `id` as identifier. */
function draft04OnlySemantics(schema: unknown): string[] {
  const offending: string[] = [];
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        offending.push(`${where}.${key}`);
      }
      if (key === 'id' && typeof value === 'string') offending.push(`${where}.id`);
      if (
        ['properties', 'patternProperties', 'definitions'].includes(key) &&
        value &&
        typeof value === 'object'
      ) {
        // Keys of these maps are names, not keywords: only their values are schemas.
        for (const [name, child] of Object.entries(value)) visit(child, `${where}.${key}.${name}`);
      } else if (!['enum', 'const', 'default', 'examples'].includes(key)) {
        visit(value, `${where}.${key}`);
      }
    }
  };
  visit(schema, '$');
  return offending;
}

type Mutation = (manifest: Json & { bots: Json[] }) => void;

describe('pointerToJsonPath', () => {
  it.each([
    ['', '$'],
    ['/bots/0/botId', '$.bots[0].botId'],
    ['/bots/0/commandLists/2/commands/11/title', '$.bots[0].commandLists[2].commands[11].title'],
    ['/name.short', "$['name.short']"],
    ['/a~1b/c~0d', "$['a/b']['c~d']"],
    ['/$schema', '$.$schema'],
  ])('turns %j into %s', (pointer, expected) => {
    expect(pointerToJsonPath(pointer)).toBe(expected);
  });
});

describe('the manifest template', () => {
  const manifest = filledManifest();
  const version = String(manifest.manifestVersion);

  it('targets the newest manifest schema shipped in @microsoft/app-manifest', () => {
    expect(version).toBe(availableManifestVersions().at(-1));
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
  });

  it('is valid for our validator and for Microsoft’s own validator', async () => {
    expect(validateAgainstTeamsSchema(manifest, 'manifest', version)).toEqual([]);
    expect(await microsoftValidator(manifest, version)).toEqual([]);
  });

  it('offers the bot in personal, team and group chat scopes with the four commands in each', () => {
    const bot = (manifest.bots as Json[])[0] as {
      scopes: string[];
      commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
    };
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of bot.commandLists) {
      expect(list.commands.map((command) => command.title)).toEqual([
        'compromised',
        'status',
        'history',
        'help',
      ]);
    }
  });
});

describe('validateAgainstTeamsSchema on broken manifests', () => {
  const cases: Array<[string, Mutation, string, RegExp]> = [
    [
      'a bot id that is not a GUID',
      (m) => (m.bots[0]!.botId = 'remediator-bot'),
      '$.bots[0].botId',
      /must match pattern/,
    ],
    [
      'an unknown scope',
      (m) => ((m.bots[0]!.scopes as string[])[1] = 'channel'),
      '$.bots[0].scopes[1]',
      /must be one of "team", "personal", "groupChat", "copilot"/,
    ],
    ['a missing developer', (m) => delete m.developer, '$.developer', /is required but missing/],
    [
      'a property the schema does not know',
      (m) => (m.bots[0]!.notifications = true),
      '$.bots[0].notifications',
      /not a property the schema allows/,
    ],
    [
      'a short name over 30 characters',
      (m) => ((m.name as Json).short = 'Remediator for the security team'),
      '$.name.short',
      /must NOT have more than 30 characters/,
    ],
    [
      'the wrong manifestVersion constant',
      (m) => (m.manifestVersion = '1.29'),
      '$.manifestVersion',
      /must be "1.30"/,
    ],
    [
      'a non-https privacy URL',
      (m) => ((m.developer as Json).privacyUrl = 'ftp://contoso.com/privacy'),
      '$.developer.privacyUrl',
      /must match pattern/,
    ],
  ];

  it.each(cases)(
    'names the JSON path for %s, and Microsoft’s validator rejects it too',
    async (_name, mutate, jsonPath, reason) => {
      const manifest = filledManifest() as Json & { bots: Json[] };
      mutate(manifest);
      const problems = validateAgainstTeamsSchema(manifest, 'manifest', '1.30');
      expect(problems).toContainEqual({
        path: jsonPath,
        reason: expect.stringMatching(reason) as unknown as string,
      });
      expect((await microsoftValidator(manifest, '1.30')).length).toBeGreaterThan(0);
    },
  );
});

describe('localization files', () => {
  it('accept the committed nb-no.json and name the key of a string that is too long', () => {
    const localization = JSON.parse(readFileSync(path.join(MANIFEST_DIR, 'nb-no.json'), 'utf8')) as Json;
    expect(validateAgainstTeamsSchema(localization, 'localization', '1.30')).toEqual([]);
    localization['description.short'] = 'x'.repeat(81);
    expect(validateAgainstTeamsSchema(localization, 'localization', '1.30')).toEqual([
      { path: "$['description.short']", reason: 'must NOT have more than 80 characters' },
    ]);
  });
});

describe('the official schemas', () => {
  it('reject a manifestVersion the package has no schema for, listing the ones it has', () => {
    expect(() => schemaPath('manifest', '1.99')).toThrow(
      /no manifest schema for manifestVersion 1.99 \(available: .*1\.30/,
    );
    expect(() => schemaPath('manifest', 'devPreview')).toThrow(/not a released schema version/);
  });

  // Our validator compiles the draft-04 schemas with Ajv's default draft; that is exact only while
  // the schemas avoid the two keywords whose meaning changed after draft-04.
  it.each(['manifest', 'localization'] as const)(
    '%s schema uses no draft-04-only keyword semantics',
    (kind) => {
      expect(draft04OnlySemantics(officialSchema(kind, '1.30'))).toEqual([]);
    },
  );

  it('the draft-04 check finds such keywords when they are there', () => {
    const sample = {
      id: 'http://example.com/schema#',
      properties: { id: { type: 'string' }, count: { minimum: 0, exclusiveMinimum: true } },
    };
    expect(draft04OnlySemantics(sample)).toEqual(['$.id', '$.properties.count.exclusiveMinimum']);
  });
});
