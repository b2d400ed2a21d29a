import { openTextWebSocket, type TextWebSocket } from './open-text-web-socket';

/** What the Playground's UI reads from `/_internal/v1/config` (the parts tests need). */
export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: { id: string; name: string; aadObjectId: string; email?: string };
  personalChat: { id: string; name: string };
  groupChats: Array<{ id: string; name: string; members: string[] }>;
  teams: Array<{ id: string; name: string; aadGroupId: string; channels: Array<{ id: string; name: string }>; members: string[] }>;
}

/** A message the Playground shows in a conversation, as its UI stream delivers it. */
export interface PlaygroundMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
}

export interface PlaygroundEvent {
  action: string;
  actionConversationId?: string;
  message?: PlaygroundMessage;
  [key: string]: unknown;
}

export interface PlaygroundClient {
  url: string;
  /** Like the UI on load: also what makes the Playground reach the bot and open its conversations. */
  config(): Promise<PlaygroundConfig>;
  /** Types a message as the current user, the way the UI's compose box does. */
  sendMessage(conversationId: string, text: string, options?: { fromId?: string }): Promise<{ messageId: string }>;
  /** Every event of the conversation stream so far. */
  readonly events: readonly PlaygroundEvent[];
  /** Resolves with the first message the bot posts into the conversation after this call's events so far. */
  waitForBotMessage(options: { conversationId: string; botId: string; timeoutMs?: number; after?: number }): Promise<PlaygroundMessage>;
  close(): Promise<void>;
}

/**
 * Drives the Microsoft 365 Agents Playground through the HTTP and WebSocket API its own web UI uses
 * (`/_internal/v1/config`, `/_conversation/v1/conversations/{id}/messages`, `/_ws_conversation/v1/conversations/stream`).
 */
export async function connectPlayground(url: string): Promise<PlaygroundClient> {
  const base = url.replace(/\/$/, '');
  const socket: TextWebSocket = await openTextWebSocket(`${base.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`);
  const events: PlaygroundEvent[] = [];
  const waiters = new Set<() => void>();
  socket.onText((text) => {
    try {
      events.push(JSON.parse(text) as PlaygroundEvent);
    } catch {
      return;
    }
    for (const waiter of waiters) waiter();
  });
  let currentUserId: string | undefined;

  const config = async (): Promise<PlaygroundConfig> => {
    const response = await fetch(`${base}/_internal/v1/config`);
    if (!response.ok) throw new Error(`Playground config: HTTP ${response.status}`);
    const body = (await response.json()) as { config: PlaygroundConfig };
    currentUserId = body.config.currentUser.id;
    return body.config;
  };

  return {
    url: base,
    config,
    events,
    async sendMessage(conversationId, text, options = {}) {
      const fromId = options.fromId ?? currentUserId ?? (await config()).currentUser.id;
      const response = await fetch(`${base}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: { id: fromId }, text, textFormat: 'plain' }),
      });
      const body = await response.text();
      if (!response.ok) throw new Error(`Playground refused the message: HTTP ${response.status} ${body}`);
      return JSON.parse(body) as { messageId: string };
    },
    waitForBotMessage({ conversationId, botId, timeoutMs = 10_000, after = 0 }) {
      const find = () => events.slice(after).find((e) => e.action === 'createMessage' && e.actionConversationId === conversationId && e.message?.from.id === botId)?.message;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find();
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = events.map((e) => e.action).join(', ') || 'none';
          reject(new Error(`No bot message in ${conversationId} within ${timeoutMs} ms (stream events: ${seen})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}
