import { createTabApi, type TabApi } from './api/create-tab-api';
import { fetchPageChain, type PageChain } from './backlog/prefetch-backlog';
import { connectTeams, type TeamsHost } from './teams/connect-teams';

export interface Page {
  view: string;
  backlogId: string;
}

export type Boot = { state: 'outside' } | { state: 'ready'; host: TeamsHost; api: TabApi; prefetch?: PageChain };

export function isKnownView(page: Page): boolean {
  return page.view === 'config' || (page.view === 'backlog' && page.backlogId !== '');
}

/**
 * Everything that does not need React: the Teams handshake, the token and the panel's first API
 * request (the backlog and its pages, prefetch-backlog.ts). main.ts runs it before evaluating the UI bundle, so that React and Fluent UI start up
 * while the bot and Jira work on those requests, and Teams' messages are not stuck behind them.
 */
export async function boot(page: Page): Promise<Boot> {
  if (!isKnownView(page)) return { state: 'outside' };
  let host: TeamsHost;
  try {
    host = await connectTeams();
  } catch {
    return { state: 'outside' };
  }
  performance.mark('tab:teams-ready');
  // A failure shows on the first API call, with the user-facing message.
  await host.getToken().catch(() => undefined);
  const api = createTabApi(window.location.origin, host.getToken);
  return { state: 'ready', host, api, prefetch: page.view === 'backlog' ? fetchPageChain(api, page.backlogId) : undefined };
}
