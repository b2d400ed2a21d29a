import { adaptiveCard, escapeCardLine, escapeCardText, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { httpUrl, siteHostOf } from './http-url';
import { statusBadge, type StatusCategory } from './status-badge';
import { commentAction } from './issue-card';
import { Verb, type IssueActionData } from './verb';

/** What an alert card shows about one change; the alert pipeline's IssueEvent fits this shape. */
export interface AlertCardView {
  site: string;
  kinds: readonly string[];
  changes: ReadonlyArray<{ field: string; from: string | null; to: string | null }>;
  issue: {
    key: string;
    summary: string;
    url: string;
    status?: { name: string; category: StatusCategory };
    priority?: string;
    assignee?: { displayName: string };
  };
  actor?: { displayName: string };
  comment?: { excerpt: string };
  occurredAt: string;
  /** A test alert: there is no such issue, so nothing on the card may act on or link to it. */
  test?: boolean;
}

export interface AlertCardOptions {
  /** Earlier changes to the same issue folded into this card (newest first), when it is an update. */
  earlier?: readonly AlertCardView[];
}

const MAX_CHANGES = 10;
const MAX_EARLIER = 5;
const MAX_VALUE = 120;
const MAX_COMMENT = 500;

/**
 * The kinds of change an alert is about, in the order the subscribe dialog offers them. The alert
 * pipeline's IssueEventKind is this union (alerts/issue-event.ts re-exports it; it lives here
 * because cards import nothing of the service), so adding a kind makes the compiler name every
 * table below, the dialog's choices, the default subscription and the inbox codes.
 */
export const ALERT_EVENT_KINDS = ['created', 'transitioned', 'assigned', 'commented', 'priorityChanged', 'resolved', 'fieldChanged', 'deleted'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

const HEADLINES = {
  created: 'created',
  deleted: 'deleted',
  transitioned: 'changed the status of',
  resolved: 'resolved',
  assigned: 'changed the assignee of',
  priorityChanged: 'changed the priority of',
  commented: 'commented on',
  fieldChanged: 'updated',
} satisfies Record<AlertEventKind, string>;
const isAlertEventKind = (kind: string | undefined): kind is AlertEventKind => kind !== undefined && Object.hasOwn(HEADLINES, kind);

/** A Jira change in a channel: who did what to which issue, each change from -> to, and the issue's actions. */
export function alertCard(view: AlertCardView, options: AlertCardOptions = {}): AdaptiveCard {
  const url = httpUrl(view.issue.url);
  const body: CardElement[] = [
    { type: 'TextBlock', text: headline(view), wrap: true, size: 'Small', isSubtle: true },
    {
      type: 'TextBlock',
      text: `${url ? `[${escapeCardLine(view.issue.key)}](${url})` : escapeCardLine(view.issue.key)} ${escapeCardLine(clipText(view.issue.summary, 200))}`,
      wrap: true,
      weight: 'Bolder',
      spacing: 'Small',
    },
    ...(view.issue.status ? [statusBadge(view.issue.status)] : []),
    ...changeFacts(view),
    ...(view.comment?.excerpt ? [{ type: 'TextBlock', text: escapeCardText(clipText(view.comment.excerpt, MAX_COMMENT)), wrap: true, spacing: 'Medium' }] : []),
    ...earlierChanges(options.earlier ?? []),
  ];
  const card = adaptiveCard(body, actions(view, url));
  card.fallbackText = `${view.issue.key}: ${headline(view)}`;
  return card;
}

function headline(view: AlertCardView): string {
  const who = view.actor ? escapeCardLine(clipText(view.actor.displayName, 60)) : 'Someone';
  // A kind this version does not know (a row stored by a newer one) reads as a plain update.
  const kind = view.kinds[0];
  const what = isAlertEventKind(kind) ? HEADLINES[kind] : HEADLINES.fieldChanged;
  return `${who} ${what} ${escapeCardLine(view.issue.key)}`;
}

/** An assignment Jira sent without its changelog item: the issue's current assignee says what it became. */
function assigneeFact(view: AlertCardView): CardElement[] {
  if (view.kinds[0] !== 'assigned' || view.changes.some((c) => c.field.toLowerCase() === 'assignee')) return [];
  const name = view.issue.assignee ? escapeCardLine(clipText(view.issue.assignee.displayName || 'Someone', MAX_VALUE)) : 'Unassigned';
  return [{ type: 'FactSet', spacing: 'Medium', facts: [{ title: 'Assignee', value: name }] }];
}

function changeFacts(view: AlertCardView): CardElement[] {
  const changes = view.changes.slice(0, MAX_CHANGES);
  if (changes.length === 0) return assigneeFact(view);
  const more = view.changes.length - changes.length;
  return [
    {
      type: 'FactSet',
      spacing: 'Medium',
      facts: [
        ...changes.map((c) => ({ title: escapeCardLine(clipText(fieldLabel(c.field), 40)), value: fromTo(c.from, c.to) })),
        ...(more > 0 ? [{ title: '…', value: `and ${more} more changes` }] : []),
      ],
    },
  ];
}

const fieldLabel = (field: string) => (field ? field[0].toUpperCase() + field.slice(1) : 'Field');

function fromTo(from: string | null, to: string | null): string {
  const show = (v: string | null) => (v === null || v === '' ? 'None' : escapeCardLine(clipText(v, MAX_VALUE)));
  return `${show(from)} → ${show(to)}`;
}

function earlierChanges(earlier: readonly AlertCardView[]): CardElement[] {
  if (earlier.length === 0) return [];
  const lines = earlier.slice(0, MAX_EARLIER).map((e) => {
    const changes = e.changes
      .slice(0, 3)
      .map((c) => `${escapeCardLine(fieldLabel(c.field))}: ${fromTo(c.from, c.to)}`)
      .join('; ');
    return `- ${headline(e)}${changes ? ` (${changes})` : ''}`;
  });
  return [
    { type: 'TextBlock', text: 'Earlier changes', weight: 'Bolder', size: 'Small', spacing: 'Medium', separator: true },
    { type: 'TextBlock', text: lines.join('\n'), size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' },
  ];
}

function actions(view: AlertCardView, url: string | undefined): CardElement[] {
  if (view.test) return [];
  const data: IssueActionData = { key: view.issue.key, site: siteHostOf(view.site) };
  const list: CardElement[] = [];
  // The issue card's own verbs: its handlers answer with the live issue card in place of this one.
  if (!view.kinds.includes('deleted')) {
    // An assignment that named someone is news for that person ("assigned to you" in their chat)
    // or about them: offering to take the issue over would undo what the card announces.
    const justAssigned = view.kinds[0] === 'assigned' && Boolean(view.issue.assignee);
    if (!justAssigned) list.push({ type: 'Action.Execute', title: 'Assign to me', verb: Verb.Assign, data });
    list.push(commentAction(view.issue.key, data));
  }
  if (url) list.push({ type: 'Action.OpenUrl', title: 'Open in Jira', url });
  return list;
}
