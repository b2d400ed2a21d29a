import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { issueTypeIconColumns } from './issue-type-icon';
import { httpUrl } from './http-url';
import { statusBadge, type IssueStatus } from './status-badge';

export interface IssueListItem {
  key: string;
  url: string;
  summary: string;
  status?: IssueStatus;
  type?: { name: string; iconUrl?: string };
  assignee?: { displayName: string };
}

export interface IssueListView {
  /** What was searched: a filter's name, or the JQL. Plain text. */
  title: string;
  /** Shown in a monospace line under the title, when the title is a filter's name. */
  jql?: string;
  /** How many issues match, when Jira said (search/jql pages without a total). */
  total?: number;
  /** Whether more issues match than `issues` holds, when the total is unknown. */
  hasMore?: boolean;
  issues: readonly IssueListItem[];
  /** The search in Jira's UI. */
  url: string;
}

const MAX_ROWS = 10;

/** A filter or JQL link: how many issues match, the first few, and the way to the rest in Jira. */
export function issueListCard(view: IssueListView): AdaptiveCard {
  const rows = view.issues.slice(0, MAX_ROWS);
  const body: CardElement[] = [
    { type: 'TextBlock', text: escapeCardLine(clipText(view.title, 200)), weight: 'Bolder', size: 'Medium', wrap: true },
    ...(view.jql ? [{ type: 'TextBlock', text: escapeCardLine(clipText(view.jql, 300)), fontType: 'Monospace', size: 'Small', isSubtle: true, wrap: true, spacing: 'None' }] : []),
    { type: 'TextBlock', text: countLine(view, rows.length), isSubtle: true, size: 'Small', spacing: 'Small', wrap: true },
    ...rows.map((issue, i) => row(issue, i === 0)),
  ];
  const url = httpUrl(view.url);
  const card = adaptiveCard(body, url ? [{ type: 'Action.OpenUrl', title: 'Open in Jira', url }] : undefined);
  card.fallbackText = clipText(`${view.title}: ${countLine(view, rows.length)}`, 200);
  return card;
}

function countLine(view: IssueListView, shown: number): string {
  if (shown === 0) return 'No issues match.';
  const matching =
    view.total !== undefined
      ? `${view.total} ${view.total === 1 ? 'issue' : 'issues'}`
      : view.hasMore || view.issues.length > shown
        ? `More than ${shown} issues`
        : `${shown} ${shown === 1 ? 'issue' : 'issues'}`;
  const total = view.total ?? (view.hasMore ? Infinity : view.issues.length);
  return total > shown ? `${matching}; the first ${shown}:` : `${matching}:`;
}

function row(issue: IssueListItem, first: boolean): CardElement {
  const url = httpUrl(issue.url);
  const columns: CardElement[] = issueTypeIconColumns(issue.type);
  columns.push(
    {
      type: 'Column',
      width: 'auto',
      verticalContentAlignment: 'Center',
      items: [{ type: 'TextBlock', text: escapeCardLine(issue.key), weight: 'Bolder', color: 'Accent', wrap: false }],
    },
    {
      type: 'Column',
      width: 'stretch',
      verticalContentAlignment: 'Center',
      items: [{ type: 'TextBlock', text: escapeCardLine(clipText(issue.summary, 120)), wrap: false }],
    },
  );
  if (issue.status) {
    columns.push({ type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [statusBadge(issue.status, { maxLength: 24 })] });
  }
  return {
    type: 'ColumnSet',
    spacing: first ? 'Medium' : 'Small',
    separator: !first,
    columns,
    ...(url ? { selectAction: { type: 'Action.OpenUrl', url, title: `Open ${issue.key}` } } : {}),
  };
}
