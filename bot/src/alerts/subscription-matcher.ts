import { JiraErrorCode } from '../jira/jira-error';
import type { Logger } from '../log/create-logger';
import type { AlertRoute } from './alert-outbox';
import type { EventMatcher } from './event-router';
import { IssueEventKind, type IssueEvent, type IssueSnapshot } from './issue-event';
import { completeThinEvents } from './complete-thin-events';
import { matchSimpleJql } from './match-simple-jql';
import { parseSimpleJql, type SimpleClause } from './parse-simple-jql';
import type { Subscription } from './subscription';

/**
 * Asks Jira which of some issues a JQL query matches. The lead wires it to the Jira client with
 * an app-level (or subscription owner's) connection: one `POST /rest/api/3/search/jql` with
 * `key in (K1, K2, ...) AND (<jql>)`, fields none, per call.
 *
 * `reconcileIds` are the ids of those issues: Jira's search index lags behind a change, and the
 * change a webhook just announced is often the very one that makes the issue match.
 */
export interface JqlKeySearch {
  keysMatching(site: string, keys: readonly string[], jql: string, reconcileIds?: readonly string[]): Promise<Set<string>>;
  /** The issues with these ids as Jira has them now (those it no longer has are left out), for events that came thin. */
  currentIssues?(site: string, issueIds: readonly string[]): Promise<IssueSnapshot[]>;
}

/** Builds the batched query the JqlKeySearch sends; keys are quoted so odd keys cannot break out. */
export function batchedKeyJql(keys: readonly string[], jql: string): string {
  return `key in (${keys.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`).join(', ')}) AND (${jql})`;
}

type Targets = Map<string, AlertRoute[]>;

/** The fields of simple JQL that even a thin comment webhook carries (labels it does not). */
const THIN_FIELDS = new Set<SimpleClause['field']>(['project', 'status', 'priority', 'issuetype', 'assignee']);

/**
 * Which conversations an event goes to: project and event type locally; JQL locally when it is
 * in the simple subset, otherwise one Jira query per distinct JQL in the batch (an event batch
 * is one site's). A conversation with several matching subscriptions gets the event once.
 */
export function subscriptionMatcher(deps: { subscriptions: { forSite(site: string): Promise<Subscription[]> }; search: JqlKeySearch; logger: Logger }): EventMatcher {
  const parsed = new Map<string, SimpleClause[] | null>();
  const simple = (jql: string) => {
    if (!parsed.has(jql)) parsed.set(jql, parseSimpleJql(jql) ?? null);
    return parsed.get(jql) ?? undefined;
  };

  const complete = completeThinEvents(deps.search);
  return {
    ...(complete ? { complete } : {}),
    async targets(site, events, options = {}) {
      const { offline = false, undecided } = options;
      const subscriptions = (await deps.subscriptions.forSite(site)).filter((s) => !s.muted);
      const candidates: Array<{ event: IssueEvent; subscription: Subscription }> = [];
      const remote = new Map<string, Map<string, string>>();
      /** Per JQL, the events that wait on it: only those wait when Jira cannot evaluate it. */
      const remoteEvents = new Map<string, Set<string>>();
      for (const event of events) {
        for (const subscription of subscriptions) {
          if (!wants(subscription, event)) continue;
          const jql = subscription.jql?.trim();
          // A deleted issue cannot be searched; its project and event type decide.
          if (jql && !event.kinds.includes(IssueEventKind.Deleted)) {
            const clauses = simple(jql);
            // A thin event does not say what the clauses ask about: Jira does (or later, if it cannot now).
            const local = clauses !== undefined && !(event.thin && clauses.some((c) => !THIN_FIELDS.has(c.field)));
            if (!local) {
              if (offline && undecided) {
                undecided.add(event.id);
                continue;
              }
              remote.set(jql, (remote.get(jql) ?? new Map<string, string>()).set(event.issue.key, event.issue.id));
              remoteEvents.set(jql, (remoteEvents.get(jql) ?? new Set<string>()).add(event.id));
            }
          }
          candidates.push({ event, subscription });
        }
      }

      const remoteHits = new Map<string, Set<string>>();
      for (const [jql, keys] of remote) {
        try {
          remoteHits.set(jql, await deps.search.keysMatching(site, [...keys.keys()], jql, [...keys.values()]));
        } catch (error) {
          const code = (error as { code?: string })?.code;
          if (code !== JiraErrorCode.BadRequest) {
            if (!undecided) throw error;
            // Jira unreachable: these events wait for it; their other routes go out now.
            deps.logger.warn({ site, code }, 'Jira could not evaluate a subscription JQL; its alerts wait');
            for (const id of remoteEvents.get(jql) ?? []) undecided.add(id);
            continue;
          }
          // Jira rejecting the JQL (it changed since it was saved) must not hold up other alerts.
          deps.logger.warn({ site, code: JiraErrorCode.BadRequest }, 'a subscription JQL is no longer valid; its alerts are skipped');
          remoteHits.set(jql, new Set());
        }
      }

      const result: Targets = new Map();
      for (const { event, subscription } of candidates) {
        const jql = subscription.jql?.trim();
        if (jql && !event.kinds.includes(IssueEventKind.Deleted)) {
          const clauses = simple(jql);
          const local = clauses !== undefined && !(event.thin && clauses.some((c) => !THIN_FIELDS.has(c.field)));
          const hit = local ? matchSimpleJql(clauses, event.issue) : (remoteHits.get(jql)?.has(event.issue.key) ?? false);
          if (!hit) continue;
        }
        const list = result.get(event.id) ?? [];
        const same = list.find((t) => t.target.conversationId === subscription.target.conversationId);
        if (same) {
          same.subscriptionIds.push(subscription.id);
          if (subscription.twoWayThreads) same.threaded = true;
        } else {
          list.push({ target: subscription.target, subscriptionIds: [subscription.id], ...(subscription.twoWayThreads ? { threaded: true } : {}) });
        }
        result.set(event.id, list);
      }
      return result;
    },
  };
}

/** Project, event type, chosen statuses and fields: everything but the JQL. */
export function wants(subscription: Subscription, event: IssueEvent): boolean {
  if (subscription.projects.length > 0 && !subscription.projects.some((p) => p.toUpperCase() === event.issue.projectKey.toUpperCase())) return false;
  return event.kinds.some((kind) => {
    if (!subscription.eventKinds.includes(kind)) return false;
    if (kind === IssueEventKind.Transitioned && subscription.statuses.length > 0) {
      const to = event.changes.find((c) => (c.fieldId ?? c.field).toLowerCase() === 'status')?.to?.toLowerCase();
      return subscription.statuses.some((s) => s.toLowerCase() === to);
    }
    if (kind === IssueEventKind.FieldChanged && subscription.fields.length > 0) {
      const chosen = subscription.fields.map((f) => f.toLowerCase());
      return event.changes.some((c) => chosen.includes(c.field.toLowerCase()) || (c.fieldId !== undefined && chosen.includes(c.fieldId.toLowerCase())));
    }
    return true;
  });
}
