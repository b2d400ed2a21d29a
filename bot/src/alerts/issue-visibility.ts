import type { ConnectionOwner } from '../connections/connection';

/**
 * Whether a person may see an issue, asked with that person's own Jira connection (never the
 * subscription owner's or the webhook's view). Anything but a clear yes is a no: no connection,
 * another site, 403, 404. When Jira cannot be asked (unreachable) it may reject instead, and the
 * caller decides later rather than say no.
 */
export interface IssueVisibility {
  canSee(site: string, owner: ConnectionOwner, issueKey: string): Promise<boolean>;
}
