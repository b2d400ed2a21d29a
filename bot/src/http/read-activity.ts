import type { Request } from 'restify';
import { readRawBody } from './read-raw-body';

/**
 * Teams caps a message near 100 KB and an Adaptive Card at 28 KB; one activity can carry a message
 * up to three times (text, its HTML attachment, a message action's messagePayload), so 512 KB is
 * well above anything Teams sends and an eighth of the old 4 MB.
 */
export const MAX_ACTIVITY_BYTES = 512 * 1024;

/** Deeper than anything Teams sends (cards nest about a dozen levels); deeper input is refused. */
const MAX_DEPTH = 64;

export type ReadActivityResult = { activity: Record<string, unknown> } | { status: 400 | 413 | 415; error: string };

/**
 * Reads and checks a Bot Framework activity before botbuilder sees it. botbuilder and teams-ai
 * trust the shape of what they get (a `from` without an id, a timestamp that is not a date, a
 * conversation that is a string all end as a 500 deep inside a turn); here each of those is a 400
 * that names the field. Only what the service relies on is checked: unknown fields pass.
 */
export async function readActivity(req: Request, limit = MAX_ACTIVITY_BYTES): Promise<ReadActivityResult> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return { status: 415, error: 'Send the activity as JSON (content-type: application/json).' };
  const raw = await readRawBody(req, limit);
  if (raw === 'too large') return { status: 413, error: `The activity is larger than ${limit / 1024} KB.` };
  if (raw === 'unsupported') return { status: 415, error: 'The activity must not be compressed.' };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, error: 'The activity is not valid JSON.' };
  }
  const problem = shapeProblem(body);
  if (problem) return { status: 400, error: `The activity is malformed: ${problem}.` };
  const activity = body as Record<string, unknown>;
  // What botbuilder's own validateAndFixActivity does, once the strings are known to be dates.
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    if (typeof activity[field] === 'string') {
      activity[`raw${field[0].toUpperCase()}${field.slice(1)}`] = activity[field];
      activity[field] = new Date(activity[field]);
    }
  }
  return { activity };
}

type Check = (value: unknown) => string | undefined;

const string =
  (max: number, required = false): Check =>
  (value) => {
    if (value === undefined || value === null) return required ? 'is missing' : undefined;
    if (typeof value !== 'string') return 'is not a string';
    if (required && value.length === 0) return 'is empty';
    return value.length > max ? `is longer than ${max} characters` : undefined;
  };
const date: Check = (value) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 64 || Number.isNaN(Date.parse(value))) return 'is not a date';
  return undefined;
};
const boolean: Check = (value) => (value === undefined || value === null || typeof value === 'boolean' ? undefined : 'is not true or false');
const object =
  (fields: Record<string, Check>, required = false): Check =>
  (value) => {
    if (value === undefined || value === null) return required ? 'is missing' : undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return 'is not an object';
    for (const [name, check] of Object.entries(fields)) {
      const problem = check((value as Record<string, unknown>)[name]);
      if (problem) return `.${name} ${problem}`;
    }
    return undefined;
  };
const array =
  (max: number, item: Check): Check =>
  (value) => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return 'is not a list';
    if (value.length > max) return `has more than ${max} items`;
    for (let i = 0; i < value.length; i += 1) {
      const problem = item(value[i]);
      if (problem) return `[${i}]${problem.startsWith('.') ? '' : ' '}${problem}`;
    }
    return undefined;
  };

const ID = 1024;
const account = (required: boolean) => object({ id: string(ID, true), name: string(ID), aadObjectId: string(ID), role: string(64) }, required);
const withId = object({ id: string(ID, true) });

const ACTIVITY: Record<string, Check> = {
  type: string(64, true),
  id: string(ID),
  channelId: string(64, true),
  serviceUrl: (value) => {
    const problem = string(2048, true)(value);
    if (problem) return problem;
    return /^https?:\/\//i.test(value as string) && URL.canParse(value as string) ? undefined : 'is not an http(s) URL';
  },
  timestamp: date,
  localTimestamp: date,
  expiration: date,
  from: account(true),
  recipient: account(true),
  conversation: object({ id: string(ID, true), conversationType: string(64), tenantId: string(ID), isGroup: boolean, name: string(ID) }, true),
  replyToId: string(ID),
  name: string(256),
  action: string(64),
  locale: string(64),
  textFormat: string(64),
  text: string(MAX_ACTIVITY_BYTES),
  summary: string(MAX_ACTIVITY_BYTES),
  attachments: array(64, object({ contentType: string(256, true), contentUrl: string(8192), name: string(ID) })),
  entities: array(256, object({ type: string(256, true) })),
  membersAdded: array(256, account(true)),
  membersRemoved: array(256, account(true)),
  channelData: object({ tenant: withId, team: withId, channel: withId, eventType: string(256), meeting: withId }),
};

/** The first thing wrong with the body as an activity, or undefined. */
function shapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'it is not a JSON object';
  if (tooDeep(body)) return `it nests deeper than ${MAX_DEPTH} levels`;
  for (const [name, check] of Object.entries(ACTIVITY)) {
    const problem = check((body as Record<string, unknown>)[name]);
    if (problem) return `${name}${problem.startsWith('.') || problem.startsWith('[') ? '' : ' '}${problem}`;
  }
  return undefined;
}

/** Iterative, so hostile nesting costs a loop, not the stack. */
function tooDeep(root: object): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return true;
    if (typeof value !== 'object' || value === null) continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
