export type FrameContext = 'content' | 'settings' | 'sidePanel' | 'meetingStage' | 'task';
export type HostTheme = 'default' | 'dark' | 'contrast';

export interface EmulatedUser {
  name: string;
  aadObjectId: string;
  tenantId: string;
  /** Sign-in name shown in the context; defaults from the name. */
  upn?: string;
}

/** What the host page needs, as the page script reads it (page/host-page.ts). */
export interface HostPageConfig {
  tabUrl: string;
  frameContext: FrameContext;
  theme: HostTheme;
  user: Required<EmulatedUser>;
  meetingId?: string;
  chatId?: string;
  entityId?: string;
  then?: FrameContext;
  width?: number;
  /** Settings in a meeting whose tab was saved before: open that tab's side panel instead (see readHostPageConfig's callers). */
  reuse?: boolean;
  /** A `task` (dialog) page framed by a Teams client: the client's origin, told of `dialog.url.submit`. */
  parentOrigin?: string;
}

const FRAME_CONTEXTS: readonly FrameContext[] = ['content', 'settings', 'sidePanel', 'meetingStage', 'task'];
const THEMES: readonly HostTheme[] = ['default', 'dark', 'contrast'];

export interface HostPageRequest {
  /** The tab page to frame, e.g. `http://127.0.0.1:3978/tab/?view=config`. */
  tab: string;
  context?: FrameContext;
  theme?: HostTheme;
  user?: EmulatedUser;
  meetingId?: string;
  chatId?: string;
  entityId?: string;
  then?: FrameContext;
  width?: number;
  /**
   * With context settings, then sidePanel and a meeting: if the meeting's tab was saved already, open its
   * side panel at once, as Teams shows an app added to a meeting to every attendee.
   */
  reuse?: boolean;
  /** With context task: the origin of the page framing this one (a Teams client's dialog), which gets the dialog's submit. */
  parentOrigin?: string;
}

/** The host page URL's query for a request (the inverse of readHostPageConfig). */
export function hostPageQuery(request: HostPageRequest): URLSearchParams {
  const query = new URLSearchParams({ tab: request.tab });
  if (request.context) query.set('context', request.context);
  if (request.theme) query.set('theme', request.theme);
  if (request.user) {
    query.set('name', request.user.name);
    query.set('oid', request.user.aadObjectId);
    query.set('tid', request.user.tenantId);
    if (request.user.upn) query.set('upn', request.user.upn);
  }
  if (request.meetingId) query.set('meeting', request.meetingId);
  if (request.chatId) query.set('chat', request.chatId);
  if (request.entityId) query.set('entityId', request.entityId);
  if (request.then) query.set('then', request.then);
  if (request.width) query.set('width', String(request.width));
  if (request.reuse) query.set('reuse', '1');
  if (request.parentOrigin) query.set('parent', request.parentOrigin);
  return query;
}

/** Reads the host page's query; the defaults fill what it leaves out. Throws with a message naming the bad parameter. */
export function readHostPageConfig(query: URLSearchParams, defaults: { user: EmulatedUser; tabUrl?: string; meetingId?: string; chatId?: string }): HostPageConfig {
  const tabUrl = query.get('tab') ?? defaults.tabUrl;
  if (!tabUrl) throw new Error('tab: the URL of the tab page to frame is required');
  if (!/^https?:\/\//.test(tabUrl)) throw new Error(`tab: expected an http(s) URL, got '${tabUrl}'`);
  const context = (query.get('context') ?? 'sidePanel') as FrameContext;
  if (!FRAME_CONTEXTS.includes(context)) throw new Error(`context: expected one of ${FRAME_CONTEXTS.join(', ')}`);
  const then = (query.get('then') ?? undefined) as FrameContext | undefined;
  if (then && !FRAME_CONTEXTS.includes(then)) throw new Error(`then: expected one of ${FRAME_CONTEXTS.join(', ')}`);
  const theme = (query.get('theme') ?? 'default') as HostTheme;
  if (!THEMES.includes(theme)) throw new Error(`theme: expected one of ${THEMES.join(', ')}`);
  const name = query.get('name') ?? defaults.user.name;
  const user = {
    name,
    aadObjectId: query.get('oid') ?? defaults.user.aadObjectId,
    tenantId: query.get('tid') ?? defaults.user.tenantId,
    upn: query.get('upn') ?? defaults.user.upn ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@contoso.example`,
  };
  const meetingId = query.get('meeting') ?? (context === 'sidePanel' || context === 'meetingStage' ? defaults.meetingId : undefined);
  const width = query.get('width') ? Number(query.get('width')) : undefined;
  if (width !== undefined && !(Number.isInteger(width) && width >= 200 && width <= 4000)) throw new Error('width: expected pixels from 200 to 4000');
  const parent = query.get('parent') ?? undefined;
  if (parent !== undefined && !/^https?:\/\/[^/?#]+$/.test(parent)) throw new Error(`parent: expected an http(s) origin, got '${parent}'`);
  return {
    tabUrl,
    frameContext: context,
    theme,
    user,
    meetingId,
    chatId: query.get('chat') ?? (meetingId ? defaults.chatId : undefined),
    entityId: query.get('entityId') ?? undefined,
    then,
    width,
    ...(query.get('reuse') === '1' ? { reuse: true } : {}),
    ...(parent ? { parentOrigin: parent } : {}),
  };
}
