/**
 * Verbs of the subscription cards and dialog. A wire contract with cards already posted: add
 * verbs, never rename them.
 */
export const SubscriptionVerb = {
  /** task/fetch: the subscribe dialog, empty or for `subscriptionId`. */
  Open: 'alerts.subscription.open',
  /** task/submit: save the dialog. */
  Save: 'alerts.subscription.save',
  /** task/submit: the dialog again, with the chosen projects' statuses to pick from. */
  Refresh: 'alerts.subscription.refresh',
  Mute: 'alerts.subscription.mute',
  Unmute: 'alerts.subscription.unmute',
  Delete: 'alerts.subscription.delete',
  SendTest: 'alerts.subscription.test',
  RetryParked: 'alerts.subscription.retryParked',
} as const;

export type SubscriptionVerb = (typeof SubscriptionVerb)[keyof typeof SubscriptionVerb];

/** Input ids of the subscribe dialog, as Teams returns them in the submit's `data`. */
export const SubscriptionInput = {
  Site: 'site',
  Projects: 'projects',
  Jql: 'jql',
  Events: 'events',
  Statuses: 'statuses',
  Fields: 'fields',
  TwoWayThreads: 'twoWayThreads',
} as const;
