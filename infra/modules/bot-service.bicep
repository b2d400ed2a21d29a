// The Azure Bot resource: registers the web app's /api/messages endpoint with the Bot Framework
// and connects it to Microsoft Teams. Bot Service resources live in the 'global' region.

@description('Globally unique name of the bot resource.')
@minLength(2)
@maxLength(64)
param botServiceName string

@description('Name shown in the Azure portal; Teams shows the name from the app manifest.')
@maxLength(42)
param displayName string

@description('The bot\'s messaging endpoint, https://<domain>/api/messages.')
param endpoint string

@description('Client (application) id of the bot\'s Microsoft Entra app registration.')
param msaAppId string

@description('Tenant of that app registration (the Microsoft 365 tenant, which may differ from the Azure subscription\'s).')
param msaAppTenantId string

@allowed(['F0', 'S1'])
param sku string = 'F0'

param tags object = {}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: msaAppId
    msaAppTenantId: msaAppTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botServiceId string = bot.id
