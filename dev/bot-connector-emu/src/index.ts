export { startBotConnector, type BotConnector, type BotConnectorOptions, type FaultOptions, type WaitOptions } from './start-bot-connector';
export type { CallKind, RecordedCall } from './recorded-call';
export { TEAMS_SEND_LIMITS, sendRate, type SendLimit, type SendRate, type WindowPeak } from './send-rate';
export { teamsMember, DEFAULT_TENANT_ID, type TeamsMember } from './teams-member';
export { teamAadGroupId, type ChatSeed, type TeamChannel, type TeamSeed } from './member-directory';
export { GRAPH_PATH } from './graph-routes';
export * from './activities';
export { postActivity, type PostActivityResult } from './post-activity';
export { connectPlayground, type PlaygroundClient, type PlaygroundConfig, type PlaygroundEvent, type PlaygroundMessage } from './connect-playground';
