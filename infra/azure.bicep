// Azure resources for one environment of the Jira connector: the web app that runs the service,
// the Azure Bot that routes Teams traffic to it, Storage (Tables) for its state, Key Vault for its
// secrets, Application Insights for its telemetry, and one user-assigned managed identity through
// which the app reaches Storage and Key Vault without any connection string or key. With more than
// one instance (maxInstanceCount > 1) it adds Azure Managed Redis, which turns on cluster mode
// (README "Scale"), and an autoscale rule between instanceCount and maxInstanceCount.
//
// Deployed by the Toolkit's arm/deploy (teamsapp.yml) or by `az deployment group create`
// (docs/deploy.md). Outputs in UPPER_SNAKE_CASE land in env/.env.<environment> under that name.

@description('Prefix of every resource name: letters and digits, e.g. jirateamsdev.')
@minLength(3)
@maxLength(24)
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest with Always On, which the alert workers need.')
param webAppSku string = 'B1'

@minValue(1)
@maxValue(30)
@description('Instances the app runs at least (and at first). Several need a plan that scales out: S1 or P0v3 and up, not B1.')
param instanceCount int = 1

@minValue(1)
@maxValue(30)
@description('Instances autoscale may add up to, on CPU. Above 1: cluster mode, with Azure Managed Redis for what instances share.')
param maxInstanceCount int = instanceCount

@description('Azure Managed Redis SKU, when maxInstanceCount > 1. Balanced_B0 holds far more than the live fan-out and limits need.')
param redisSku string = 'Balanced_B0'

@allowed(['F0', 'S1'])
@description('Azure Bot SKU: F0 is free (standard channels such as Teams are free on either).')
param botServiceSku string = 'F0'

@description('Client id of the bot\'s Microsoft Entra app (aadApp/create writes it to BOT_ID).')
param botAadAppClientId string

@description('Tenant of the bot\'s Entra app (BOT_TENANT_ID): the Microsoft 365 tenant.')
param botAadAppTenantId string

@secure()
@description('Client secret of the bot\'s Entra app (SECRET_BOT_PASSWORD). Stored in Key Vault.')
param botAadAppClientSecret string

@maxLength(42)
param botDisplayName string = 'Jira Connector'

@description('Client id of the Atlassian OAuth 2.0 (3LO) app; empty until per-user connections are configured.')
param atlassianClientId string = ''

@secure()
@description('Its secret (SECRET_ATLASSIAN_CLIENT_SECRET). Stored in Key Vault.')
param atlassianClientSecret string = ''

@secure()
@description('32 random bytes in base64 that encrypt stored Jira tokens (SECRET_TOKEN_ENCRYPTION_KEY). Stored in Key Vault.')
param tokenEncryptionKey string = ''

@description('Default Jira site, e.g. https://your-site.atlassian.net; empty lets each user choose.')
param jiraBaseUrl string = ''

param tags object = {}

var cleanBase = toLower(replace(replace(resourceBaseName, '-', ''), '_', ''))
// Storage and Key Vault names are global; a hash of the resource group keeps them unique per deployment.
var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var storageAccountName = take('st${cleanBase}${suffix}', 24)
var keyVaultName = take('kv${cleanBase}${suffix}', 24)
// Several instances must share panel events and send limits: that is what Redis is for (cluster mode).
var clustered = maxInstanceCount > 1

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  tags: tags
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Only Entra identities reach the data: no account keys to leak or rotate.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource atlassianSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(atlassianClientSecret)) {
  parent: vault
  name: 'atlassian-client-secret'
  properties: {
    value: atlassianClientSecret
  }
}

resource encryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(tokenEncryptionKey)) {
  parent: vault
  name: 'token-encryption-key'
  properties: {
    value: tokenEncryptionKey
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Azure Managed Redis: one database on a single endpoint (EnterpriseCluster), TLS only. Its access
// key goes to Key Vault as the whole REDIS_URL, so the app settings hold only a reference to it.
resource redis 'Microsoft.Cache/redisEnterprise@2025-04-01' = if (clustered) {
  name: take('redis-${cleanBase}${suffix}', 60)
  location: location
  tags: tags
  sku: {
    name: redisSku
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: 'Enabled'
  }
}

resource redisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = if (clustered) {
  parent: redis
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    // Send windows and pub/sub must never be evicted to make room: the keys expire by themselves.
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Enabled'
  }
}

resource redisUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (clustered) {
  parent: vault
  name: 'redis-url'
  properties: {
    value: 'rediss://:${redisDatabase.listKeys().primaryKey}@${redis.properties.hostName}:10000'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  tags: tags
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

// Scale out on CPU (webhook intake, delivery and unfurls are CPU-bound on one instance) and back in
// when it idles; a cooldown longer than the scale-out one keeps instance counts from flapping.
resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = if (maxInstanceCount > instanceCount) {
  name: '${resourceBaseName}-autoscale'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu'
        capacity: {
          minimum: string(instanceCount)
          maximum: string(maxInstanceCount)
          default: string(instanceCount)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT20M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 25
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT30M'
            }
          }
        ]
      }
    ]
  }
}

// Names match bot/src/config.ts. Secrets arrive as Key Vault references, which App Service
// resolves with the managed identity, so the process sees plain values while neither the app's
// configuration nor the deployment history holds any of them.
var coreSettings = {
  NODE_ENV: 'production'
  STORE: 'azure'
  AZURE_STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.table
  // DefaultAzureCredential picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identity.properties.clientId
  KEY_VAULT_URL: vault.properties.vaultUri
  BOT_ID: botAadAppClientId
  BOT_TENANT_ID: botAadAppTenantId
  BOT_TYPE: 'SingleTenant'
  BOT_PASSWORD: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${botPasswordSecret.name})'
  PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  // The deployment zip carries the compiled bot/dist but no node_modules: App Service installs the
  // production dependencies on Linux, so better-sqlite3's native binary matches the host.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  CUSTOM_BUILD_COMMAND: 'npm ci --omit=dev --no-audit --no-fund'
}
var atlassianSettings = empty(atlassianClientId) ? {} : { ATLASSIAN_CLIENT_ID: atlassianClientId }
var atlassianSecretSettings = empty(atlassianClientSecret) ? {} : { ATLASSIAN_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=atlassian-client-secret)' }
var encryptionKeySettings = empty(tokenEncryptionKey) ? {} : { TOKEN_ENCRYPTION_KEY: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=token-encryption-key)' }
var jiraSettings = empty(jiraBaseUrl) ? {} : { JIRA_BASE_URL: jiraBaseUrl }
var clusterSettings = clustered ? { REDIS_URL: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=redis-url)' } : {}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: '${resourceBaseName}-${take(suffix, 6)}'
  location: location
  kind: 'app,linux'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Any instance answers any request (cluster mode shares what they must agree on): no sticky sessions.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // The Dockerfile's CMD, with the V8 heap flags explained there (test/infra/dockerfile.test.ts).
      appCommandLine: 'node --max-old-space-size=256 --max-semi-space-size=8 bot/dist/index.js'
      // Free and Shared plans cannot keep the app loaded; on those the alert workers sleep when idle.
      alwaysOn: !contains(['F1', 'D1'], webAppSku)
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(coreSettings, atlassianSettings, atlassianSecretSettings, encryptionKeySettings, jiraSettings, clusterSettings)
  // Key Vault references resolve when the app starts: the secrets and the identity's roles must
  // exist by then, or the first start sees the literal reference strings.
  dependsOn: [
    secretsUser
    tableDataContributor
    atlassianSecret
    encryptionKeySecret
    redisUrlSecret
  ]
}

module bot 'modules/bot-service.bicep' = {
  name: 'bot-service'
  params: {
    botServiceName: '${resourceBaseName}-${take(suffix, 6)}'
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: botAadAppTenantId
    sku: botServiceSku
    tags: tags
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_AZURE_BOT_SERVICE_RESOURCE_ID string = bot.outputs.botServiceId
output AZURE_STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table
output AZURE_KEY_VAULT_NAME string = vault.name
output KEY_VAULT_URL string = vault.properties.vaultUri
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
