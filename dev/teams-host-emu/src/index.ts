/** The Teams web client, played for the tab: a host page that frames it and answers teams-js. */
export { DEFAULT_MEETING_CHAT_ID, DEFAULT_MEETING_ID, startTeamsHostEmu, type TeamsHostEmu, type TeamsHostEmuOptions } from './start-teams-host-emu';
export { hostPageQuery, type EmulatedUser, type FrameContext, type HostPageRequest, type HostTheme } from './host-page-config';
