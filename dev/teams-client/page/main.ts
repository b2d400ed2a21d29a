/**
 * The local Teams client's page: who you are, your conversations with the bot, messages with their
 * cards, the compose box with the manifest's message extensions, and dialogs. Every action goes to
 * the client's server, which plays Teams towards the bot (src/start-teams-client.ts).
 */
import { matchesLinkDomain } from '../src/match-link-domain';
import { call, type Attachment, type Conversation, type Entry, type ExtensionCommand, type InvokeAnswer, type Person, type Setup } from './api';
import type { Theme } from './host-configs';
import { renderCard, renderMarkdown, type CardAction } from './render-card';
import { safeMessageHtml } from './safe-message-html';
import { teamsHtmlOf } from './teams-html-of';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const query = new URLSearchParams(location.search);

let setup: Setup;
let me: Person;
let theme: Theme = (query.get('theme') as Theme) || 'light';
let current: Conversation;
let entries: Entry[] = [];
let replyTo: string | undefined;
/** Cards this person got back from Action.Execute or a refresh: their own view of a message. */
const myViews = new Map<string, { card: unknown; basedOn: string }>();
const refreshed = new Set<string>();
/** Cards waiting in the compose box (a link's preview, a search result) until Send. */
let composeAttachments: Attachment[] = [];
let lastUnfurled = '';
/**
 * A message's open "..." menu and an edit in progress outlive a re-render: messages arriving meanwhile
 * (an alert, a refresh) redraw the list, and Teams does not close your menu or drop your draft for them.
 */
let openMenu: string | undefined;
let editing: { id: string; draft: string } | undefined;

const app = document.getElementById('app')!;

async function main(): Promise<void> {
  setup = await call<Setup>('GET', '/api/setup');
  me = setup.people.find((p) => p.handle === query.get('as')) ?? setup.people[0];
  current = visibleConversations().find((c) => c.id === query.get('c')) ?? visibleConversations()[0];
  layout();
  // Follow changes before the first load: a message arriving while the conversation opens is not missed.
  const events = new EventSource('/api/events');
  events.onmessage = (event) => {
    const { conversationId } = JSON.parse(event.data as string) as { conversationId: string };
    if (conversationId === current.id) void loadMessages();
  };
  await openConversation(current);
}

function visibleConversations(): Conversation[] {
  return setup.conversations.filter((c) => c.type !== 'personal' || c.personOf === me.handle);
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function layout(): void {
  app.className = `theme-${theme}`;
  app.replaceChildren();
  const people = el('select', { id: 'person', title: 'Who you are' });
  for (const p of setup.people) people.append(el('option', { value: p.handle, textContent: p.name, selected: p.handle === me.handle }));
  people.onchange = () => {
    // Another person is another window of Teams: reload as them.
    location.search = new URLSearchParams({ as: people.value, theme }).toString();
  };
  const themes = el('select', { id: 'theme', title: 'Theme' });
  for (const t of ['light', 'dark', 'contrast']) themes.append(el('option', { value: t, textContent: t, selected: t === theme }));
  themes.onchange = () => {
    theme = themes.value as Theme;
    app.className = `theme-${theme}`;
    renderMessages();
  };
  app.append(el('header', {}, el('span', { className: 'title', textContent: `Microsoft Teams (local) - ${setup.manifest.name}` }), 'You are', people, 'Theme', themes));
  const nav = el('nav', { id: 'conversations' });
  nav.append(el('div', { className: 'group', textContent: 'Chat' }));
  for (const c of visibleConversations().filter((c) => c.type !== 'channel')) nav.append(navButton(c));
  for (const c of visibleConversations().filter((c) => c.type === 'channel')) {
    nav.append(el('div', { className: 'group', textContent: c.teamName ?? 'Team' }), navButton(c));
  }
  app.append(nav, el('main', { id: 'main' }));
}

function navButton(c: Conversation): HTMLButtonElement {
  const button = el('button', { textContent: c.title, className: c.id === current.id ? 'active' : '' });
  button.dataset.conversation = c.type;
  button.onclick = () => void openConversation(c);
  return button;
}

async function openConversation(c: Conversation): Promise<void> {
  current = c;
  replyTo = undefined;
  openMenu = undefined;
  editing = undefined;
  composeAttachments = [];
  for (const b of document.querySelectorAll<HTMLButtonElement>('nav button')) b.classList.toggle('active', b.textContent === c.title);
  const main = document.getElementById('main')!;
  const title = el('div', { className: 'conv-title', textContent: c.type === 'channel' ? `${c.teamName} > ${c.title}` : c.title });
  if (c.meetingId && setup.sidePanel) title.append(' ', sidePanelButton(c, setup.sidePanel));
  if (c.meetingId) title.append(' ', endMeetingButton(c));
  main.replaceChildren(title, el('div', { className: 'messages', id: 'messages' }), compose());
  await call('POST', '/api/open', { as: me.handle, conversationId: c.id }).catch(() => undefined);
  await loadMessages();
}

/**
 * The meeting's side panel: the Teams host emulation frames the tab as this person, in this meeting:
 * its configuration the first time (as when the app is added to a meeting), then the panel; after
 * that the saved tab. The panel's header has Teams' Share to stage, the stage is beside it.
 */
function sidePanelButton(c: Conversation, where: { hostUrl: string; tabUrl: string }): HTMLButtonElement {
  const button = el('button', { className: 'side-panel', id: 'open-side-panel', textContent: 'Open side panel' });
  button.onclick = () => {
    const query = new URLSearchParams({
      tab: where.tabUrl,
      context: 'settings',
      then: 'sidePanel',
      name: me.name,
      oid: me.aadObjectId,
      tid: me.tenantId,
      meeting: c.meetingId ?? '',
      chat: c.id,
      theme: theme === 'light' ? 'default' : theme,
      // Once someone has added the tab to the meeting, everyone's panel opens that tab (its backlog) directly.
      reuse: '1',
    });
    window.open(`${where.hostUrl.replace(/\/$/, '')}/?${query}`, `side-panel-${me.handle}`, 'popup,width=1280,height=800');
  };
  return button;
}

/** Ends the meeting as its organizer would: Teams tells the bot (meetingEnd) in the meeting chat. */
function endMeetingButton(c: Conversation): HTMLButtonElement {
  const button = el('button', { className: 'end-meeting', id: 'end-meeting', textContent: 'End meeting' });
  button.onclick = async () => {
    button.disabled = true;
    try {
      const answer = await call<{ status: number }>('POST', '/api/meeting/end', { as: me.handle, conversationId: c.id });
      toast(answer.status < 300 ? 'The meeting ended.' : `The app did not take the meeting's end (HTTP ${answer.status}).`);
    } finally {
      button.disabled = false;
    }
  };
  return button;
}

async function loadMessages(): Promise<void> {
  entries = await call<Entry[]>('GET', `/api/messages?conversationId=${encodeURIComponent(current.id)}`);
  renderMessages();
}

function renderMessages(): void {
  const box = document.getElementById('messages');
  if (!box) return;
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  const roots = current.type === 'channel' ? entries.filter((e) => !e.threadId || e.threadId === e.id) : entries;
  for (const entry of roots) {
    box.append(messageView(entry));
    if (current.type !== 'channel') continue;
    const replies = entries.filter((e) => e.threadId === entry.id && e.id !== entry.id);
    const thread = el('div', { className: 'thread' }, ...replies.map(messageView));
    const reply = el('button', { className: 'reply-link', textContent: 'Reply' });
    reply.onclick = () => {
      replyTo = entry.id;
      updateReplying();
      document.querySelector<HTMLTextAreaElement>('#compose-text')?.focus();
    };
    thread.append(reply);
    box.append(thread);
  }
  if (atBottom || box.dataset.loaded !== current.id) box.scrollTop = box.scrollHeight;
  box.dataset.loaded = current.id;
}

function messageView(entry: Entry): HTMLElement {
  const mine = entry.from.id === me.id;
  const view = el('div', { className: `message${mine ? ' mine' : ''}` });
  view.dataset.id = entry.id;
  view.dataset.fromBot = String(entry.fromBot);
  const time = new Date(entry.time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  view.append(
    el(
      'div',
      { className: 'meta' },
      el('span', { className: 'author', textContent: entry.fromBot ? setup.bot.name : (entry.from.name ?? '') }),
      el('span', { textContent: time }),
      entry.edited ? el('span', { className: 'edited', textContent: 'Edited' }) : '',
    ),
  );
  if (entry.deleted) {
    view.append(el('div', { className: 'deleted', textContent: 'This message has been deleted.' }));
    return view;
  }
  const body = el('div', { className: 'body' });
  if (entry.fromBot && entry.text) body.innerHTML = renderMarkdown(entry.text);
  else if (entry.html) body.append(safeMessageHtml(entry.html));
  else if (entry.text) body.textContent = entry.text;
  view.append(body);
  for (const [index, attachment] of (entry.attachments ?? []).entries()) {
    if (attachment.contentType !== ADAPTIVE) continue;
    view.append(cardOfMessage(entry, index, attachment.content, view));
  }
  const actions = setup.manifest.extensionCommands.filter((c) => c.type === 'action' && c.context.includes('message'));
  const own = mine && !entry.fromBot;
  if (actions.length || own) {
    const more = el('button', { className: 'more', textContent: '...', title: 'More actions' });
    more.onclick = () => {
      openMenu = entry.id;
      view.querySelector('.menu')?.remove();
      view.append(messageMenu(entry, body, actions, own));
    };
    view.append(more);
    if (openMenu === entry.id) view.append(messageMenu(entry, body, actions, own));
  }
  if (editing?.id === entry.id) startEdit(entry, body);
  return view;
}

function messageMenu(entry: Entry, body: HTMLElement, actions: ExtensionCommand[], own: boolean): HTMLElement {
  const menu = el('div', { className: 'menu' });
  const close = () => {
    openMenu = undefined;
    menu.remove();
  };
  if (own) {
    const editItem = el('button', { textContent: 'Edit' });
    editItem.onclick = () => {
      close();
      startEdit(entry, body);
    };
    const deleteItem = el('button', { textContent: 'Delete' });
    deleteItem.onclick = () => {
      close();
      void call('POST', '/api/delete', { as: me.handle, conversationId: current.id, id: entry.id });
    };
    menu.append(editItem, deleteItem);
  }
  for (const command of actions) {
    const item = el('button', { textContent: command.title });
    item.onclick = () => {
      close();
      void startAction(command, 'message', entry);
    };
    menu.append(item);
  }
  return menu;
}

/** Edits one's own message in place, as Teams does: the text as typed again, Save or Cancel. */
function startEdit(entry: Entry, body: HTMLElement): void {
  if (editing?.id !== entry.id) editing = { id: entry.id, draft: plainOf(entry) };
  const editor = el('textarea', { className: 'edit-text', value: editing.draft });
  editor.oninput = () => {
    if (editing?.id === entry.id) editing.draft = editor.value;
  };
  const save = el('button', { className: 'primary edit-save', textContent: 'Save' });
  const cancel = el('button', { className: 'plain', textContent: 'Cancel' });
  cancel.onclick = () => {
    editing = undefined;
    renderMessages();
  };
  save.onclick = async () => {
    editing = undefined;
    const mentionable = [...setup.people.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })), { id: setup.bot.id, name: setup.bot.name }];
    const formatted = teamsHtmlOf(editor.value, mentionable);
    await call('POST', '/api/edit', { as: me.handle, conversationId: current.id, id: entry.id, text: formatted.text, html: formatted.html });
  };
  body.replaceChildren(editor, el('div', { className: 'row' }, save, cancel));
  editor.focus();
}

/** What the person typed, back from the sent text (mentions as @Name again). */
function plainOf(entry: Entry): string {
  return (entry.text ?? '').replace(/<at>([^<]*)<\/at>/g, '@$1');
}

/** A card in a message: this person's own view if they have one, and an automatic refresh when the card names them. */
function cardOfMessage(entry: Entry, index: number, original: any, view: HTMLElement): HTMLElement {
  const basedOn = JSON.stringify(original);
  const key = `${entry.id}:${index}`;
  const own = myViews.get(key);
  if (own && own.basedOn !== basedOn) myViews.delete(key);
  const card = myViews.get(key)?.card ?? original;
  const refresh = original?.refresh;
  const refreshKey = `${key}:${basedOn.length}:${hash(basedOn)}`;
  // Teams refreshes a card on its own for the people its userIds name, or, with no userIds, for
  // everyone in a conversation of 60 or fewer (every local one): each sees their own view.
  const forMe = Array.isArray(refresh?.userIds) ? refresh.userIds.includes(me.id) : true;
  if (refresh?.action && forMe && !refreshed.has(refreshKey)) {
    refreshed.add(refreshKey);
    void execute(entry, key, basedOn, { verb: refresh.action.verb, id: refresh.action.id, data: refresh.action.data ?? {} }, 'automatic', view);
  }
  return renderCard(card, theme, (action) => void onCardAction(action, entry, key, basedOn, view));
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

async function onCardAction(action: CardAction, entry: Entry, key: string, basedOn: string, view: HTMLElement): Promise<void> {
  if (action.kind === 'openUrl') {
    window.open(action.url, '_blank', 'noopener');
    return;
  }
  if (action.kind === 'execute') {
    await execute(entry, key, basedOn, action, 'manual', view);
    return;
  }
  const data = action.data ?? {};
  if (data?.msteams?.type === 'task/fetch') {
    await openBotDialog(entry, data);
    return;
  }
  // A plain Action.Submit: Teams posts a message carrying the inputs as its value.
  await call('POST', '/api/send', { as: me.handle, conversationId: current.id, threadId: threadOf(entry), submit: true, value: data, replyToId: entry.id });
}

function threadOf(entry: Entry): string | undefined {
  return current.type === 'channel' ? (entry.threadId ?? entry.id) : undefined;
}

async function execute(
  entry: Entry,
  key: string,
  basedOn: string,
  action: { verb: string; id?: string; data: Record<string, unknown> },
  trigger: 'manual' | 'automatic',
  view: HTMLElement,
): Promise<void> {
  const value = { action: { type: 'Action.Execute', id: action.id ?? action.verb, verb: action.verb, data: action.data }, trigger };
  const answer = await invoke('adaptiveCard/action', value, { replyToId: entry.id, threadId: threadOf(entry) });
  const body = answer.body ?? {};
  if (answer.status === 200 && body.type === ADAPTIVE) {
    myViews.set(key, { card: body.value, basedOn });
    renderMessages();
    return;
  }
  if (answer.status === 200 && body.type === 'application/vnd.microsoft.activity.message') {
    toast(String(body.value ?? ''));
    return;
  }
  if (trigger === 'manual') showCardError(view, body.value?.message ?? `The app did not answer (HTTP ${answer.status}).`);
}

function showCardError(view: HTMLElement, message: string): void {
  view.querySelector('.error')?.remove();
  view.append(el('div', { className: 'error', textContent: message }));
}

function invoke(name: string, value: unknown, extra: { replyToId?: string; threadId?: string; source?: string } = {}): Promise<InvokeAnswer> {
  return call<InvokeAnswer>('POST', '/api/invoke', { as: me.handle, conversationId: current.id, name, value, ...extra });
}

// ---- compose box, link unfurls, message extensions ----

function compose(): HTMLElement {
  const box = el('div', { className: 'compose', id: 'compose' });
  const replying = el('div', { className: 'replying', id: 'replying' });
  const previews = el('div', { id: 'compose-previews' });
  const search = el('div', { id: 'compose-search' });
  const text = el('textarea', { id: 'compose-text', placeholder: current.type === 'personal' ? 'Type a message' : 'Type a message; start with @Jira to talk to the bot' });
  const send = el('button', { className: 'send', textContent: 'Send', id: 'send' });
  send.onclick = () => void sendMessage(text);
  text.onkeydown = (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void sendMessage(text);
    }
  };
  text.oninput = () => void unfurlLinks(text.value);
  const tools = el('div', { className: 'compose-tools' });
  for (const command of setup.manifest.extensionCommands.filter((c) => c.context.includes('compose'))) {
    const button = el('button', { textContent: command.title });
    button.dataset.command = command.id;
    button.onclick = () => void (command.type === 'query' ? openSearch(command) : startAction(command, 'compose'));
    tools.append(button);
  }
  box.append(replying, search, previews, el('div', { className: 'row' }, text, send), tools);
  setTimeout(updateReplying);
  return box;
}

function updateReplying(): void {
  const replying = document.getElementById('replying');
  if (!replying) return;
  replying.textContent = replyTo ? 'Replying in thread' : current.type === 'channel' ? 'New post' : '';
}

async function sendMessage(text: HTMLTextAreaElement): Promise<void> {
  const value = text.value.trim();
  if (!value && composeAttachments.length === 0) return;
  const attachments = composeAttachments.map(({ contentType, content }) => ({ contentType, content }));
  text.value = '';
  composeAttachments = [];
  lastUnfurled = '';
  renderPreviews();
  // As Teams does: the message goes as HTML with its formatting, and @Name of a person or of the bot is a mention.
  const mentionable = [...setup.people.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })), { id: setup.bot.id, name: setup.bot.name }];
  const formatted = teamsHtmlOf(value, mentionable);
  await call('POST', '/api/send', {
    as: me.handle,
    conversationId: current.id,
    text: formatted.text,
    html: formatted.html,
    mentions: formatted.mentions,
    threadId: replyTo,
    ...(attachments.length ? { attachments } : {}),
  });
}

/** As Teams does on paste: a link to one of the manifest's domains runs queryLink and its card waits in the compose box. */
async function unfurlLinks(text: string): Promise<void> {
  const url = /https?:\/\/\S+/.exec(text)?.[0];
  if (!url || url === lastUnfurled || !matchesLinkDomain(url, setup.manifest.linkDomains)) return;
  lastUnfurled = url;
  const answer = await invoke('composeExtension/queryLink', { url }, { source: 'compose' });
  const result = answer.body?.composeExtension;
  if (result?.type === 'result' && result.attachments?.length) {
    composeAttachments = [...composeAttachments, result.attachments[0]];
    renderPreviews();
  } else if (result?.type === 'auth' || result?.type === 'silentAuth') {
    const action = result.suggestedActions?.actions?.[0];
    toast(`${action?.title ?? 'Sign in'} to preview this link: ${action?.value ?? ''}`);
  }
}

function renderPreviews(): void {
  const holder = document.getElementById('compose-previews');
  if (!holder) return;
  holder.replaceChildren(
    ...composeAttachments.map((attachment, index) => {
      const preview = el('div', { className: 'preview' });
      const remove = el('button', { className: 'remove', textContent: 'x', title: 'Remove' });
      remove.onclick = () => {
        composeAttachments.splice(index, 1);
        renderPreviews();
      };
      preview.append(remove, attachment.contentType === ADAPTIVE ? renderCard(attachment.content, theme, () => undefined) : el('div', { textContent: attachment.contentType }));
      return preview;
    }),
  );
}

async function openSearch(command: ExtensionCommand): Promise<void> {
  const holder = document.getElementById('compose-search')!;
  const parameter = command.parameters?.[0]?.name ?? 'searchQuery';
  const input = el('input', { placeholder: command.parameters?.[0]?.title ?? 'Search', id: 'search-input' });
  const results = el('div', { id: 'search-results' });
  const close = el('button', { textContent: 'Close', className: 'plain' });
  close.onclick = () => holder.replaceChildren();
  holder.replaceChildren(el('div', { className: 'search' }, input, results, close));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (parameters: Array<{ name: string; value: string }>) => {
    const answer = await invoke('composeExtension/query', { commandId: command.id, parameters, queryOptions: { skip: 0, count: 25 } }, { source: 'compose' });
    const result = answer.body?.composeExtension;
    if (result?.type === 'message') {
      results.replaceChildren(el('div', { textContent: String(result.text ?? '') }));
      return;
    }
    const attachments: Attachment[] = result?.attachments ?? [];
    results.replaceChildren(...(attachments.length ? attachments.map((attachment) => resultRow(attachment, holder)) : [el('div', { textContent: 'No results' })]));
  };
  input.oninput = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run([{ name: parameter, value: input.value }]), 300);
  };
  input.focus();
  if (command.initialRun) await run([{ name: 'initialRun', value: 'true' }]);
}

function resultRow(attachment: Attachment, holder: HTMLElement): HTMLElement {
  const preview = attachment.preview?.content ?? {};
  const row = el(
    'div',
    { className: 'result' },
    el('div', { textContent: String(preview.title ?? '') }),
    el('div', { className: 'sub', textContent: stripTags(String(preview.text ?? preview.subtitle ?? '')) }),
  );
  row.onclick = () => {
    composeAttachments = [...composeAttachments, attachment];
    holder.replaceChildren();
    renderPreviews();
  };
  return row;
}

function stripTags(html: string): string {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.textContent ?? '';
}

// ---- dialogs: task modules and message extension actions ----

interface DialogOrigin {
  kind: 'bot' | 'extension';
  command?: ExtensionCommand;
  commandContext?: string;
  messagePayload?: unknown;
  entry?: Entry;
}

function messagePayloadOf(entry: Entry): unknown {
  const html = entry.html ?? (entry.text ? `<p>${entry.text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</p>` : '');
  const sender = setup.people.find((p) => p.id === entry.from.id);
  return {
    id: entry.id,
    replyToId: entry.threadId && entry.threadId !== entry.id ? entry.threadId : null,
    createdDateTime: new Date(entry.time).toISOString(),
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(current.id)}/${entry.id}`,
    deleted: false,
    importance: 'normal',
    locale: 'en-us',
    body: { contentType: 'html', content: html },
    from: entry.fromBot
      ? { application: { applicationIdentityType: 'bot', id: setup.bot.id, displayName: setup.bot.name }, user: null }
      : { user: { userIdentityType: 'aadUser', id: sender?.aadObjectId, displayName: entry.from.name }, application: null },
    attachments: (entry.attachments ?? []).map((a) => ({ contentType: a.contentType, content: JSON.stringify(a.content) })),
    mentions: (entry.mentions ?? []).map((m, id) => {
      const person = setup.people.find((p) => p.id === m.id);
      return person
        ? { id, mentionText: m.name, mentioned: { user: { id: person.aadObjectId, displayName: m.name, userIdentityType: 'aadUser' }, application: null } }
        : { id, mentionText: m.name, mentioned: { application: { id: m.id, displayName: m.name, applicationIdentityType: 'bot' }, user: null } };
    }),
    reactions: [],
  };
}

async function startAction(command: ExtensionCommand, commandContext: 'message' | 'compose', entry?: Entry): Promise<void> {
  const messagePayload = entry ? messagePayloadOf(entry) : undefined;
  const origin: DialogOrigin = { kind: 'extension', command, commandContext, messagePayload, entry };
  const value = {
    commandId: command.id,
    commandContext,
    ...(messagePayload ? { messagePayload } : {}),
    context: { theme: theme === 'contrast' ? 'contrast' : theme === 'dark' ? 'dark' : 'default' },
  };
  const answer = await invoke('composeExtension/fetchTask', value, { source: commandContext, threadId: entry ? threadOf(entry) : replyTo });
  handleDialogAnswer(answer, origin, command.title);
}

async function openBotDialog(entry: Entry, data: any): Promise<void> {
  const answer = await invoke('task/fetch', { data, context: { theme } }, { replyToId: entry.id, threadId: threadOf(entry) });
  handleDialogAnswer(answer, { kind: 'bot', entry }, 'Dialog');
}

function handleDialogAnswer(answer: InvokeAnswer, origin: DialogOrigin, fallbackTitle: string): void {
  const body = answer.body ?? {};
  const task = body.task;
  const extension = body.composeExtension;
  if (answer.status >= 300) {
    showDialogMessage(fallbackTitle, `The app did not answer (HTTP ${answer.status}).`);
    return;
  }
  if (task?.type === 'continue') {
    const value = task.value ?? {};
    if (value.card) showDialog(value.title ?? fallbackTitle, value.card.content ?? value.card, origin);
    else if (value.url && setup.dialogHostUrl) showUrlDialog(setup.dialogHostUrl, value, origin, fallbackTitle);
    else if (value.url)
      showDialogMessage(value.title ?? fallbackTitle, `This dialog is a web page (the client was started without the Teams host emulation): ${value.url}`, value.url);
    return;
  }
  closeDialog();
  if (task?.type === 'message') toast(String(task.value ?? ''));
  if (extension?.type === 'result' && extension.attachments?.length) {
    composeAttachments = [...composeAttachments, ...extension.attachments];
    renderPreviews();
  } else if (extension?.type === 'message') {
    toast(String(extension.text ?? ''));
  } else if (extension?.type === 'auth' || extension?.type === 'silentAuth') {
    const action = extension.suggestedActions?.actions?.[0];
    showDialogMessage('Sign in', `${action?.title ?? 'Sign in'} first.`, action?.value);
  } else if (extension?.type === 'botMessagePreview') {
    showPreviewDialog(extension.activityPreview, origin);
  }
}

/** What a closing dialog must undo (a URL dialog's message listener). */
let dialogClosers: Array<() => void> = [];

function closeDialog(): void {
  for (const undo of dialogClosers) undo();
  dialogClosers = [];
  document.getElementById('dialog')?.remove();
}

function dialogFrame(title: string): HTMLElement {
  closeDialog();
  const dialog = el('div', { className: 'dialog', role: 'dialog' });
  const close = el('button', { className: 'plain close', textContent: 'Close' });
  close.onclick = closeDialog;
  dialog.append(close, el('h2', { textContent: title }));
  document.body.append(el('div', { className: `overlay theme-${theme}`, id: 'dialog' }, dialog));
  return dialog;
}

function showDialogMessage(title: string, text: string, url?: string): void {
  const dialog = dialogFrame(title);
  dialog.append(el('p', { textContent: text }));
  if (url) dialog.append(el('a', { href: url, target: '_blank', textContent: url }));
}

/** Teams' dialog sizes when taskInfo names one instead of pixels. */
const DIALOG_SIZES: Record<string, { width: number; height: number }> = {
  small: { width: 480, height: 320 },
  medium: { width: 640, height: 460 },
  large: { width: 860, height: 640 },
};

function dialogSize(value: unknown, axis: 'width' | 'height'): number {
  if (typeof value === 'number' && value >= 100) return Math.min(value, axis === 'width' ? 1200 : 900);
  return DIALOG_SIZES[typeof value === 'string' ? value : 'small']?.[axis] ?? DIALOG_SIZES.small[axis];
}

/**
 * A URL dialog (taskInfo with `url`): the page is framed by the Teams host emulation as frameContext
 * `task`, which answers its teams-js calls as for the tab; its `dialog.url.submit(result)` comes back
 * here (a `teamsHost.dialogSubmit` message from the host page) and goes to the app as task/submit, or
 * composeExtension/submitAction for a message extension's command, as Teams does.
 */
function showUrlDialog(hostUrl: string, value: any, origin: DialogOrigin, fallbackTitle: string): void {
  const title = String(value.title ?? fallbackTitle);
  const dialog = dialogFrame(title);
  dialog.classList.add('url-dialog');
  const query = new URLSearchParams({
    tab: String(value.url),
    context: 'task',
    name: me.name,
    oid: me.aadObjectId,
    tid: me.tenantId,
    chat: current.id,
    theme: theme === 'light' ? 'default' : theme,
    parent: location.origin,
  });
  const frame = el('iframe', { id: 'dialog-frame', title, src: `${hostUrl.replace(/\/$/, '')}/?${query}` });
  frame.style.width = `${dialogSize(value.width, 'width')}px`;
  frame.style.height = `${dialogSize(value.height, 'height')}px`;
  dialog.append(frame);
  const hostOrigin = new URL(hostUrl).origin;
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== hostOrigin || event.source !== frame.contentWindow || event.data?.func !== 'teamsHost.dialogSubmit') return;
    window.removeEventListener('message', onMessage);
    void submitDialog(event.data.args?.[0], origin, title);
  };
  window.addEventListener('message', onMessage);
  dialogClosers.push(() => window.removeEventListener('message', onMessage));
}

function showDialog(title: string, card: unknown, origin: DialogOrigin): void {
  const dialog = dialogFrame(title);
  dialog.append(
    renderCard(card, theme, (action) => {
      if (action.kind === 'openUrl') window.open(action.url, '_blank', 'noopener');
      else void submitDialog(action.data, origin, title);
    }),
  );
}

async function submitDialog(data: any, origin: DialogOrigin, title: string): Promise<void> {
  const answer =
    origin.kind === 'bot'
      ? await invoke('task/submit', { data, context: { theme } }, { replyToId: origin.entry?.id, threadId: origin.entry ? threadOf(origin.entry) : undefined })
      : await invoke(
          'composeExtension/submitAction',
          {
            commandId: origin.command!.id,
            commandContext: origin.commandContext,
            data,
            ...(origin.messagePayload ? { messagePayload: origin.messagePayload } : {}),
            context: { theme },
          },
          { source: origin.commandContext, threadId: origin.entry ? threadOf(origin.entry) : replyTo },
        );
  handleDialogAnswer(answer, origin, title);
}

/**
 * A message extension's botMessagePreview: the card the bot would post, with Edit and Send, as Teams
 * shows it. Both go back to the bot as composeExtension/submitAction carrying botMessagePreviewAction
 * and the preview (botActivityPreview): on Edit the bot answers with its dialog again, on Send it posts
 * the message itself.
 */
function showPreviewDialog(activity: any, origin: DialogOrigin): void {
  const title = origin.command?.title ?? 'Preview';
  const dialog = dialogFrame(title);
  dialog.classList.add('preview-dialog');
  for (const attachment of activity?.attachments ?? []) if (attachment.contentType === ADAPTIVE) dialog.append(renderCard(attachment.content, theme, () => undefined));
  const previewAction = async (action: 'edit' | 'send') => {
    const answer = await invoke(
      'composeExtension/submitAction',
      {
        commandId: origin.command!.id,
        commandContext: origin.commandContext,
        botMessagePreviewAction: action,
        botActivityPreview: [activity],
        ...(origin.messagePayload ? { messagePayload: origin.messagePayload } : {}),
        context: { theme },
      },
      { source: origin.commandContext, threadId: origin.entry ? threadOf(origin.entry) : replyTo },
    );
    handleDialogAnswer(answer, origin, title);
  };
  const edit = el('button', { className: 'secondary', id: 'preview-edit', textContent: 'Edit' });
  edit.onclick = () => void previewAction('edit');
  const send = el('button', { className: 'primary', id: 'preview-send', textContent: 'Send' });
  send.onclick = () => void previewAction('send');
  dialog.append(el('div', { className: 'preview-actions' }, edit, send));
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(text: string): void {
  document.querySelector('.toast')?.remove();
  const node = el('div', { className: 'toast', id: 'toast', textContent: text });
  document.body.append(node);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.remove(), 6000);
}

main().catch((error: unknown) => {
  app.textContent = `The local Teams client could not start: ${error instanceof Error ? error.message : String(error)}`;
});
