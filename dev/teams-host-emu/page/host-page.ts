/**
 * The browser half of the Teams host emulation: frames the tab and answers teams-js the way the
 * Teams web client does (message shapes read from @microsoft/teams-js 2.x: requests are
 * `{ id, uuidAsString, func, args }`, answers `{ id, uuidAsString, args }`, host events
 * `{ func, args }` with no id). Runs as a module script; the server puts the settings in
 * `window.teamsHostConfig`.
 */

type FrameContext = 'content' | 'settings' | 'sidePanel' | 'meetingStage';
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
}

interface TabRequest {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

interface HostState {
  config: HostConfig;
  /** Every request the tab sent, in order (func and args, tokens replaced). */
  messages: Array<{ func: string; args: unknown[] }>;
  initialized: boolean;
  validity: boolean;
  saveHandlerRegistered: boolean;
  saveState: 'idle' | 'saving' | 'saved' | 'failed';
  saveFailure?: string;
  settings?: { contentUrl?: string; entityId?: string; suggestedDisplayName?: string; websiteUrl?: string };
  save(): Promise<HostState['saveState']>;
  setTheme(theme: Theme): void;
}

declare global {
  interface Window {
    teamsHostConfig: HostConfig;
    teamsHost: HostState;
  }
}

const config = window.teamsHostConfig;
const frame = document.getElementById('tab') as HTMLIFrameElement;
const tabOrigin = new URL(config.tabUrl).origin;
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
};
window.teamsHost = state;

function post(message: unknown): void {
  frame.contentWindow?.postMessage(message, tabOrigin);
}

function answer(request: TabRequest, args: unknown[]): void {
  post({ id: request.id, uuidAsString: request.uuidAsString, args });
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
function context(): Record<string, unknown> {
  return {
    locale: 'en-us',
    theme: config.theme,
    frameContext: config.frameContext,
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

function record(request: TabRequest): void {
  state.messages.push({ func: request.func, args: request.args ?? [] });
  const log = document.getElementById('log');
  if (log) {
    const line = document.createElement('div');
    line.textContent = `${new Date().toISOString().slice(11, 23)} ${request.func}`;
    log.prepend(line);
  }
}

function handle(request: TabRequest): void {
  record(request);
  const args = request.args ?? [];
  switch (request.func) {
    case 'initialize':
      state.initialized = true;
      // [frameContext, hostClientType, runtimeConfig, clientSupportedSDKVersion]
      answer(request, [config.frameContext, 'web', runtimeConfig(), typeof args[0] === 'string' ? args[0] : '2.0.0']);
      return;
    case 'getContext':
      answer(request, [context()]);
      return;
    case 'authentication.getAuthToken':
      fetchToken().then(
        (token) => answer(request, [true, token]),
        (error: Error) => answer(request, [false, error.message]),
      );
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
      answer(request, [true]);
      return;
    case 'settings.getSettings':
      answer(request, [state.settings ?? {}]);
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
  if (result === 'saved' && config.then && state.settings?.contentUrl) {
    const next = new URL(window.location.href);
    next.searchParams.set('tab', state.settings.contentUrl);
    next.searchParams.set('context', config.then);
    next.searchParams.delete('then');
    if (state.settings.entityId) next.searchParams.set('entityId', state.settings.entityId);
    window.location.assign(next.toString());
  }
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
  post({ func: 'themeChange', args: [theme] });
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
  // Only the framed tab, from the tab's origin, may talk to this host.
  if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
  const data = event.data as Partial<TabRequest> | undefined;
  if (!data || typeof data.func !== 'string' || typeof data.id !== 'number') return;
  handle(data as TabRequest);
});

document.getElementById('save')?.addEventListener('click', () => void save());
document.getElementById('cancel')?.addEventListener('click', () => {
  state.saveState = 'idle';
  renderSaveButton();
});
(document.getElementById('theme') as HTMLSelectElement | null)?.addEventListener('change', (event) => setTheme((event.target as HTMLSelectElement).value as Theme));
document.documentElement.dataset.theme = config.theme;
frame.src = config.tabUrl;
renderSaveButton();

export {};
