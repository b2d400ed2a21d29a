export interface PostActivityResult {
  status: number;
  /** Parsed JSON when the bot answered JSON (invoke responses), the raw text otherwise, undefined when empty. */
  body: any;
}

/** POSTs an activity to a bot's messaging endpoint the way the Bot Connector does. */
export async function postActivity(botUrl: string, activity: unknown, options: { token?: string } = {}): Promise<PostActivityResult> {
  const endpoint = /\/api\/messages\/?$/.test(new URL(botUrl).pathname) ? botUrl : new URL('/api/messages', botUrl).toString();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  return { status: response.status, body: parseBody(text, response.headers.get('content-type')) };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) return JSON.parse(text);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
