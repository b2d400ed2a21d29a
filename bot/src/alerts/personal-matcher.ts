import type { ConnectionOwner } from '../connections/connection';
import type { AlertRoute, AlertTarget } from './alert-outbox';
import type { EventMatcher } from './event-router';
import type { IssueVisibility } from './issue-visibility';
import { IssueEventKind, type IssueEvent } from './issue-event';
import type { PersonalPreferenceRepository, PersonalReason } from './personal-preferences';

/**
 * Teams users connected to Jira accounts on a site, with their personal chat. The lead wires it
 * to the connection repository (account id per connection) and the stored personal-scope
 * conversation references.
 */
export interface PersonalRecipients {
  forAccounts(site: string, accountIds: readonly string[]): Promise<Map<string, Array<{ userKey: string; owner: ConnectionOwner; target: AlertTarget }>>>;
}

/** Watchers of issues (`GET /rest/api/3/issue/{key}/watchers`), one call per issue per batch. */
export interface WatcherLookup {
  watchers(site: string, issueKey: string): Promise<string[]>;
}

/**
 * Personal notifications: assigned to me, mentioned, a comment on an issue I reported, a watched
 * issue changed. Nobody hears about their own change.
 *
 * The event's text (summary, status, comment) comes from the webhook or the poller, which see
 * more than most people: a mention or an assignment does not mean the person may browse the
 * issue. So each recipient is asked about with their own connection (`visibility`) before a
 * route is made; one who may not see it gets nothing, and nothing about them or the issue is
 * logged here. Asked once per person and issue per batch.
 */
export function personalMatcher(deps: {
  recipients: PersonalRecipients;
  preferences: PersonalPreferenceRepository;
  visibility: IssueVisibility;
  watchers?: WatcherLookup;
}): EventMatcher {
  return {
    async targets(site, events, options = {}) {
      const { offline = false, undecided } = options;
      if (offline && undecided) {
        // Every personal route needs Jira (visibility as the recipient, watchers): decided in the online pass.
        for (const event of events) if (deps.watchers || candidates(event, []).length > 0 || (event.thin && isComment(event))) undecided.add(event.id);
        return new Map();
      }
      const seen = new Map<string, Promise<boolean | undefined>>();
      /** True or false, or undefined when Jira could not be asked (then the event waits, where the caller lets it). */
      const canSee = (owner: ConnectionOwner, issueKey: string) => {
        const id = `${owner.tenantId}|${owner.userId}|${issueKey}`;
        let answer = seen.get(id);
        if (!answer) seen.set(id, (answer = deps.visibility.canSee(site, owner, issueKey).catch(() => (undecided ? undefined : false))));
        return answer;
      };
      const wanted = new Map<string, Array<{ accountId: string; reason: PersonalReason }>>();
      const watchersByIssue = new Map<string, string[]>();
      if (deps.watchers) {
        for (const key of new Set(events.map((e) => e.issue.key))) {
          const found = await deps.watchers.watchers(site, key).catch(() => {
            // Unreachable Jira: where the caller can wait, these events are matched again later.
            if (undecided) for (const event of events) if (event.issue.key === key) undecided.add(event.id);
            return [];
          });
          watchersByIssue.set(key, found);
        }
      }
      for (const event of events) {
        wanted.set(event.id, candidates(event, watchersByIssue.get(event.issue.key) ?? []));
        // A thin comment event does not name the reporter: whoever reported it hears once it is known.
        if (event.thin && isComment(event) && undecided) undecided.add(event.id);
      }

      const accounts = [...new Set([...wanted.values()].flat().map((c) => c.accountId))];
      const result = new Map<string, AlertRoute[]>();
      if (accounts.length === 0) return result;
      const people = await deps.recipients.forAccounts(site, accounts);
      for (const event of events) {
        const routes: AlertRoute[] = [];
        for (const { accountId, reason } of wanted.get(event.id) ?? []) {
          for (const person of people.get(accountId) ?? []) {
            if (!(await deps.preferences.get(person.userKey))[reason]) continue;
            if (routes.some((r) => r.target.conversationId === person.target.conversationId)) continue;
            const visible = await canSee(person.owner, event.issue.key);
            if (visible === undefined) undecided?.add(event.id);
            if (!visible) continue;
            routes.push({ target: person.target, subscriptionIds: [`personal:${reason}`] });
          }
        }
        if (routes.length > 0) result.set(event.id, routes);
      }
      return result;
    },
  };
}

const isComment = (event: IssueEvent) => event.kinds.includes(IssueEventKind.Commented);

/** Who might want to hear about an event, and why; the first reason per person wins. */
function candidates(event: IssueEvent, watchers: readonly string[]): Array<{ accountId: string; reason: PersonalReason }> {
  const list: Array<{ accountId: string; reason: PersonalReason }> = [];
  const add = (accountId: string | undefined, reason: PersonalReason) => {
    if (!accountId || accountId === event.actor?.accountId || list.some((c) => c.accountId === accountId)) return;
    list.push({ accountId, reason });
  };
  const assignedNow = event.kinds.includes(IssueEventKind.Assigned) || (event.kinds.includes(IssueEventKind.Created) && event.issue.assignee);
  if (assignedNow) add(event.issue.assignee?.accountId, 'assigned');
  for (const accountId of event.mentions ?? []) add(accountId, 'mentioned');
  if (event.kinds.includes(IssueEventKind.Commented)) add(event.issue.reporter?.accountId, 'reported');
  for (const accountId of watchers) add(accountId, 'watching');
  return list;
}

/** Routes of several matchers together; one route per conversation, subscription ids merged. */
export function combinedMatcher(matchers: readonly EventMatcher[]): EventMatcher {
  const complete = matchers.find((m) => m.complete)?.complete;
  return {
    ...(complete ? { complete } : {}),
    async targets(site, events, options) {
      const merged = new Map<string, AlertRoute[]>();
      for (const matcher of matchers) {
        for (const [eventId, routes] of await matcher.targets(site, events, options)) {
          const list = merged.get(eventId) ?? [];
          for (const route of routes) {
            const same = list.find((r) => r.target.conversationId === route.target.conversationId);
            if (!same) list.push({ ...route, subscriptionIds: [...route.subscriptionIds] });
            else {
              same.subscriptionIds.push(...route.subscriptionIds);
              if (route.threaded) same.threaded = true;
            }
          }
          merged.set(eventId, list);
        }
      }
      return merged;
    },
  };
}
