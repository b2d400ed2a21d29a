import { adaptiveCard, CARD_MAX_BYTES, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { httpUrl } from './http-url';

export type RecapKind = 'estimated' | 'ranked' | 'created' | 'transitioned' | 'assigned';

export interface RecapChange {
  kind: RecapKind;
  key: string;
  summary: string;
  url: string;
  /** The attendee who made it. */
  by: string;
  /** The value estimated, the status moved to, the new assignee. */
  detail?: string;
}

export interface MeetingRecapView {
  /** Oldest first, as they happened. */
  changes: readonly RecapChange[];
  /** Posted because the meeting ended (else someone asked for it). */
  ended: boolean;
}

const SECTIONS: Array<{ kind: RecapKind; title: string }> = [
  { kind: 'estimated', title: 'Estimated' },
  { kind: 'created', title: 'Created' },
  { kind: 'transitioned', title: 'Moved to another status' },
  { kind: 'assigned', title: 'Assigned' },
  { kind: 'ranked', title: 'Re-ranked' },
];
/** Rows per section; past it, or past the byte budget, the rest of a section is counted, not listed. */
const MAX_ROWS = 15;
/** Room left under Teams' 28 KB for the titles and counts around the rows. */
const ROW_BUDGET_BYTES = CARD_MAX_BYTES - 3 * 1024;

/**
 * What a meeting changed in Jira from its grooming tab, by kind, each issue once with its latest
 * value and a link to it: posted in the meeting chat when the meeting ends, or on request.
 */
export function meetingRecapCard(view: MeetingRecapView): AdaptiveCard {
  const title = view.ended ? 'Meeting recap: what changed in Jira' : 'Recap so far: what changed in Jira';
  const body: CardElement[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (view.changes.length === 0) {
    body.push({ type: 'TextBlock', text: 'Nothing was changed from the Jira tab in this meeting.', isSubtle: true, wrap: true });
  }
  const counts: string[] = [];
  let budget = ROW_BUDGET_BYTES;
  for (const section of SECTIONS) {
    const latest = new Map<string, RecapChange>();
    for (const change of view.changes) {
      if (change.kind !== section.kind) continue;
      // The latest value of an issue counts: estimated twice shows the second estimate.
      latest.delete(change.key);
      latest.set(change.key, change);
    }
    if (latest.size === 0) continue;
    const rows = [...latest.values()];
    counts.push(`${section.title.toLowerCase()} ${rows.length}`);
    body.push({ type: 'TextBlock', text: `${section.title} (${rows.length})`, weight: 'Bolder', spacing: 'Medium', wrap: true });
    let listed = 0;
    for (const change of rows.slice(0, MAX_ROWS)) {
      const element = row(change, listed === 0);
      const bytes = Buffer.byteLength(JSON.stringify(element), 'utf8');
      if (bytes > budget) break;
      budget -= bytes;
      body.push(element);
      listed += 1;
    }
    if (rows.length > listed) body.push({ type: 'TextBlock', text: `and ${rows.length - listed} more`, isSubtle: true, size: 'Small', spacing: 'Small', wrap: true });
  }
  const card = adaptiveCard(body);
  card.fallbackText = counts.length ? clipText(`${title}: ${counts.join(', ')}`, 200) : title;
  return card;
}

function row(change: RecapChange, first: boolean): CardElement {
  const url = httpUrl(change.url);
  const detail = change.detail ? ` → ${clipText(change.detail, 60)}` : '';
  return {
    type: 'ColumnSet',
    spacing: first ? 'Small' : 'None',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [{ type: 'TextBlock', text: escapeCardLine(change.key), weight: 'Bolder', color: 'Accent', wrap: false }],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [{ type: 'TextBlock', text: escapeCardLine(`${clipText(change.summary, 100)}${detail}`), wrap: true }],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [{ type: 'TextBlock', text: escapeCardLine(clipText(change.by, 40)), isSubtle: true, size: 'Small', wrap: false }],
      },
    ],
    ...(url ? { selectAction: { type: 'Action.OpenUrl', url, title: `Open ${change.key}` } } : {}),
  };
}
