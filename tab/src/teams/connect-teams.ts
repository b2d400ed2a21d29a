import { app, authentication, pages } from '@microsoft/teams-js';
import { decodeTokenExpiry } from './decode-token-expiry';
import { trustedLocalOrigins } from './trusted-local-origins';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsHost {
  frameContext: string;
  theme: TeamsTheme;
  /** The tab's entityId when Teams gives one (reconfiguring an existing tab). */
  pageId?: string;
  userName?: string;
  meetingId?: string;
  /**
   * The Teams conversation the tab is in, as the bot knows it: the meeting or group chat, or the
   * team of a channel. A backlog set up here belongs to its members (docs/tab-api.md).
   */
  conversationId?: string;
  onThemeChange(listener: (theme: TeamsTheme) => void): void;
  /** The SSO token for the bot's tab API, reused until shortly before it expires. */
  getToken(): Promise<string>;
  pagesConfig: typeof pages.config;
}

/** Teams answers in well under a second; a page that hears nothing is open outside Teams. */
const INITIALIZE_TIMEOUT_MS = 8_000;
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

export class NotInTeamsError extends Error {
  constructor() {
    super('This page runs inside Microsoft Teams.');
  }
}

/**
 * Initializes teams-js and asks for the token at once, in parallel with the context, since the
 * first API call waits on both (this is most of the time to first render).
 */
export async function connectTeams(): Promise<TeamsHost> {
  if (window.parent === window && !window.opener) throw new NotInTeamsError();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotInTeamsError()), INITIALIZE_TIMEOUT_MS);
  });
  try {
    await Promise.race([app.initialize(trustedLocalOrigins(window.location, document.referrer)), timeout]);
  } catch (error) {
    throw error instanceof NotInTeamsError ? error : new NotInTeamsError();
  } finally {
    clearTimeout(timer);
  }

  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const getToken = (): Promise<string> => {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    pending ??= authentication
      .getAuthToken()
      .then((token) => {
        const exp = decodeTokenExpiry(token);
        cached = { token, refreshAt: exp ? exp - TOKEN_REFRESH_MARGIN_MS : Date.now() + 60_000 };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  // Warm the token while the context comes back; a failure here surfaces on the first API call.
  getToken().catch(() => undefined);

  const context = await app.getContext();
  const listeners = new Set<(theme: TeamsTheme) => void>();
  app.registerOnThemeChangeHandler((theme) => {
    for (const listener of listeners) listener(toTheme(theme));
  });
  app.notifySuccess().catch(() => undefined);
  return {
    frameContext: context.page.frameContext ?? app.getFrameContext() ?? 'content',
    theme: toTheme(context.app.theme),
    pageId: context.page.id || undefined,
    userName: context.user?.displayName,
    meetingId: context.meeting?.id,
    conversationId: context.chat?.id || context.team?.internalId || undefined,
    onThemeChange: (listener) => listeners.add(listener),
    getToken,
    pagesConfig: pages.config,
  };
}

function toTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}
