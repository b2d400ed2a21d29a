import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { noticeBanner, type CardNotice } from './notice-banner';
import { EVENT_CHOICES } from './subscription-form-card';
import { SubscriptionVerb } from './subscription-verb';

export interface SubscriptionListItem {
  id: string;
  site: string;
  projects: readonly string[];
  jql?: string;
  eventKinds: readonly string[];
  muted: boolean;
  twoWayThreads: boolean;
  /** Alerts Teams refused for good or after repeated failure, and the last reason. */
  parked: { count: number; lastCode?: string };
}

const MAX_SHOWN = 20;

/** `subscriptions`: every subscription of the conversation, with edit, mute, delete, test and parked alerts. */
export function subscriptionListCard(items: readonly SubscriptionListItem[], options: { notice?: CardNotice; canManage?: boolean } = {}): AdaptiveCard {
  const body: CardElement[] = [
    ...(options.notice ? [noticeBanner(options.notice)] : []),
    { type: 'TextBlock', text: 'Jira alerts in this conversation', size: 'Medium', weight: 'Bolder', wrap: true },
  ];
  if (items.length === 0) {
    body.push({ type: 'TextBlock', text: 'None yet. Type **subscribe** to set some up.', wrap: true, isSubtle: true });
  }
  for (const item of items.slice(0, MAX_SHOWN)) body.push(entry(item, options.canManage ?? true));
  if (items.length > MAX_SHOWN) body.push({ type: 'TextBlock', text: `and ${items.length - MAX_SHOWN} more`, isSubtle: true, wrap: true });
  return adaptiveCard(body);
}

function entry(item: SubscriptionListItem, canManage: boolean): CardElement {
  const data = { subscriptionId: item.id };
  const events = item.eventKinds.map((k) => EVENT_CHOICES.find((c) => c.value === k)?.title ?? k).join(', ');
  const lines = [
    `**${item.projects.length > 0 ? item.projects.map(escapeCardLine).join(', ') : 'Any project'}**${item.muted ? ' (muted)' : ''}`,
    ...(item.jql ? [`JQL: ${escapeCardLine(clipText(item.jql, 200))}`] : []),
    `Events: ${escapeCardLine(events)}`,
    ...(item.twoWayThreads ? ['Two-way threads on'] : []),
  ];
  const actions: CardElement[] = canManage
    ? [
        { type: 'Action.Submit', title: 'Edit', data: { msteams: { type: 'task/fetch' }, verb: SubscriptionVerb.Open, ...data } },
        item.muted
          ? { type: 'Action.Execute', title: 'Unmute', verb: SubscriptionVerb.Unmute, data }
          : { type: 'Action.Execute', title: 'Mute', verb: SubscriptionVerb.Mute, data },
        { type: 'Action.Execute', title: 'Send a test alert', verb: SubscriptionVerb.SendTest, data },
        { type: 'Action.Execute', title: 'Delete', verb: SubscriptionVerb.Delete, data, style: 'destructive' },
      ]
    : [];
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: lines.join('\n\n'), wrap: true },
      ...(item.parked.count > 0
        ? [
            {
              type: 'TextBlock',
              text: `${item.parked.count} alert${item.parked.count === 1 ? '' : 's'} could not be delivered (last reason: ${escapeCardLine(item.parked.lastCode ?? 'unknown')}).`,
              wrap: true,
              color: 'Attention',
              size: 'Small',
            },
          ]
        : []),
      ...(actions.length > 0 || item.parked.count > 0
        ? [
            {
              type: 'ActionSet',
              actions: [
                ...actions,
                ...(canManage && item.parked.count > 0 ? [{ type: 'Action.Execute', title: 'Retry undelivered', verb: SubscriptionVerb.RetryParked, data }] : []),
              ],
            },
          ]
        : []),
    ],
  };
}
