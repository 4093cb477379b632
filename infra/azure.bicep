// Remediator in Azure: App Service (Linux, Node 24 LTS) running the bot, an Azure Bot registration
// with the Microsoft Teams channel, a Storage account (tables + blobs) and a Key Vault, all
// reached through one user-assigned managed identity, which is also the bot's identity.
// Deployed by `atk provision` (m365agents.yml, arm/deploy) with azure.parameters.json; outputs
// are written back to env/.env.<env>. Step by step: docs/DEPLOY.md.

@description('Prefix for resource names, e.g. remediator-dev.')
@minLength(3)
@maxLength(24)
param resourceBaseName string

@description('Display name of the Azure Bot.')
@maxLength(42)
param botDisplayName string = 'Remediator'

param location string = resourceGroup().location

@description('App Service plan SKU. Basic or above: Always On keeps proactive card updates alive.')
param webAppSku string = 'B1'

@description('Node.js runtime: 24 LTS is the target; 22-lts is supported too (package.json engines).')
@allowed(['24-lts', '22-lts'])
param nodeVersion string = '24-lts'

@description('Azure Bot SKU. F0 is free for standard channels such as Microsoft Teams.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Microsoft 365 tenant id (M365_TENANT_ID).')
param m365TenantId string

@description('Tenant domain, e.g. contoso.onmicrosoft.com (M365_TENANT_DOMAIN), for Exchange requests.')
param m365TenantDomain string = ''

@description('Client id of the Entra app Remediator uses for Graph and Exchange (M365_CLIENT_ID).')
param m365ClientId string

@description('Client secret of that app (SECRET_M365_CLIENT_SECRET). Stored in Key Vault only.')
@secure()
param m365ClientSecret string = ''

@description('Object id of the responders group (RESPONDERS_GROUP_ID).')
param respondersGroupId string = ''

@description('Comma-separated break-glass accounts, UPNs or object ids (BREAK_GLASS_ACCOUNTS).')
param breakGlassAccounts string = ''

@description('Teams channel for incident summaries (SECURITY_CHANNEL_ID).')
param securityChannelId string = ''

@description('Catalog id of the Remediator app in the org app catalog (TEAMS_APP_CATALOG_ID); lets Remediator install itself for an approver who must receive a credential.')
param teamsAppCatalogId string = ''

@allowed(['true', 'false'])
param fourEyes string = 'true'

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
param logLevel string = 'info'

var uniqueSuffix = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = '${resourceBaseName}-${uniqueSuffix}'
var storageAccountName = 'st${uniqueSuffix}'
var keyVaultName = 'kv-${uniqueSuffix}'
var m365SecretName = 'm365-client-secret'
var appPort = '8080'

// Built-in Azure role definitions.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

// ---------- Storage: incidents and audit in tables, bot state and SQLite backups in blobs ----------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Only Entra identities (the managed identity) may read or write: no account keys in app settings.
    allowSharedKeyAccess: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource incidentsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'incidents'
}

resource auditTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'audit'
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 14 }
  }
}

resource botStateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'botstate'
  properties: { publicAccess: 'None' }
}

resource backupsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'backups'
  properties: { publicAccess: 'None' }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------- Key Vault: the Graph/Exchange client secret never sits in plain app settings ----------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    // Purge protection cannot be turned off again once on; enable it for production vaults
    // (docs/DEPLOY.md). Left off here so a dev resource group can be deleted and recreated.
  }
}

resource m365Secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(m365ClientSecret)) {
  parent: keyVault
  name: m365SecretName
  properties: { value: m365ClientSecret }
}

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------- App Service: one instance (the default SQLite store lives on /home) ----------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: webAppSku, capacity: 1 }
  properties: { reserved: true }
}

// Names match src/config/config.ts; optional ones are only set when they have a value, because
// the config schema rejects an empty GUID.
var requiredSettings = [
  { name: 'TENANT_MODE', value: 'live' }
  { name: 'M365_TENANT_ID', value: m365TenantId }
  { name: 'M365_CLIENT_ID', value: m365ClientId }
  { name: 'M365_AUTH', value: 'client-secret' }
  { name: 'SECRET_M365_CLIENT_SECRET', value: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=${m365SecretName})' }
  { name: 'BOT_ID', value: identity.properties.clientId }
  { name: 'BOT_APP_TYPE', value: 'UserAssignedMSI' }
  { name: 'LOCAL_DEMO', value: 'false' }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: appPort }
  { name: 'WEBSITES_PORT', value: appPort }
  { name: 'DATA_DIR', value: '/home/data' }
  { name: 'FOUR_EYES', value: fourEyes }
  { name: 'LOG_LEVEL', value: logLevel }
  // @azure/identity picks the user-assigned identity from AZURE_CLIENT_ID (Storage access).
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'AZURE_STORAGE_ACCOUNT_NAME', value: storage.name }
  // Oryx builds on Linux: npm install + npm run build, so native modules match the host.
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
  // /home survives restarts and redeployments; the SQLite file lives there.
  { name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', value: 'true' }
]
var optionalSettings = concat(
  empty(m365TenantDomain) ? [] : [{ name: 'M365_TENANT_DOMAIN', value: m365TenantDomain }],
  empty(respondersGroupId) ? [] : [{ name: 'RESPONDERS_GROUP_ID', value: respondersGroupId }],
  empty(breakGlassAccounts) ? [] : [{ name: 'BREAK_GLASS_ACCOUNTS', value: breakGlassAccounts }],
  empty(securityChannelId) ? [] : [{ name: 'SECURITY_CHANNEL_ID', value: securityChannelId }],
  empty(teamsAppCatalogId) ? [] : [{ name: 'TEAMS_APP_CATALOG_ID', value: teamsAppCatalogId }]
)

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|${nodeVersion}'
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: concat(requiredSettings, optionalSettings)
    }
  }
  dependsOn: [keyVaultRole, tableRole, blobRole]
}

resource webAppLogs 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'logs'
  properties: {
    applicationLogs: { fileSystem: { level: 'Information' } }
    httpLogs: { fileSystem: { enabled: true, retentionInDays: 7, retentionInMb: 35 } }
  }
}

// ---------- Azure Bot: the managed identity is the bot's Microsoft App ID ----------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  // Bot handles are global, hence the unique suffix.
  name: webAppName
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written to env/.env.<env> by the toolkit (arm/deploy output naming).
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
