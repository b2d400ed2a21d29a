import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { ALERT_EVENT_KINDS, type AlertEventKind } from './alert-card';
import { noticeBanner } from './notice-banner';
import { SubscriptionInput, SubscriptionVerb } from './subscription-verb';

export interface SubscriptionFormView {
  /** Present when editing. */
  subscriptionId?: string;
  sites: ReadonlyArray<{ url: string; name: string }>;
  site?: string;
  projects: readonly string[];
  jql?: string;
  eventKinds: readonly string[];
  statuses: readonly string[];
  fields: readonly string[];
  twoWayThreads: boolean;
  /** The projects the person may browse on the site: a picker instead of typed keys. */
  projectChoices?: ReadonlyArray<{ key: string; name: string }>;
  /** Status names of the chosen projects: a picker for "transitioned to" instead of typed names. */
  statusChoices?: readonly string[];
  /** Why the last save failed (Jira's own JQL error text, a missing permission). */
  error?: string;
}

/** Event types as the dialog names them. */
const EVENT_TITLES = {
  created: 'Issue created',
  transitioned: 'Status changed',
  assigned: 'Assignee changed',
  commented: 'Comment added',
  priorityChanged: 'Priority changed',
  resolved: 'Issue resolved',
  fieldChanged: 'Chosen fields changed',
  deleted: 'Issue deleted',
} satisfies Record<AlertEventKind, string>;
export const EVENT_CHOICES: ReadonlyArray<{ title: string; value: AlertEventKind }> = ALERT_EVENT_KINDS.map((value) => ({ title: EVENT_TITLES[value], value }));

/** The subscribe dialog (a task module card): projects, JQL, event types, optional statuses and fields. */
export function subscriptionFormCard(view: SubscriptionFormView): AdaptiveCard {
  const body: CardElement[] = [
    ...(view.error ? [noticeBanner({ text: view.error, tone: 'attention' })] : []),
    { type: 'TextBlock', text: view.subscriptionId ? 'Edit Jira alerts' : 'Jira alerts for this conversation', size: 'Medium', weight: 'Bolder', wrap: true },
    {
      type: 'Input.ChoiceSet',
      id: SubscriptionInput.Site,
      label: 'Jira site',
      isRequired: true,
      errorMessage: 'Choose a site.',
      style: 'compact',
      value: view.site ?? view.sites[0]?.url ?? '',
      // Choice titles are plain text, never Markdown.
      choices: view.sites.map((s) => ({ title: s.name, value: s.url })),
    },
    projectsInput(view),
    {
      type: 'Input.Text',
      id: SubscriptionInput.Jql,
      label: 'Only issues matching this JQL (optional)',
      placeholder: 'priority in (High, Highest) AND labels = backend',
      value: view.jql ?? '',
      isMultiline: true,
      maxLength: 2000,
    },
    {
      type: 'Input.ChoiceSet',
      id: SubscriptionInput.Events,
      label: 'Tell me when',
      isMultiSelect: true,
      isRequired: true,
      errorMessage: 'Choose at least one event.',
      style: 'expanded',
      value: view.eventKinds.join(','),
      choices: EVENT_CHOICES,
    },
    statusesInput(view),
    {
      type: 'Input.Text',
      id: SubscriptionInput.Fields,
      label: 'Field changes only for these fields (optional, comma-separated)',
      placeholder: 'Story Points, Fix versions',
      value: view.fields.join(', '),
      maxLength: 500,
    },
    {
      type: 'Input.Toggle',
      id: SubscriptionInput.TwoWayThreads,
      title: 'Replies to an alert become Jira comments, and new comments appear in its thread',
      value: view.twoWayThreads ? 'true' : 'false',
      valueOn: 'true',
      valueOff: 'false',
      wrap: true,
    },
  ];
  if (view.sites.length === 0) {
    body.splice(1, 0, { type: 'TextBlock', text: escapeCardLine('No Jira site is connected yet. Type "connect" first.'), wrap: true, color: 'Attention' });
  }
  const id = view.subscriptionId ? { subscriptionId: view.subscriptionId } : {};
  return adaptiveCard(body, [
    { type: 'Action.Submit', title: 'Save', data: { verb: SubscriptionVerb.Save, ...id } },
    // A card cannot ask Jira as the choice changes: this shows the chosen projects' statuses.
    ...(view.projectChoices ? [{ type: 'Action.Submit', title: 'Show statuses of these projects', data: { verb: SubscriptionVerb.Refresh, ...id } }] : []),
  ]);
}

function projectsInput(view: SubscriptionFormView): CardElement {
  if (!view.projectChoices) {
    return {
      type: 'Input.Text',
      id: SubscriptionInput.Projects,
      label: 'Projects (keys, comma-separated)',
      placeholder: 'PHX, KAN',
      value: view.projects.join(', '),
      maxLength: 500,
    };
  }
  // A project saved earlier that Jira no longer lists stays visible, so saving does not drop it unseen.
  const unlisted = view.projects.filter((key) => !view.projectChoices!.some((p) => p.key === key));
  return {
    type: 'Input.ChoiceSet',
    id: SubscriptionInput.Projects,
    label: 'Projects',
    isMultiSelect: true,
    style: 'compact',
    placeholder: 'All projects the JQL below finds',
    value: view.projects.join(','),
    choices: [...view.projectChoices.map((p) => ({ title: `${p.key} – ${p.name}`, value: p.key })), ...unlisted.map((key) => ({ title: key, value: key }))],
  };
}

function statusesInput(view: SubscriptionFormView): CardElement {
  const label = 'Status changes only into these statuses (optional)';
  if (!view.statusChoices?.length) {
    return {
      type: 'Input.Text',
      id: SubscriptionInput.Statuses,
      label: `${label}, comma-separated${view.projectChoices ? '; or choose projects and press Show statuses' : ''}`,
      placeholder: 'Done, In Review',
      value: view.statuses.join(', '),
      maxLength: 500,
    };
  }
  const names = [...view.statusChoices, ...view.statuses.filter((s) => !view.statusChoices!.includes(s))];
  return {
    type: 'Input.ChoiceSet',
    id: SubscriptionInput.Statuses,
    label,
    isMultiSelect: true,
    style: 'compact',
    placeholder: 'Any status',
    value: view.statuses.join(','),
    choices: names.map((name) => ({ title: name, value: name })),
  };
}

/** The card `subscribe` answers with: a button that opens the dialog. */
export function subscribeStartCard(notice?: string): AdaptiveCard {
  return adaptiveCard(
    [
      ...(notice ? [noticeBanner({ text: notice, tone: 'attention' })] : []),
      { type: 'TextBlock', text: 'Get Jira alerts in this conversation', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: 'Choose projects, an optional JQL filter and the changes to hear about.', wrap: true, isSubtle: true, spacing: 'Small' },
    ],
    [{ type: 'Action.Submit', title: 'Set up alerts', data: { msteams: { type: 'task/fetch' }, verb: SubscriptionVerb.Open } }],
  );
}
