/**
 * The browser half of the Teams host emulation: frames the tab and answers teams-js the way the
 * Teams web client does (message shapes read from @microsoft/teams-js 2.x: requests are
 * `{ id, uuidAsString, func, args }`, answers `{ id, uuidAsString, args }`, host events
 * `{ func, args }` with no id). Runs as a module script; the server puts the settings in
 * `window.teamsHostConfig`.
 */

type FrameContext = 'content' | 'settings' | 'sidePanel' | 'meetingStage' | 'task';
type Theme = 'default' | 'dark' | 'contrast';

interface HostConfig {
  tabUrl: string;
  frameContext: FrameContext;
  theme: Theme;
  user: { name: string; aadObjectId: string; tenantId: string; upn: string };
  meetingId?: string;
  chatId?: string;
  entityId?: string;
  /** After a successful save: open the saved contentUrl in this context, as Teams opens the new tab. */
  then?: FrameContext;
  width?: number;
  /** A dialog (context task) framed by a Teams client: that page's origin, told when the dialog submits. */
  parentOrigin?: string;
}

interface TabRequest {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

/** A framed page of the app and the context Teams gives it (the side panel and the stage can be open at once). */
interface TabFrame {
  element: HTMLIFrameElement;
  frameContext: FrameContext;
  url: string;
  origin: string;
}

interface HostState {
  config: HostConfig;
  /** The meeting stage, when someone in the meeting shared the app to it: the URL framed there. */
  stage?: { contentUrl: string; sharedBy: string };
  /** Every request the tab sent, in order (func and args, and the frame context it came from). */
  messages: Array<{ func: string; args: unknown[]; frameContext: FrameContext }>;
  initialized: boolean;
  validity: boolean;
  saveHandlerRegistered: boolean;
  saveState: 'idle' | 'saving' | 'saved' | 'failed';
  saveFailure?: string;
  settings?: { contentUrl?: string; entityId?: string; suggestedDisplayName?: string; websiteUrl?: string };
  save(): Promise<HostState['saveState']>;
  setTheme(theme: Theme): void;
  /** What Teams' own "Share to stage" button in the side panel header does: the panel's app, on everyone's stage. */
  shareToStage(contentUrl?: string): Promise<boolean>;
  stopSharing(): Promise<void>;
}

declare global {
  interface Window {
    teamsHostConfig: HostConfig;
    teamsHost: HostState;
  }
}

const config = window.teamsHostConfig;
const main: TabFrame = {
  element: document.getElementById('tab') as HTMLIFrameElement,
  frameContext: config.frameContext,
  url: config.tabUrl,
  origin: new URL(config.tabUrl).origin,
};
let stageFrame: TabFrame | undefined;
const appSessionId = crypto.randomUUID();
let saveWaiter: ((state: HostState['saveState']) => void) | undefined;

const state: HostState = {
  config,
  messages: [],
  initialized: false,
  validity: false,
  saveHandlerRegistered: false,
  saveState: 'idle',
  save,
  setTheme,
  shareToStage,
  stopSharing,
};
window.teamsHost = state;

function post(message: unknown, to: TabFrame = main): void {
  to.element.contentWindow?.postMessage(message, to.origin);
}

function framesOpen(): TabFrame[] {
  return stageFrame ? [main, stageFrame] : [main];
}

function answer(request: TabRequest, args: unknown[], to: TabFrame): void {
  post({ id: request.id, uuidAsString: request.uuidAsString, args }, to);
}

function runtimeConfig(): string {
  return JSON.stringify({
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: {
      app: {},
      appInstallDialog: {},
      authentication: {},
      chat: {},
      dialog: { card: {}, url: {}, update: {} },
      meeting: {},
      pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
      sidePanel: {},
      stageView: {},
      teamsCore: {},
    },
  });
}

/** The legacy context object teams-js turns into app.Context (see its app.getContext). */
function context(from: TabFrame): Record<string, unknown> {
  return {
    locale: 'en-us',
    theme: config.theme,
    frameContext: from.frameContext,
    entityId: config.entityId ?? '',
    userObjectId: config.user.aadObjectId,
    userDisplayName: config.user.name,
    userPrincipalName: config.user.upn,
    loginHint: config.user.upn,
    tid: config.user.tenantId,
    meetingId: config.meetingId,
    chatId: config.chatId,
    hostClientType: 'web',
    hostName: 'Teams',
    appSessionId,
    sessionId: appSessionId,
    isFullScreen: false,
    isMultiWindow: false,
  };
}

async function fetchToken(): Promise<string> {
  const response = await fetch('/_host/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: config.user.name, aadObjectId: config.user.aadObjectId, tenantId: config.user.tenantId }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `token request failed (HTTP ${response.status})`);
  return body.token;
}

function record(request: TabRequest, from: TabFrame): void {
  state.messages.push({ func: request.func, args: request.args ?? [], frameContext: from.frameContext });
  const log = document.getElementById('log');
  if (log) {
    const line = document.createElement('div');
    line.textContent = `${new Date().toISOString().slice(11, 23)} ${from.frameContext} ${request.func}`;
    log.prepend(line);
  }
}

function handle(request: TabRequest, from: TabFrame): void {
  record(request, from);
  const args = request.args ?? [];
  switch (request.func) {
    case 'initialize':
      if (from === main) state.initialized = true;
      // [frameContext, hostClientType, runtimeConfig, clientSupportedSDKVersion]
      answer(request, [from.frameContext, 'web', runtimeConfig(), typeof args[0] === 'string' ? args[0] : '2.0.0'], from);
      return;
    case 'getContext':
      answer(request, [context(from)], from);
      return;
    case 'authentication.getAuthToken':
      fetchToken().then(
        (token) => answer(request, [true, token], from),
        (error: Error) => answer(request, [false, error.message], from),
      );
      return;
    // teams-js meeting stage calls answer [error, result]; the side panel and the stage may make them.
    case 'meeting.getAppContentStageSharingCapabilities':
      answer(request, [null, { doesAppHaveSharePermission: inMeeting(from) }], from);
      return;
    case 'meeting.getAppContentStageSharingState':
      answer(request, [null, { isAppSharing: Boolean(state.stage) }], from);
      return;
    case 'meeting.shareAppContentToStage': {
      const url = typeof args[0] === 'string' ? args[0] : '';
      if (!inMeeting(from) || !sameOrigin(url, from.origin)) {
        answer(request, [{ errorCode: 1000, message: 'the app may share only its own pages, from a meeting' }, false], from);
        return;
      }
      shareToStage(url).then(
        (shared) => answer(request, [shared ? null : { errorCode: 500, message: 'the stage could not be shared' }, shared], from),
        () => answer(request, [{ errorCode: 500, message: 'the stage could not be shared' }, false], from),
      );
      return;
    }
    case 'meeting.stopSharingAppContentToStage':
      stopSharing().then(
        () => answer(request, [null, true], from),
        () => answer(request, [{ errorCode: 500, message: 'sharing could not be stopped' }, false], from),
      );
      return;
    // dialog.url.submit(result, appIds): Teams closes the dialog and hands the result to whoever opened it
    // (for a bot's dialog, the Teams client sends it to the bot as task/submit). Here: the framing client page.
    case 'tasks.completeTask':
      if (from.frameContext === 'task' && config.parentOrigin && window.parent !== window) {
        window.parent.postMessage({ func: 'teamsHost.dialogSubmit', args: [args[0] ?? null, Array.isArray(args[1]) ? args[1] : []] }, config.parentOrigin);
      }
      return;
    case 'settings.setValidityState':
      state.validity = args[0] === true;
      renderSaveButton();
      return;
    case 'registerHandler':
      if (args[0] === 'save') state.saveHandlerRegistered = true;
      return;
    case 'settings.setSettings':
      state.settings = args[0] as HostState['settings'];
      answer(request, [true], from);
      return;
    case 'settings.getSettings':
      answer(request, [state.settings ?? {}], from);
      return;
    case 'settings.save.success':
      finishSave('saved');
      return;
    case 'settings.save.failure':
      state.saveFailure = typeof args[0] === 'string' ? args[0] : undefined;
      finishSave('failed');
      return;
    case 'appInitialization.success':
    case 'appInitialization.appLoaded':
    case 'appInitialization.failure':
    case 'appInitialization.expectedFailure':
      return;
    default:
      // Teams leaves calls it does not support unanswered too; the log shows them.
      return;
  }
}

function finishSave(result: 'saved' | 'failed'): void {
  state.saveState = result;
  renderSaveButton();
  const waiter = saveWaiter;
  saveWaiter = undefined;
  waiter?.(result);
  if (result === 'saved' && config.meetingId && state.settings?.contentUrl) void rememberMeetingTab().then(openSaved, openSaved);
  else openSaved();
}

/** After Save with `then`: open the saved contentUrl in that context, as Teams opens the new tab. */
function openSaved(): void {
  if (state.saveState !== 'saved' || !config.then || !state.settings?.contentUrl) return;
  const next = new URL(window.location.href);
  next.searchParams.set('tab', state.settings.contentUrl);
  next.searchParams.set('context', config.then);
  next.searchParams.delete('then');
  next.searchParams.delete('reuse');
  if (state.settings.entityId) next.searchParams.set('entityId', state.settings.entityId);
  window.location.assign(next.toString());
}

/** A tab saved in a meeting is the meeting's: the server keeps it for the other attendees' side panels. */
async function rememberMeetingTab(): Promise<void> {
  await fetch('/_host/meeting/tab', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ meetingId: config.meetingId, contentUrl: state.settings?.contentUrl, entityId: state.settings?.entityId }),
  });
}

function inMeeting(from: TabFrame): boolean {
  return Boolean(config.meetingId) && (from.frameContext === 'sidePanel' || from.frameContext === 'meetingStage');
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Shares `contentUrl` (the side panel's own page by default) to the meeting's stage: every attendee's host page frames it there. */
async function shareToStage(contentUrl = main.url): Promise<boolean> {
  if (!config.meetingId) return false;
  const response = await fetch('/_host/meeting/stage', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ meetingId: config.meetingId, contentUrl, sharedBy: config.user.name }),
  });
  return response.ok;
}

async function stopSharing(): Promise<void> {
  if (!config.meetingId) return;
  await fetch('/_host/meeting/stage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ meetingId: config.meetingId, contentUrl: null }) });
}

/** Frames what the meeting shows on its stage (or clears it), with frameContext meetingStage. */
function showStage(stage: HostState['stage']): void {
  const holder = document.getElementById('stage');
  if (!holder || stage?.contentUrl === state.stage?.contentUrl) {
    state.stage = stage;
    renderShareButton();
    return;
  }
  state.stage = stage;
  stageFrame = undefined;
  holder.replaceChildren();
  if (stage) {
    const bar = document.createElement('div');
    bar.className = 'stage-bar';
    bar.textContent = `${stage.sharedBy} is sharing Jira backlog`;
    const stop = document.createElement('button');
    stop.id = 'stop-sharing';
    stop.textContent = 'Stop sharing';
    stop.onclick = () => void stopSharing();
    bar.append(stop);
    const element = document.createElement('iframe');
    element.id = 'stage-tab';
    element.title = 'Jira backlog on the meeting stage';
    holder.append(bar, element);
    stageFrame = { element, frameContext: 'meetingStage', url: stage.contentUrl, origin: new URL(stage.contentUrl).origin };
    element.src = stage.contentUrl;
  } else {
    holder.textContent = 'Meeting stage';
  }
  renderShareButton();
}

function renderShareButton(): void {
  const button = document.getElementById('share-to-stage') as HTMLButtonElement | null;
  if (button) button.textContent = state.stage?.contentUrl === main.url ? 'Sharing' : 'Share to stage';
}

/** The meeting's stage, live: what anyone in it shares or stops sharing reaches every host page of the meeting. */
function followStage(): void {
  if (!config.meetingId || config.frameContext !== 'sidePanel') return;
  const events = new EventSource(`/_host/meeting/events?${new URLSearchParams({ meeting: config.meetingId })}`);
  events.onmessage = (event: MessageEvent) => {
    const { stage } = JSON.parse(event.data as string) as { stage: HostState['stage'] | null };
    showStage(stage ?? undefined);
  };
}

/** What Teams' Save button does: tell the tab, then wait for its success or failure. */
function save(): Promise<HostState['saveState']> {
  if (!state.validity) return Promise.resolve(state.saveState);
  state.saveState = 'saving';
  state.saveFailure = undefined;
  renderSaveButton();
  const done = new Promise<HostState['saveState']>((resolve) => (saveWaiter = resolve));
  // teams-js answers success by itself when the page registered no save handler.
  post({ func: 'settings.save', args: [{}] });
  return done;
}

function setTheme(theme: Theme): void {
  config.theme = theme;
  document.documentElement.dataset.theme = theme;
  for (const to of framesOpen()) post({ func: 'themeChange', args: [theme] }, to);
  const picker = document.getElementById('theme') as HTMLSelectElement | null;
  if (picker) picker.value = theme;
}

function renderSaveButton(): void {
  const button = document.getElementById('save') as HTMLButtonElement | null;
  const status = document.getElementById('save-status');
  if (button) button.disabled = !state.validity || state.saveState === 'saving';
  if (status) {
    status.textContent =
      state.saveState === 'saving'
        ? 'Saving…'
        : state.saveState === 'failed'
          ? `The tab refused to save${state.saveFailure ? `: ${state.saveFailure}` : ''}`
          : state.saveState === 'saved'
            ? `Saved: ${state.settings?.contentUrl ?? ''}`
            : '';
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only a framed tab, from its own origin, may talk to this host.
  const from = framesOpen().find((f) => event.source === f.element.contentWindow && event.origin === f.origin);
  if (!from) return;
  const data = event.data as Partial<TabRequest> | undefined;
  if (!data || typeof data.func !== 'string' || typeof data.id !== 'number') return;
  handle(data as TabRequest, from);
});

document.getElementById('save')?.addEventListener('click', () => void save());
document.getElementById('cancel')?.addEventListener('click', () => {
  state.saveState = 'idle';
  renderSaveButton();
});
(document.getElementById('theme') as HTMLSelectElement | null)?.addEventListener('change', (event) => setTheme((event.target as HTMLSelectElement).value as Theme));
document.getElementById('share-to-stage')?.addEventListener('click', () => void shareToStage());
document.documentElement.dataset.theme = config.theme;
main.element.src = config.tabUrl;
renderSaveButton();
// After the page (and the framed tab) loaded: the stage's open event stream then never holds up the load event.
if (document.readyState === 'complete') followStage();
else window.addEventListener('load', followStage, { once: true });

export {};
