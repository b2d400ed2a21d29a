import type { EventCompleter } from './event-router';
import type { IssueEvent } from './issue-event';
import type { JqlKeySearch } from './subscription-matcher';

/**
 * Reads from Jira what thin events (comment webhooks) leave out, for the matching that needs it:
 * the reporter ("a comment on an issue I reported") and the labels (label filters). One search
 * for a whole batch's issues; undefined where the search port cannot read issues.
 *
 * A failure rejects, leaving the events thin, so what needs these fields waits and is tried
 * again; an issue Jira no longer has is matched on what the webhook said.
 */
export function completeThinEvents(search: JqlKeySearch): EventCompleter | undefined {
  const read = search.currentIssues?.bind(search);
  if (!read) return undefined;
  return async (site, events) => {
    const ids = [...new Set(events.filter((e) => e.thin).map((e) => e.issue.id))];
    if (ids.length === 0) return [...events];
    const current = new Map((await read(site, ids)).map((issue) => [issue.id, issue]));
    return events.map((event): IssueEvent => {
      if (!event.thin) return event;
      const { thin: _thin, ...complete } = event;
      const now = current.get(event.issue.id);
      if (!now) return complete;
      const issue = { ...event.issue, labels: now.labels };
      if (now.reporter) issue.reporter = now.reporter;
      return { ...complete, issue };
    });
  };
}
