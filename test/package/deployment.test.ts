import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config/config';
import { parseEnvFile } from '../../scripts/packaging/env-file';
import { listPlaceholders } from '../../scripts/packaging/placeholders';
import { ENV_DIR, provisionedDevEnv, readJson, ROOT_DIR } from './helpers';

const read = (relative: string) => readFileSync(path.join(ROOT_DIR, relative), 'utf8');
const envFile = (name: string) => parseEnvFile(read(`env/.env.${name}`), `env/.env.${name}`);

/** The variable names src/config/config.ts reads: the keys of its zod env schema. */
function configVariables(): string[] {
  const source = read('src/config/config.ts');
  const block = source.slice(
    source.indexOf('const envSchema = z.object({'),
    source.indexOf('\n});', source.indexOf('const envSchema')),
  );
  return [...block.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] ?? '');
}

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
const project = parseYaml(read('m365agents.yml')) as {
  version: string;
  environmentFolderPath: string;
} & Record<'provision' | 'deploy' | 'publish', Action[]>;
const allActions = [...project.provision, ...project.deploy, ...project.publish];

const templatesWithPlaceholders = [
  'teamsAppManifest/manifest.json',
  'teamsAppManifest/nb-no.json',
  'infra/aad.manifest.json',
  'infra/azure.parameters.json',
  'm365agents.yml',
];
const bicep = read('infra/azure.bicep');
const bicepOutputs = [...bicep.matchAll(/^output ([A-Z_]+) string/gm)].map((match) => match[1] ?? '');
// Set by the toolkit itself (current environment, subscription and resource group prompts).
const TOOLKIT_VARIABLES = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

describe('env templates', () => {
  const config = configVariables();

  it('finds the config variables in src/config/config.ts', () => {
    expect(config).toEqual(expect.arrayContaining(['TENANT_MODE', 'M365_TENANT_ID', 'BOT_ID', 'LOG_LEVEL']));
  });

  it.each(['local', 'dev'])('env/.env.%s lists every config.ts variable', (name) => {
    const keys = [...envFile(name).keys()];
    expect(config.filter((variable) => !keys.includes(variable))).toEqual([]);
  });

  it.each(['local', 'dev'])('env/.env.%s holds no secret values and no stray names', (name) => {
    const values = envFile(name);
    const secrets = [...values].filter(([key, value]) => key.startsWith('SECRET_') && value !== '');
    expect(secrets).toEqual([]);
    const known = new Set([
      ...config,
      ...TOOLKIT_VARIABLES,
      ...bicepOutputs,
      ...templatesWithPlaceholders.flatMap((file) => listPlaceholders(read(file))),
      ...allActions.flatMap((action) => Object.values(action.writeToEnvironmentFile ?? {})),
    ]);
    expect([...values.keys()].filter((key) => !known.has(key))).toEqual([]);
  });

  it('env/.env.dev defines every placeholder the templates and the toolkit project use', () => {
    const keys = [...envFile('dev').keys()];
    const used = templatesWithPlaceholders.flatMap((file) => listPlaceholders(read(file)));
    expect([...new Set(used)].filter((name) => !keys.includes(name))).toEqual([]);
  });

  it('env/.env.local is a valid configuration for the local demo against the simulated tenant', () => {
    const config = loadConfig(Object.fromEntries(envFile('local')));
    expect(config.tenant.mode).toBe('simulated');
    expect(config.bot.localDemo).toBe(true);
    expect(config.bot.host).toBe('127.0.0.1');
    expect(config.policy.respondersGroupId).toBe('3fec47b4-98e3-417a-bfd9-6dc67f18a61e');
    expect(config.policy.breakGlassAccounts).toEqual(['breakglass01@contoso.com']);
  });

  it('env/.env.dev, once provisioned, is a valid live configuration with the managed identity as bot', () => {
    const values = parseEnvFile(provisionedDevEnv());
    values.set('SECRET_M365_CLIENT_SECRET', 'provisioned-secret-stand-in');
    const config = loadConfig(Object.fromEntries(values));
    expect(config.tenant.mode).toBe('live');
    expect(config.tenant.auth).toBe('client-secret');
    expect(config.bot.appType).toBe('UserAssignedMSI');
    expect(config.bot.localDemo).toBe(false);
    expect(config.bot.host).toBe('0.0.0.0');
  });
});

describe('m365agents.yml', () => {
  it('is an Agents Toolkit v1.x project reading env/', () => {
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(path.resolve(ROOT_DIR, project.environmentFolderPath)).toBe(ENV_DIR);
  });

  it('provisions the Entra app, applies its manifest, creates the Teams app, deploys Azure and ships the package, in order', () => {
    expect(project.provision.map((action) => action.uses)).toEqual([
      'aadApp/create',
      'aadApp/update',
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
  });

  it('writes the Entra app ids to the variables config.ts reads, and the secret only to a SECRET_ variable', () => {
    const create = project.provision.find((action) => action.uses === 'aadApp/create');
    expect(create?.writeToEnvironmentFile).toEqual({
      clientId: 'M365_CLIENT_ID',
      objectId: 'AAD_APP_OBJECT_ID',
      clientSecret: 'SECRET_M365_CLIENT_SECRET',
      tenantId: 'M365_TENANT_ID',
    });
    expect(create?.with).toMatchObject({ generateClientSecret: true, signInAudience: 'AzureADMyOrg' });
  });

  it('points only at files that exist', () => {
    const paths = allActions.flatMap((action) => {
      const options = action.with ?? {};
      const templates = (options.templates as Array<{ path: string; parameters?: string }> | undefined) ?? [];
      return [
        options.manifestPath,
        options.ignoreFile,
        ...templates.flatMap((template) => [template.path, template.parameters]),
      ].filter((value): value is string => typeof value === 'string');
    });
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((file) => !existsSync(path.join(ROOT_DIR, file)))).toEqual([]);
  });
});

describe('infra/aad.manifest.json', () => {
  // Application permissions of /work/shared/M365-API-NOTES.md, by Microsoft Graph app role id.
  const GRAPH_APPLICATION_PERMISSIONS: Record<string, string> = {
    'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
    'User.EnableDisableAccount.All': '3011c876-62b7-4ada-afa2-506cbbecc68c',
    'User.RevokeSessions.All': '77f3a031-c388-4f99-b373-dc68676a979e',
    'User-PasswordProfile.ReadWrite.All': 'cc117bb9-00cf-4eb8-b580-ea2a878fe8f7',
    'UserAuthenticationMethod.ReadWrite.All': '50483e42-d915-4231-9639-7fdb7fd190e5',
    'UserAuthenticationMethod.Read.All': '38d9df27-64da-44fd-b7c5-a6fbac20248f',
    'MailboxSettings.Read': '40f97065-369a-49f4-947c-6a255697ae91',
    'MailboxSettings.ReadWrite': '6931bccd-447a-43d1-b442-00a195474933',
    'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
    'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
    'RoleEligibilitySchedule.ReadWrite.Directory': 'fee28b28-e1f3-4841-818e-2704dc62245f',
    'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
    'GroupMember.ReadWrite.All': 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
    'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
    'DelegatedPermissionGrant.ReadWrite.All': '8e8e4742-1d95-4f68-9d56-6ee75648c72a',
    'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
    'IdentityRiskyUser.ReadWrite.All': '656f6061-f9fe-4807-9708-6a2e0934df76',
    'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
    // microsoftgraph/microsoft-graph-devx-content permissions/permissions-descriptions.json (6cbd6bbd665a877560fdefbad74f3bdb5b57af88)
    'TeamsAppInstallation.ReadWriteSelfForUser.All': '908de74d-f8b2-4d6b-a9ed-2a17b3b78179',
  };
  const MICROSOFT_GRAPH = '00000003-0000-0000-c000-000000000000';
  const EXCHANGE_ONLINE = '00000002-0000-0ff1-ce00-000000000000';
  const EXCHANGE_MANAGE_AS_APP = 'dc50a0fb-09a3-484d-be87-e023b12c6440';

  const manifest = readJson(path.join(ROOT_DIR, 'infra/aad.manifest.json')) as {
    signInAudience: string;
    requiredResourceAccess: Array<{
      resourceAppId: string;
      resourceAccess: Array<{ id: string; type: string }>;
    }>;
  };
  const accessTo = (resource: string) =>
    manifest.requiredResourceAccess.find((entry) => entry.resourceAppId === resource)?.resourceAccess ?? [];

  it('requests exactly the Graph application permissions the steps need, as app roles', () => {
    const graph = accessTo(MICROSOFT_GRAPH);
    expect(graph.map((access) => access.id).sort()).toEqual(
      Object.values(GRAPH_APPLICATION_PERMISSIONS).sort(),
    );
    expect(new Set(graph.map((access) => access.type))).toEqual(new Set(['Role']));
  });

  it('requests Exchange.ManageAsApp on Office 365 Exchange Online and nothing else', () => {
    expect(accessTo(EXCHANGE_ONLINE)).toEqual([{ id: EXCHANGE_MANAGE_AS_APP, type: 'Role' }]);
    expect(manifest.requiredResourceAccess.map((entry) => entry.resourceAppId).sort()).toEqual(
      [EXCHANGE_ONLINE, MICROSOFT_GRAPH].sort(),
    );
  });

  it('is single-tenant', () => {
    expect(manifest.signInAudience).toBe('AzureADMyOrg');
  });
});

describe('infra/azure.bicep and its parameters', () => {
  const parameters = Object.keys(
    (readJson(path.join(ROOT_DIR, 'infra/azure.parameters.json')).parameters ?? {}) as object,
  );
  const declared = [...bicep.matchAll(/^param (\w+) \w+( =)?/gm)].map((match) => ({
    name: match[1] ?? '',
    hasDefault: match[2] !== undefined,
  }));

  it('declares every parameter the parameters file passes, and the file passes every required one', () => {
    expect(parameters.filter((name) => !declared.some((param) => param.name === name))).toEqual([]);
    expect(
      declared
        .filter((param) => !param.hasDefault && !parameters.includes(param.name))
        .map((param) => param.name),
    ).toEqual([]);
  });

  it('outputs what the Teams package and the deploy stage need', () => {
    expect(bicepOutputs).toEqual(
      expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'AZURE_APP_SERVICE_RESOURCE_ID']),
    );
  });

  it('registers an Azure Bot with the Microsoft Teams channel on the user-assigned managed identity', () => {
    expect(bicep).toMatch(/resource bot 'Microsoft\.BotService\/botServices@[\d-]+'/);
    expect(bicep).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bicep).toMatch(/endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
  });

  it('gives the app only config.ts variables plus documented platform settings', () => {
    const settings = [...bicep.matchAll(/\{ name: '([A-Z_0-9]+)', value:/g)].map((match) => match[1] ?? '');
    const platform = [
      'WEBSITES_PORT',
      'AZURE_CLIENT_ID',
      'AZURE_STORAGE_ACCOUNT_NAME',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'WEBSITES_ENABLE_APP_SERVICE_STORAGE',
    ];
    expect(settings.filter((name) => !configVariables().includes(name) && !platform.includes(name))).toEqual(
      [],
    );
    expect(settings).toEqual(
      expect.arrayContaining(['TENANT_MODE', 'M365_TENANT_ID', 'BOT_ID', 'BOT_APP_TYPE', 'HOST', 'DATA_DIR']),
    );
  });

  it('keeps the client secret in Key Vault, referenced from the app setting', () => {
    expect(bicep).toMatch(
      /name: 'SECRET_M365_CLIENT_SECRET', value: '@Microsoft\.KeyVault\(VaultName=\$\{keyVault\.name\};SecretName=\$\{m365SecretName\}\)'/,
    );
    expect(bicep).toMatch(/@secure\(\)\nparam m365ClientSecret string/);
  });

  it('grants the managed identity table, blob and Key Vault secret roles (built-in role ids)', () => {
    expect(bicep).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'"); // Storage Table Data Contributor
    expect(bicep).toContain("'ba92f5b4-2d11-453d-a403-e96b0029c9fe'"); // Storage Blob Data Contributor
    expect(bicep).toContain("'4633458b-17de-408a-b874-0445c86b69e6'"); // Key Vault Secrets User
    expect([...bicep.matchAll(/principalId: identity\.properties\.principalId/g)]).toHaveLength(3);
  });
});
