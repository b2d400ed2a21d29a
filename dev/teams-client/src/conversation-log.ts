import { EventEmitter } from 'node:events';
import type { RecordedCall } from '../../bot-connector-emu/src';

/** One message as the client shows it: the person's or the bot's, with its current content. */
export interface LogEntry {
  id: string;
  /** The conversation without `;messageid=` (a channel's id for every post and reply). */
  conversationId: string;
  /** Channel replies: the id of the post they answer. */
  threadId?: string;
  from: { id: string; name?: string };
  fromBot: boolean;
  time: number;
  text?: string;
  /** People's messages: the Teams HTML the page made of what they typed (formatting, mentions). */
  html?: string;
  /** Whom a person's message @mentions, in the order of its `<at id="N">` tags. */
  mentions?: Array<{ id: string; name: string; aadObjectId?: string }>;
  textFormat?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  attachmentLayout?: string;
  edited?: boolean;
  deleted?: boolean;
}

/**
 * Every conversation's messages: what people send through the client, and what the bot sends,
 * updates and deletes at the Bot Connector emulation. `changed` fires after each change.
 */
export class ConversationLog {
  private readonly entries: LogEntry[] = [];
  readonly events = new EventEmitter();

  constructor() {
    // One listener per open window's live feed; many windows are normal.
    this.events.setMaxListeners(0);
  }

  list(conversationId: string): LogEntry[] {
    return this.entries.filter((e) => e.conversationId === conversationId);
  }

  find(id: string): LogEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  add(entry: LogEntry): void {
    this.entries.push(entry);
    this.events.emit('changed', entry.conversationId);
  }

  /** A person's edit of their own message: new content, marked edited. */
  edit(id: string, content: { text: string; html?: string }): void {
    const entry = this.find(id);
    if (!entry) return;
    Object.assign(entry, { text: content.text, html: content.html, edited: true });
    this.events.emit('changed', entry.conversationId);
  }

  /** A person deleted their own message: Teams keeps its place and says so. */
  remove(id: string): void {
    const entry = this.find(id);
    if (!entry) return;
    Object.assign(entry, { deleted: true, text: undefined, html: undefined, attachments: undefined });
    this.events.emit('changed', entry.conversationId);
  }

  /** Applies an accepted call of the bot: a new message, an update in place, or a deletion. */
  applyBotCall(call: RecordedCall): void {
    if (call.status < 200 || call.status >= 300 || !call.conversationId) return;
    const [base, thread] = splitConversationId(call.conversationId);
    const body = call.body ?? {};
    switch (call.kind) {
      case 'sendToConversation':
      case 'replyToActivity': {
        if (body.type && body.type !== 'message') return;
        const id = (call.response as { id?: string } | undefined)?.id;
        if (!id) return;
        this.add({ id, conversationId: base, threadId: thread, from: body.from ?? { id: 'bot' }, fromBot: true, time: call.time, ...content(body) });
        return;
      }
      case 'updateActivity': {
        const entry = this.find(call.activityId ?? '');
        if (!entry) return;
        Object.assign(entry, { text: undefined, attachments: undefined }, content(body), { edited: true });
        this.events.emit('changed', entry.conversationId);
        return;
      }
      case 'deleteActivity': {
        const entry = this.find(call.activityId ?? '');
        if (!entry) return;
        Object.assign(entry, { deleted: true, text: undefined, attachments: undefined });
        this.events.emit('changed', entry.conversationId);
        return;
      }
      default:
    }
  }
}

/** `19:x@thread.tacv2;messageid=123` -> [`19:x@thread.tacv2`, `123`]. */
export function splitConversationId(id: string): [string, string | undefined] {
  const [base, rest] = id.split(';messageid=');
  return [base, rest];
}

function content(body: any): Partial<LogEntry> {
  return {
    ...(typeof body.text === 'string' ? { text: body.text } : {}),
    ...(body.textFormat ? { textFormat: body.textFormat } : {}),
    ...(Array.isArray(body.attachments) ? { attachments: body.attachments } : {}),
    ...(body.attachmentLayout ? { attachmentLayout: body.attachmentLayout } : {}),
  };
}
