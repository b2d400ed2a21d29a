/**
 * Universal Action verbs the issue cards send (`adaptiveCard/action` invokes). The names are a
 * wire contract with cards already posted in chats: add verbs, never rename them.
 */
export const Verb = {
  Assign: 'jira.assign',
  Transition: 'jira.transition',
  Comment: 'jira.comment',
  Watch: 'jira.watch',
  Unwatch: 'jira.unwatch',
  Refresh: 'jira.refresh',
} as const;

export type Verb = (typeof Verb)[keyof typeof Verb];

/** The `data` every issue action carries; the host tells which site a key belongs to. */
export interface IssueActionData {
  key: string;
  site: string;
}

/** Input ids whose values Teams merges into `data` when the action fires. */
export const IssueInput = {
  TransitionId: 'transitionId',
  Comment: 'comment',
} as const;

/** What arrives in `value.action.data` for each verb: the card's data plus its inputs. */
export type IssueActionPayload = IssueActionData & { transitionId?: string; comment?: string };
