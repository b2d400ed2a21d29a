import type { JqlIssue } from '../jql';
import type { IssueChange } from '../issues/issue-change';
import { toJqlIssue } from '../search/to-jql-issue';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';

interface Indexed {
  at: number;
  /** What search saw before this change; null when the issue did not exist yet. */
  before: JqlIssue | null;
}

/**
 * Jira's search index, which lags behind writes (GET /rest/api/3/search/jql: "Recent updates might
 * not be immediately visible"). Every change is remembered with the view search saw before it; with
 * realism.searchLagMs > 0 a search matches an issue changed within the lag against that older view
 * (an issue created within the lag is not found at all), unless the request names the issue in
 * `reconcileIssues`. With no lag, search reads the live site as before.
 */
export class SearchIndex {
  private pending = new Map<string, Indexed[]>();
  /** The view each issue had after its latest change: the "before" of its next one. */
  private latest = new Map<string, JqlIssue>();

  constructor(private readonly state: SiteState) {
    this.reset();
  }

  reset(): void {
    this.pending.clear();
    this.latest.clear();
    for (const issue of this.state.site.issues) this.latest.set(issue.id, toJqlIssue(this.state, issue));
  }

  record(change: IssueChange): void {
    const id = change.issue.id;
    const before = change.event === 'jira:issue_created' ? null : (this.latest.get(id) ?? null);
    const cutoff = this.state.now() - this.state.realism.searchLagMs;
    const entries = (this.pending.get(id) ?? []).filter((e) => e.at > cutoff);
    entries.push({ at: this.state.now(), before });
    this.pending.set(id, entries);
    if (change.event === 'jira:issue_deleted') this.latest.delete(id);
    else this.latest.set(id, toJqlIssue(this.state, change.issue));
  }

  /**
   * The view search matches for an issue: the live one, or the one from before its oldest change
   * still inside the lag (null: not searchable yet).
   */
  viewOf(issue: Issue, reconciled: ReadonlySet<string>): JqlIssue | null {
    const live = toJqlIssue(this.state, issue);
    const lag = this.state.realism.searchLagMs;
    if (lag <= 0 || reconciled.has(issue.id)) return live;
    const cutoff = this.state.now() - lag;
    const first = (this.pending.get(issue.id) ?? []).find((e) => e.at > cutoff);
    return first ? first.before : live;
  }
}
