import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { issueTypeIconColumns } from './issue-type-icon';
import { noticeBanner, type CardNotice } from './notice-banner';
import { httpUrl, siteHostOf } from './http-url';
import { statusBadge, type IssueStatus } from './status-badge';
import { IssueInput, Verb, type IssueActionData } from './verb';

export interface IssuePerson {
  accountId?: string;
  displayName: string;
  /** A raster image Teams can fetch without Jira credentials (Atlassian's avatar service). */
  avatarUrl?: string;
}

export interface IssueTransitionChoice {
  id: string;
  name: string;
  /** The status the transition leads to, when it differs from the transition's name. */
  toStatus?: string;
}

/** Everything the issue card shows: plain values, filled from Jira's JSON by toIssueCardView. */
export interface IssueCardView {
  key: string;
  /** The issue in Jira's UI (`https://site/browse/KEY`). */
  url: string;
  summary: string;
  type?: { name: string; iconUrl?: string };
  status?: IssueStatus;
  priority?: { name: string };
  assignee?: IssuePerson;
  reporter?: IssuePerson;
  /** RFC 3339 in UTC without fractions (`2026-11-28T13:30:00Z`), the form card date functions accept. */
  updated?: string;
  labels: readonly string[];
  /** Card-safe Markdown from adfToCardText: shown as is, so it must already be escaped. */
  descriptionMarkdown?: string;
  /** The transitions Jira offers the viewer; none hides the status action. */
  transitions: readonly IssueTransitionChoice[];
  /** Whether the viewer watches the issue; unknown hides the watch action. */
  watching?: boolean;
}

export interface IssueCardOptions {
  /** The viewer's Jira account: no "Assign to me" for the assignee. */
  viewerAccountId?: string;
  /** Teams user ids (MRIs) whose clients refresh the card on their own; Teams takes 60 at most. */
  refreshUserIds?: readonly string[];
  /**
   * People in the conversation, when known. Teams refreshes cards on its own for everyone only
   * in conversations of 60 or fewer; above that, others get a Refresh button.
   */
  memberCount?: number;
  /** A line above the card: what the last action did, or why it failed. */
  notice?: CardNotice;
  /** false for a card without actions (a read-only copy). */
  actions?: boolean;
}

/** Teams refreshes automatically for at most this many users (and conversations this small). */
export const AUTO_REFRESH_LIMIT = 60;

const MAX_SUMMARY = 255;
const MAX_LABELS_SHOWN = 12;
const MAX_TRANSITIONS = 100;
const MAX_COMMENT = 4000;

/** The live issue card: facts at a glance, and Universal Actions that act and refresh in place. */
export function issueCard(view: IssueCardView, options: IssueCardOptions = {}): AdaptiveCard {
  const data: IssueActionData = { key: view.key, site: siteHostOf(view.url) };
  const body: CardElement[] = [
    ...(options.notice ? [noticeBanner(options.notice)] : []),
    header(view),
    {
      type: 'TextBlock',
      text: escapeCardLine(clipText(view.summary || view.key, MAX_SUMMARY)),
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
      spacing: 'Small',
    },
    people(view),
    ...details(view),
    ...(view.descriptionMarkdown ? [{ type: 'TextBlock', text: view.descriptionMarkdown, wrap: true, spacing: 'Medium' }] : []),
  ];

  const card = adaptiveCard(body, options.actions === false ? [] : actions(view, data, options));
  card.fallbackText = clipText(`${view.key}: ${view.summary}`, 200);
  if (options.actions !== false) {
    const userIds = [...new Set(options.refreshUserIds ?? [])].slice(0, AUTO_REFRESH_LIMIT);
    card.refresh = {
      action: { type: 'Action.Execute', title: 'Refresh', verb: Verb.Refresh, data },
      ...(options.refreshUserIds ? { userIds } : {}),
    };
  }
  return card;
}

function header(view: IssueCardView): CardElement {
  const columns: CardElement[] = issueTypeIconColumns(view.type);
  const url = httpUrl(view.url);
  // The key links to the issue, as in Jira; the URL is escaped so it cannot close the link early.
  const key = url ? `[${escapeCardLine(view.key)}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : escapeCardLine(view.key);
  const typeName = view.type ? ` · ${escapeCardLine(clipText(view.type.name, 40))}` : '';
  columns.push({
    type: 'Column',
    width: 'stretch',
    verticalContentAlignment: 'Center',
    items: [{ type: 'TextBlock', text: `${key}${typeName}`, size: 'Small', wrap: false }],
  });
  if (view.status) {
    columns.push({ type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [statusBadge(view.status)] });
  }
  return { type: 'ColumnSet', columns };
}

function people(view: IssueCardView): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Medium',
    columns: [person('Assignee', view.assignee, 'Unassigned'), person('Reporter', view.reporter, 'Nobody')],
  };
}

function person(role: string, who: IssuePerson | undefined, nobody: string): CardElement {
  const avatar: CardElement[] = who?.avatarUrl
    ? [
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Center',
          items: [{ type: 'Image', url: who.avatarUrl, style: 'Person', width: '28px', height: '28px', altText: clipText(who.displayName, 60) }],
        },
      ]
    : [];
  return {
    type: 'Column',
    width: 'stretch',
    items: [
      {
        type: 'ColumnSet',
        columns: [
          ...avatar,
          {
            type: 'Column',
            width: 'stretch',
            verticalContentAlignment: 'Center',
            items: [
              { type: 'TextBlock', text: role, isSubtle: true, size: 'Small', wrap: false },
              {
                type: 'TextBlock',
                text: who ? escapeCardLine(clipText(who.displayName, 60)) : nobody,
                spacing: 'None',
                wrap: false,
                ...(who ? {} : { isSubtle: true }),
              },
            ],
          },
        ],
      },
    ],
  };
}

function details(view: IssueCardView): CardElement[] {
  const lines: string[] = [];
  const facts: string[] = [];
  if (view.priority) facts.push(`Priority: ${escapeCardLine(clipText(view.priority.name, 30))}`);
  if (view.updated && RFC3339_UTC.test(view.updated)) {
    // Teams formats these in each viewer's own time zone and locale.
    facts.push(`Updated {{DATE(${view.updated}, SHORT)}} {{TIME(${view.updated})}}`);
  }
  if (facts.length > 0) lines.push(facts.join(' · '));
  const labels = view.labels.filter((l) => typeof l === 'string' && l.trim());
  if (labels.length > 0) {
    const shown = labels.slice(0, MAX_LABELS_SHOWN).map((l) => escapeCardLine(clipText(l, 40)));
    const more = labels.length - shown.length;
    lines.push(`Labels: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return lines.map((text, i) => ({ type: 'TextBlock', text, isSubtle: true, size: 'Small', wrap: true, spacing: i === 0 ? 'Medium' : 'None' }));
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function actions(view: IssueCardView, data: IssueActionData, options: IssueCardOptions): CardElement[] {
  const list: CardElement[] = [];
  const isAssignee = options.viewerAccountId !== undefined && view.assignee?.accountId === options.viewerAccountId;
  if (!isAssignee) list.push({ type: 'Action.Execute', title: 'Assign to me', verb: Verb.Assign, data });

  const transitions = view.transitions.slice(0, MAX_TRANSITIONS);
  if (transitions.length > 0) {
    list.push({
      type: 'Action.ShowCard',
      title: 'Change status',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.ChoiceSet',
            id: IssueInput.TransitionId,
            label: 'Move to',
            style: 'compact',
            isRequired: true,
            errorMessage: 'Choose a status.',
            placeholder: 'Choose a status',
            // Choice titles are plain text (no Markdown), so they are not escaped.
            choices: transitions.map((t) => ({ title: transitionTitle(t), value: String(t.id) })),
          },
        ],
        actions: [{ type: 'Action.Execute', title: 'Apply', verb: Verb.Transition, data }],
      },
    });
  }

  list.push(commentAction(view.key, data));

  // Three buttons fit a chat-width card without truncation; the rest go to the "..." menu.
  const url = httpUrl(view.url);
  if (url) list.push({ type: 'Action.OpenUrl', title: 'Open in Jira', url, mode: 'secondary' });
  if (view.watching !== undefined) {
    list.push(
      view.watching
        ? { type: 'Action.Execute', title: 'Stop watching', verb: Verb.Unwatch, data, mode: 'secondary' }
        : { type: 'Action.Execute', title: 'Watch', verb: Verb.Watch, data, mode: 'secondary' },
    );
  }
  if (options.memberCount !== undefined && options.memberCount > AUTO_REFRESH_LIMIT) {
    list.push({ type: 'Action.Execute', title: 'Refresh', verb: Verb.Refresh, data, mode: 'secondary' });
  }
  return list;
}

function transitionTitle(t: IssueTransitionChoice): string {
  const name = clipText(t.name, 60);
  return t.toStatus && t.toStatus.trim().toLowerCase() !== t.name.trim().toLowerCase() ? `${name} → ${clipText(t.toStatus, 40)}` : name;
}

/** The inline Comment action, shared by the issue card and the alert card (same verb, same handler). */
export function commentAction(key: string, data: IssueActionData): CardElement {
  return {
    type: 'Action.ShowCard',
    title: 'Comment',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: IssueInput.Comment,
          label: 'Comment',
          placeholder: `Add a comment to ${key}`,
          isMultiline: true,
          maxLength: MAX_COMMENT,
          isRequired: true,
          errorMessage: 'Write a comment first.',
        },
      ],
      actions: [{ type: 'Action.Execute', title: 'Add comment', verb: Verb.Comment, data }],
    },
  };
}
