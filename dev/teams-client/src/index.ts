export { startTeamsClient, type TeamsClient, type TeamsClientOptions } from './start-teams-client';
export { demoPeople, LOCAL_TENANT_ID, type TeamsPerson } from './demo-people';
export { localConversations, personalChatId, LOCAL_GROUP_CHAT_ID, LOCAL_TEAM_ID, type LocalConversation } from './local-conversations';
export { readAppManifest, type AppManifestView } from './read-app-manifest';
export { matchesLinkDomain } from './match-link-domain';
