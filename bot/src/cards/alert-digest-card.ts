import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import type { AlertCardView } from './alert-card';
import { clipText } from './clip-text';
import { httpUrl } from './http-url';

const MAX_LINES = 30;
const MAX_FIELDS = 3;
const MAX_VALUE = 40;

/** Many changes at once (a bulk edit) as one card: one line per issue, newest change first. */
export function alertDigestCard(views: readonly AlertCardView[]): AdaptiveCard {
  const byIssue = new Map<string, AlertCardView[]>();
  for (const view of views) byIssue.set(view.issue.key, [...(byIssue.get(view.issue.key) ?? []), view]);
  const issues = [...byIssue.values()];
  const shown = issues.slice(0, MAX_LINES);
  const lines = shown.map((changes) => {
    const latest = changes[changes.length - 1];
    const url = httpUrl(latest.issue.url);
    const key = url ? `[${escapeCardLine(latest.issue.key)}](${url})` : escapeCardLine(latest.issue.key);
    // A deleted issue's webhook still carries its last status; "To Do" would read as if it were alive.
    const deleted = changes.some((change) => change.kinds.includes('deleted'));
    const status = deleted ? ' · Deleted' : latest.issue.status ? ` · ${escapeCardLine(latest.issue.status.name)}` : '';
    const count = changes.length > 1 ? ` (${changes.length} changes)` : '';
    const what = deleted ? '' : whatChanged(changes);
    return `- ${key} ${escapeCardLine(clipText(latest.issue.summary, 80))}${status}${what ? `: ${what}` : ''}${count}`;
  });
  const more = issues.length - shown.length;
  const actors = [...new Set(views.map((v) => v.actor?.displayName).filter((n): n is string => Boolean(n)))];
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${issues.length} issues changed${actors.length === 1 ? ` by ${escapeCardLine(clipText(actors[0], 60))}` : ''}`,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
    { type: 'TextBlock', text: lines.join('\n'), wrap: true, spacing: 'Small' },
    ...(more > 0 ? [{ type: 'TextBlock', text: `and ${more} more`, isSubtle: true, size: 'Small', wrap: true }] : []),
  ];
  const card = adaptiveCard(body);
  card.fallbackText = `${issues.length} Jira issues changed`;
  return card;
}

/**
 * What became of an issue across its changes in the digest, oldest first: each field's newest
 * value (`Priority → Highest`), or that it was created or commented on. A digest line that only
 * named the issue made the reader open every one to learn what happened.
 */
function whatChanged(changes: readonly AlertCardView[]): string {
  const fields = new Map<string, string | null>();
  const notes: string[] = [];
  for (const view of changes) {
    for (const change of view.changes) {
      const label = change.field ? change.field[0].toUpperCase() + change.field.slice(1) : 'Field';
      fields.delete(label);
      fields.set(label, change.to);
    }
    if (view.kinds.includes('created') && !notes.includes('created')) notes.push('created');
    if (view.kinds.includes('commented') && !notes.includes('new comment')) notes.push('new comment');
  }
  const shown = [...fields]
    .slice(-MAX_FIELDS)
    .map(([label, to]) => `${escapeCardLine(clipText(label, 40))} → ${to === null || to === '' ? 'None' : escapeCardLine(clipText(to, MAX_VALUE))}`);
  const hidden = fields.size - shown.length;
  return [...notes, ...shown, ...(hidden > 0 ? [`${hidden} more`] : [])].join(', ');
}
