/** The client's server: the Teams side of the wire (see src/start-teams-client.ts). */
export interface Person {
  handle: string;
  id: string;
  name: string;
  aadObjectId: string;
  tenantId: string;
  email?: string;
}

export interface Conversation {
  id: string;
  type: 'personal' | 'groupChat' | 'channel';
  title: string;
  teamName?: string;
  personOf?: string;
  meetingId?: string;
}

export interface ExtensionCommand {
  id: string;
  type: 'query' | 'action';
  title: string;
  description?: string;
  context: string[];
  fetchTask?: boolean;
  initialRun?: boolean;
  parameters?: Array<{ name: string; title?: string; description?: string }>;
}

export interface Setup {
  people: Person[];
  conversations: Conversation[];
  bot: { id: string; name: string };
  /** Where the meeting's side panel opens (dev/teams-host-emu), when the client was told. */
  sidePanel?: { hostUrl: string; tabUrl: string };
  /** dev/teams-host-emu's URL, which frames URL dialogs (frameContext task), when the client was told. */
  dialogHostUrl?: string;
  manifest: { name: string; botCommands: Record<string, Array<{ title: string; description?: string }>>; extensionCommands: ExtensionCommand[]; linkDomains: string[] };
}

export interface Attachment {
  contentType: string;
  content: any;
  preview?: { contentType: string; content: any };
}

export interface Entry {
  id: string;
  conversationId: string;
  threadId?: string;
  from: { id: string; name?: string };
  fromBot: boolean;
  time: number;
  text?: string;
  html?: string;
  mentions?: Array<{ id: string; name: string; aadObjectId?: string }>;
  textFormat?: string;
  attachments?: Attachment[];
  edited?: boolean;
  deleted?: boolean;
}

export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(parsed.error ?? `HTTP ${response.status}`);
  return parsed;
}

/** What the bot answered to an invoke: HTTP status and the invoke response body. */
export interface InvokeAnswer {
  status: number;
  body: any;
}
