import { adfPlainText } from './adf-plain-text';
import { mentionedAccounts } from './mentioned-accounts';
import { IssueEventKind, type EventPerson, type IssueEvent } from './issue-event';
import { changelogChanges, changelogEventId, commentEventId, createdEventId, descriptionMentions, issueSnapshot, kindsOf } from './normalize-jira-webhook';

// The parts of a searched issue read here; Jira's JSON is trusted for nothing, so every leaf is unknown.
type PolledHistory = { id?: unknown; created?: unknown; items?: unknown; author?: unknown };
type PolledComment = { id?: unknown; created?: unknown; body?: unknown; author?: unknown };
type PolledFields = { created?: unknown; creator?: unknown; reporter?: unknown; comment?: { comments?: PolledComment[] } };
type PolledIssue = { fields?: PolledFields; changelog?: { histories?: PolledHistory[] } };

/**
 * The IssueEvents a searched issue (REST v3, `expand=changelog`, fields incl. `comment` and
 * `created`) holds since `since`: its creation, each changelog history, each new comment. Ids
 * match the webhook's, so a change seen both ways is accepted once.
 */
export function pollEvents(raw: Record<string, unknown>, site: string, since: number): IssueEvent[] {
  const issue = issueSnapshot(raw, site);
  if (!issue) return [];
  const polled = raw as PolledIssue;
  const fields = polled.fields ?? {};
  const after = (time: unknown): time is string => typeof time === 'string' && Date.parse(time) >= since;
  const base = { site, issue, source: 'poll' as const };
  const events: IssueEvent[] = [];

  if (after(fields.created)) {
    events.push({
      ...base,
      id: createdEventId(issue.id),
      kinds: [IssueEventKind.Created],
      changes: [],
      occurredAt: iso(fields.created),
      ...actor(fields.creator ?? fields.reporter),
    });
  }
  for (const history of polled.changelog?.histories ?? []) {
    if (!after(history.created)) continue;
    const changes = changelogChanges(history.items);
    if (changes.length === 0) continue;
    const mentions = descriptionMentions(changes);
    events.push({
      ...base,
      id: changelogEventId(issue.id, String(history.id)),
      kinds: kindsOf(changes),
      changes,
      ...(mentions.length > 0 ? { mentions } : {}),
      occurredAt: iso(history.created),
      ...actor(history.author),
    });
  }
  for (const comment of fields.comment?.comments ?? []) {
    if (!after(comment.created)) continue;
    events.push({
      ...base,
      id: commentEventId(issue.id, String(comment.id)),
      kinds: [IssueEventKind.Commented],
      changes: [],
      comment: { id: String(comment.id), excerpt: adfPlainText(comment.body).slice(0, 600) },
      ...(mentionedAccounts(comment.body).length > 0 ? { mentions: mentionedAccounts(comment.body) } : {}),
      occurredAt: iso(comment.created),
      ...actor(comment.author),
    });
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

const iso = (time: string) => new Date(Date.parse(time)).toISOString();

function actor(raw: unknown): { actor?: EventPerson } {
  const person = raw as { displayName?: unknown; accountId?: unknown } | undefined;
  if (!person || typeof person.displayName !== 'string') return {};
  return { actor: { ...(typeof person.accountId === 'string' ? { accountId: person.accountId } : {}), displayName: person.displayName } };
}
