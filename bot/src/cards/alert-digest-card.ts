import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import type { AlertCardView } from './alert-card';
import { clipText } from './clip-text';
import { httpUrl } from './http-url';

const MAX_LINES = 30;

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
    return `- ${key} ${escapeCardLine(clipText(latest.issue.summary, 80))}${status}${count}`;
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
