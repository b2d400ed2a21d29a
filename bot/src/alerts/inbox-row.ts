import type { EventPerson, FieldChange, IssueEvent, IssueEventKind } from './issue-event';
import { browseUrl } from '../jira/site-url';

/**
 * How an accepted event is kept in the inbox until it is routed. The webhook is answered only
 * once this row is committed, and a commit's cost grows with the pages it writes, so the row
 * holds only what its keys do not: the site and the event id are the row's partition and row
 * key, the issue URL and project key are left out where they follow from the site and the
 * issue key, a person who is also the actor is written once, and names are short. Reading it
 * gives back the very same IssueEvent; version 1 rows (`{ event, state, receivedAt }`, written
 * before) still read.
 */
export interface InboxRowV2 {
  v: 2;
  /** When we accepted it (ms). */
  r: number;
  /** occurredAt: ms where the ISO string is what toISOString gives for them, the string otherwise. */
  t: number | string;
  /** The kinds, a letter each (KIND_CODES), in order. */
  k: string;
  /** Present for events the poller found. */
  p?: 1;
  i: {
    i: string;
    k: string;
    s: string;
    /** Only where it is not `${site}/browse/${key}`. */
    u?: string;
    /** Only where it is not the key's prefix. */
    pk?: string;
    st?: [name: string, category: NonNullable<IssueEvent['issue']['status']>['category']];
    pr?: string;
    ty?: string;
    as?: PersonCode;
    re?: PersonCode;
    /** Absent when there are none. */
    l?: string[];
    up?: string;
  };
  a?: Person;
  /** [field, from, to] when fieldId is the field's name; [field, from, to, fieldId or null] otherwise. */
  c?: Array<[string, string | null, string | null] | [string, string | null, string | null, string | null]>;
  m?: string[];
  cm?: [id: string, excerpt: string];
  /** Present for thin events (IssueEvent.thin). */
  th?: 1;
  /** The instance that accepted it (AlertIntake.instance), whose router routes it while it lives. */
  o?: string;
}

/** [displayName] or [displayName, accountId]. */
type Person = [string] | [string, string];
/** A person, or 0 for the event's actor. */
type PersonCode = Person | 0;

interface InboxRowV1 {
  event: IssueEvent;
  state: 'received';
  receivedAt: number;
}

export type InboxRow = InboxRowV2 | InboxRowV1;

const KIND_CODES: Record<IssueEventKind, string> = {
  created: 'c',
  transitioned: 't',
  assigned: 'a',
  commented: 'm',
  priorityChanged: 'p',
  resolved: 'r',
  fieldChanged: 'f',
  deleted: 'd',
};
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as IssueEventKind]));

const projectKeyOf = (key: string) => key.split('-')[0];
const samePerson = (a: EventPerson | undefined, b: EventPerson) => a !== undefined && a.displayName === b.displayName && a.accountId === b.accountId;

const personOf = (p: EventPerson): Person => (p.accountId === undefined ? [p.displayName] : [p.displayName, p.accountId]);

export function toInboxRow(event: IssueEvent, receivedAt: number, acceptedBy?: string): InboxRowV2 {
  const { issue, actor } = event;
  const occurred = Date.parse(event.occurredAt);
  const row: InboxRowV2 = {
    v: 2,
    r: receivedAt,
    t: Number.isFinite(occurred) && new Date(occurred).toISOString() === event.occurredAt ? occurred : event.occurredAt,
    k: event.kinds.map((kind) => KIND_CODES[kind]).join(''),
    i: { i: issue.id, k: issue.key, s: issue.summary },
  };
  if (event.source === 'poll') row.p = 1;
  if (issue.url !== browseUrl(event.site, issue.key)) row.i.u = issue.url;
  if (issue.projectKey !== projectKeyOf(issue.key)) row.i.pk = issue.projectKey;
  if (issue.status) row.i.st = [issue.status.name, issue.status.category];
  if (issue.priority !== undefined) row.i.pr = issue.priority;
  if (issue.issueType !== undefined) row.i.ty = issue.issueType;
  if (issue.assignee) row.i.as = samePerson(actor, issue.assignee) ? 0 : personOf(issue.assignee);
  if (issue.reporter) row.i.re = samePerson(actor, issue.reporter) ? 0 : personOf(issue.reporter);
  if (issue.labels.length > 0) row.i.l = issue.labels;
  if (issue.updated !== undefined) row.i.up = issue.updated;
  if (actor) row.a = personOf(actor);
  if (event.changes.length > 0) {
    row.c = event.changes.map((c) => (c.fieldId === c.field ? [c.field, c.from, c.to] : [c.field, c.from, c.to, c.fieldId ?? null]));
  }
  if (event.mentions) row.m = event.mentions;
  if (event.comment) row.cm = [event.comment.id, event.comment.excerpt];
  if (event.thin) row.th = 1;
  if (acceptedBy !== undefined) row.o = acceptedBy;
  return row;
}

/** The event, its acceptance time and the instance that accepted it (where known); `site` and `id` are what the row's keys say. */
export function fromInboxRow(row: InboxRow, where: { site: string; id: string }): { event: IssueEvent; receivedAt: number; acceptedBy?: string } {
  if (!('v' in row)) return { event: row.event, receivedAt: row.receivedAt };
  if (row.v !== 2) throw new Error(`Unknown inbox row version ${String((row as { v: unknown }).v)}`);
  const { i } = row;
  const actor: EventPerson | undefined = row.a && (row.a.length === 1 ? { displayName: row.a[0] } : { accountId: row.a[1], displayName: row.a[0] });
  const person = (code: PersonCode): EventPerson => {
    if (code === 0) {
      if (!actor) throw new Error('An inbox row names its actor but holds none');
      return { ...actor };
    }
    return code.length === 1 ? { displayName: code[0] } : { accountId: code[1], displayName: code[0] };
  };
  const kinds = [...row.k].map((code) => {
    const kind = KINDS_BY_CODE.get(code);
    if (!kind) throw new Error(`Unknown event kind code ${code} in an inbox row`);
    return kind;
  });
  const event: IssueEvent = {
    id: where.id,
    site: where.site,
    kinds,
    changes: (row.c ?? []).map(([field, from, to, ...rest]): FieldChange => {
      const fieldId = rest.length === 0 ? field : rest[0];
      return { field, ...(fieldId !== null ? { fieldId } : {}), from, to };
    }),
    issue: {
      id: i.i,
      key: i.k,
      summary: i.s,
      url: i.u ?? browseUrl(where.site, i.k),
      projectKey: i.pk ?? projectKeyOf(i.k),
      ...(i.st ? { status: { name: i.st[0], category: i.st[1] } } : {}),
      ...(i.pr !== undefined ? { priority: i.pr } : {}),
      ...(i.ty !== undefined ? { issueType: i.ty } : {}),
      ...(i.as !== undefined ? { assignee: person(i.as) } : {}),
      ...(i.re !== undefined ? { reporter: person(i.re) } : {}),
      labels: i.l ?? [],
      ...(i.up !== undefined ? { updated: i.up } : {}),
    },
    ...(actor ? { actor } : {}),
    ...(row.m ? { mentions: row.m } : {}),
    ...(row.cm ? { comment: { id: row.cm[0], excerpt: row.cm[1] } } : {}),
    occurredAt: typeof row.t === 'number' ? new Date(row.t).toISOString() : row.t,
    source: row.p === 1 ? 'poll' : 'webhook',
    ...(row.th === 1 ? { thin: true as const } : {}),
  };
  return row.o === undefined ? { event, receivedAt: row.r } : { event, receivedAt: row.r, acceptedBy: row.o };
}
