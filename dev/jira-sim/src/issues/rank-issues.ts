import { JiraError } from '../http/jira-error';
import { FieldId } from '../site/field-ids';
import { rankBetween } from '../site/lexo-rank';
import type { Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { IssueChange } from './issue-change';
import { recordChange } from './record-change';

export interface RankEntry {
  issueId: number;
  issueKey: string;
  status: number;
  errors?: string[];
}

export interface RankInput {
  issues?: unknown;
  rankBeforeIssue?: unknown;
  rankAfterIssue?: unknown;
}

const byRank = (a: Issue, b: Issue) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);

/**
 * PUT /rest/agile/1.0/issue/rank: places the issues, in the order given, right before or after
 * the anchor. Each issue succeeds or fails on its own (Jira's 207 entries); only the moved ones
 * get a new rank between their neighbours, so no other issue is renumbered.
 */
export function rankIssues(state: SiteState, actorAccountId: string, input: RankInput): { entries: RankEntry[]; changes: IssueChange[] } {
  if (!Array.isArray(input.issues) || input.issues.length === 0) throw JiraError.badRequest({}, ['At least one issue must be provided.']);
  if (input.issues.length > 50) throw JiraError.badRequest({}, ['Only 50 issues can be ranked at once.']);
  const before = typeof input.rankBeforeIssue === 'string' ? input.rankBeforeIssue : undefined;
  const after = typeof input.rankAfterIssue === 'string' ? input.rankAfterIssue : undefined;
  if (!before === !after) throw JiraError.badRequest({}, ['Exactly one of rankBeforeIssue or rankAfterIssue must be provided.']);
  const anchorRef = (before ?? after)!;
  const anchor = state.issue(anchorRef);
  if (!anchor || !state.canBrowse(actorAccountId, anchor)) {
    throw JiraError.badRequest({}, [`Issue ${anchorRef} does not exist or you do not have permission to see it.`]);
  }

  const entries: RankEntry[] = [];
  const movers: Issue[] = [];
  for (const ref of input.issues as unknown[]) {
    const issue = typeof ref === 'string' ? state.issue(ref) : undefined;
    if (!issue || !state.canBrowse(actorAccountId, issue)) {
      entries.push({ issueId: 0, issueKey: String(ref), status: 404, errors: ['Issue does not exist or you do not have permission to see it.'] });
    } else if (!state.can(actorAccountId, state.projectOf(issue), 'SCHEDULE_ISSUES')) {
      entries.push({ issueId: Number(issue.id), issueKey: issue.key, status: 403, errors: ['You do not have permission to rank issues.'] });
    } else if (issue === anchor) {
      entries.push({ issueId: Number(issue.id), issueKey: issue.key, status: 400, errors: ['Cannot rank an issue relative to itself.'] });
    } else {
      movers.push(issue);
      entries.push({ issueId: Number(issue.id), issueKey: issue.key, status: 200 });
    }
  }

  const changes: IssueChange[] = [];
  if (movers.length) {
    const moving = new Set(movers);
    const order = state.site.issues.filter((i) => !moving.has(i)).sort(byRank);
    const at = order.indexOf(anchor);
    let low = before ? (order[at - 1]?.rank ?? null) : anchor.rank;
    const high = before ? anchor.rank : (order[at + 1]?.rank ?? null);
    for (const issue of movers) {
      const oldRank = issue.rank;
      issue.rank = rankBetween(low, high);
      low = issue.rank;
      const changelog = recordChange(state, issue, actorAccountId, [
        {
          field: 'Rank',
          fieldtype: 'custom',
          fieldId: FieldId.Rank,
          from: '',
          fromString: '',
          to: '',
          toString: issue.rank < oldRank ? 'Ranked higher' : 'Ranked lower',
        },
      ]);
      changes.push({ event: 'jira:issue_updated', eventTypeName: 'issue_generic', issue, actorAccountId, changelog });
    }
  }
  return { entries, changes };
}
