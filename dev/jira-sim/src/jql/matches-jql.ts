import { evaluateJqlDateFunction } from './evaluate-jql-date-function';
import { clauseDefinition } from './find-jql-field';
import type { JqlContext, JqlIssue, JqlSprint, JqlUser } from './jql-issue';
import { jqlPriorityRank } from './jql-priority-rank';
import { JQL_HISTORY_OPERATORS, type JqlClause, type JqlOperand, type JqlOperator, type JqlQuery, type JqlTerminalClause } from './jql-query';
import { matchesJqlHistory, updatedByMatches } from './matches-jql-history';
import { matchesJqlText } from './matches-jql-text';
import { parseIssueKey } from './parse-issue-key';
import { resolutionOf } from './resolution-of';
import { resolveJqlDate } from './resolve-jql-date';

type Item = Exclude<JqlOperand, { kind: 'list' }>;
type PositiveOperator = '=' | '<' | '>' | '<=' | '>=' | '~' | 'in' | 'is';

const NEGATIONS: Partial<Record<JqlOperator, PositiveOperator>> = { '!=': '=', 'not in': 'in', '!~': '~', 'is not': 'is' };
const CATEGORY_IDS: Record<JqlIssue['statusCategoryKey'], string> = { new: '2', indeterminate: '4', done: '3' };
const SPRINT_FUNCTIONS: Record<string, JqlSprint['state']> = {
  opensprints: 'active',
  closedsprints: 'closed',
  futuresprints: 'future',
};

/**
 * Whether an issue satisfies the WHERE part of a query (ORDER BY is ignored).
 * Negation follows Jira: `!=`, `NOT IN`, `!~` and `NOT (...)` never match an issue whose field
 * is empty (`assignee != bob` skips unassigned issues) unless the operand itself names EMPTY.
 * Unvalidated oddities (an operator a field does not support, an unknown value) match nothing.
 */
export function matchesJql(query: JqlQuery, issue: JqlIssue, ctx: JqlContext): boolean {
  return query.where === undefined || evaluate(query.where, issue, ctx, false);
}

function evaluate(clause: JqlClause, issue: JqlIssue, ctx: JqlContext, negated: boolean): boolean {
  switch (clause.kind) {
    case 'and':
      return negated ? clause.clauses.some((c) => evaluate(c, issue, ctx, true)) : clause.clauses.every((c) => evaluate(c, issue, ctx, false));
    case 'or':
      return negated ? clause.clauses.every((c) => evaluate(c, issue, ctx, true)) : clause.clauses.some((c) => evaluate(c, issue, ctx, false));
    case 'not':
      return evaluate(clause.clause, issue, ctx, !negated);
    case 'terminal':
      return evaluateTerminal(clause, issue, ctx, negated);
    default:
      throw new Error(`Unknown clause ${JSON.stringify(clause)}`);
  }
}

function evaluateTerminal(clause: JqlTerminalClause, issue: JqlIssue, ctx: JqlContext, negated: boolean): boolean {
  if (!clauseDefinition(clause).operators.includes(clause.operator)) return false;
  if (JQL_HISTORY_OPERATORS.has(clause.operator)) return matchesJqlHistory(clause, issue, ctx) !== negated;
  const base = NEGATIONS[clause.operator] ?? (clause.operator as PositiveOperator);
  if (base === 'is' && clause.operand.kind !== 'empty') return false;
  const positive = matchesPositive(clause, base, issue, ctx);
  const negative = (NEGATIONS[clause.operator] !== undefined) !== negated;
  if (!negative) return positive;
  if (base === 'is' || mentionsEmpty(clause.operand)) return !positive;
  return !isEmpty(clause, issue) && !positive;
}

function mentionsEmpty(operand: JqlOperand): boolean {
  return operand.kind === 'empty' || (operand.kind === 'list' && operand.items.some(mentionsEmpty));
}

function matchesPositive(clause: JqlTerminalClause, operator: PositiveOperator, issue: JqlIssue, ctx: JqlContext): boolean {
  const { operand } = clause;
  if (operator === 'is') return operand.kind === 'empty' && isEmpty(clause, issue);
  const items: Item[] = operand.kind === 'list' ? operand.items.filter((i): i is Item => i.kind !== 'list') : [operand];
  if (operator === '=' || operator === 'in') {
    return items.some((item) => (item.kind === 'empty' ? isEmpty(clause, issue) : equals(clause, item, issue, ctx)));
  }
  const item = items.length === 1 ? items[0] : undefined;
  if (!item || item.kind === 'empty') return false;
  if (operator === '~') return item.kind === 'value' && matchesJqlText(item.value, textsOf(clause, issue));
  const order = compare(clause, item, issue, ctx);
  if (order === undefined) return false;
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return false;
  }
}

function isEmpty(clause: JqlTerminalClause, issue: JqlIssue): boolean {
  switch (clause.field) {
    case 'priority':
      return issue.priorityName === null;
    case 'assignee':
    case 'reporter':
      return issue[clause.field] === null;
    case 'watcher':
      return (issue.watchers ?? []).length === 0;
    case 'labels':
      return issue.labels.length === 0;
    case 'sprint':
      return sprintsOf(issue).length === 0;
    case 'storyPoints':
      return issue.storyPoints === null;
    case 'created':
    case 'updated':
    case 'resolved':
    case 'duedate':
      return dateOf(clause, issue) === null;
    case 'parent':
      return !issue.parentKey;
    case 'fixVersion':
      return (issue.fixVersions ?? []).length === 0;
    case 'affectedVersion':
      return (issue.affectedVersions ?? []).length === 0;
    case 'component':
      return (issue.components ?? []).length === 0;
    case 'custom': {
      const value = customValue(clause, issue);
      return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    }
    case 'resolution':
      return resolutionOf(issue) === null;
    case 'summary':
    case 'description':
    case 'comment':
    case 'text':
      return textsOf(clause, issue).every((t) => t.trim() === '');
    default:
      return false;
  }
}

function textsOf(clause: JqlTerminalClause, issue: JqlIssue): string[] {
  switch (clause.field) {
    case 'summary':
      return [issue.summary];
    case 'description':
      return [issue.descriptionText];
    case 'comment':
      return issue.commentTexts;
    case 'text':
      return [issue.summary, issue.descriptionText, ...issue.commentTexts];
    default:
      return [];
  }
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function equals(clause: JqlTerminalClause, item: Exclude<Item, { kind: 'empty' }>, issue: JqlIssue, ctx: JqlContext): boolean {
  const family = clauseDefinition(clause).family;
  if (item.kind === 'function') {
    const name = item.name.toLowerCase();
    if (family === 'user' && name === 'currentuser') {
      const me = ctx.currentAccountId;
      return me !== undefined && usersOf(clause, issue).some((u) => u.accountId === me);
    }
    if (family === 'sprint' && name in SPRINT_FUNCTIONS) {
      return sprintsOf(issue).some((s) => s.state === SPRINT_FUNCTIONS[name]);
    }
    if (family === 'key' && name === 'watchedissues') {
      const me = ctx.currentAccountId;
      return me !== undefined && (issue.watchers ?? []).some((w) => (typeof w === 'string' ? w : w.accountId) === me);
    }
    if (family === 'key' && name === 'updatedby') return updatedByMatches(item.args, issue, ctx);
    return family === 'date' && compare(clause, item, issue, ctx) === 0;
  }
  const value = item.value;
  switch (family) {
    case 'project':
      return sameText(issue.projectKey, value) || sameText(issue.projectName, value) || issue.projectId === value;
    case 'key':
      return /^\d+$/.test(value) ? issue.id === value : sameText(issue.key, value);
    case 'status':
      return sameText(issue.statusName, value) || issue.statusId === value;
    case 'statusCategory':
      return [issue.statusCategoryKey, issue.statusCategoryName, CATEGORY_IDS[issue.statusCategoryKey]].some((v) => sameText(v, value));
    case 'priority':
      return issue.priorityName !== null && (sameText(issue.priorityName, value) || issue.priorityId === value);
    case 'user':
      return usersOf(clause, issue).some(
        (u) => u.accountId === value || (u.displayName !== '' && sameText(u.displayName, value)) || (u.emailAddress !== undefined && sameText(u.emailAddress, value)),
      );
    case 'issuetype':
      return sameText(issue.issueTypeName, value) || issue.issueTypeId === value;
    case 'parent':
      return !!issue.parentKey && sameText(issue.parentKey, value);
    case 'resolution': {
      // Jira spells "no resolution" as the value Unresolved as well as EMPTY.
      const own = resolutionOf(issue);
      return sameText(value, 'Unresolved') ? own === null : own !== null && sameText(own, value);
    }
    case 'labels':
      return (clause.field === 'custom' ? stringsOf(clause, issue) : issue.labels).some((l) => sameText(l, value));
    case 'option':
      return stringsOf(clause, issue).some((o) => sameText(o, value));
    case 'sprint':
      return sprintsOf(issue).some((s) => String(s.id) === value || sameText(s.name, value));
    case 'version':
      return (clause.field === 'fixVersion' ? (issue.fixVersions ?? []) : (issue.affectedVersions ?? [])).some((v) => sameText(v, value));
    case 'component':
      return (issue.components ?? []).some((c) => sameText(c, value));
    case 'date':
    case 'number':
      return compare(clause, item, issue, ctx) === 0;
    default:
      return false;
  }
}

/** Sign of (issue's value - operand), or undefined when the two are not comparable. */
function compare(clause: JqlTerminalClause, item: Exclude<Item, { kind: 'empty' }>, issue: JqlIssue, ctx: JqlContext): number | undefined {
  const family = clauseDefinition(clause).family;
  if (family === 'date') {
    const own = dateOf(clause, issue);
    const other = operandDate(item, ctx);
    if (!own || !other) return undefined;
    // Jira compares dates to the minute.
    return Math.sign(Math.floor(own.getTime() / 60_000) - Math.floor(other.getTime() / 60_000));
  }
  if (item.kind !== 'value') return undefined;
  switch (family) {
    case 'key': {
      if (/^\d+$/.test(item.value)) return /^\d+$/.test(issue.id) ? Math.sign(Number(issue.id) - Number(item.value)) : undefined;
      const own = parseIssueKey(issue.key);
      const other = parseIssueKey(item.value);
      // A key range only spans its own project.
      if (!own || !other || own.projectKey !== other.projectKey) return undefined;
      return Math.sign(own.number - other.number);
    }
    case 'priority': {
      const own = issue.priorityName === null ? undefined : jqlPriorityRank(issue.priorityName, ctx.priorityOrder);
      const other = jqlPriorityRank(item.value, ctx.priorityOrder);
      return own === undefined || other === undefined ? undefined : Math.sign(own - other);
    }
    case 'number': {
      const own = clause.field === 'custom' ? customValue(clause, issue) : issue.storyPoints;
      const other = Number(item.value);
      return typeof own !== 'number' || item.value.trim() === '' || Number.isNaN(other) ? undefined : Math.sign(own - other);
    }
    default:
      return undefined;
  }
}

// A search evaluates the same operand against every issue with one ctx; resolve it once.
const operandDates = new WeakMap<object, { now: number; timeZone?: string; date: Date | undefined }>();

function operandDate(item: Exclude<Item, { kind: 'empty' }>, ctx: JqlContext): Date | undefined {
  const cached = operandDates.get(item);
  if (cached && cached.now === ctx.now.getTime() && cached.timeZone === ctx.timeZone) return cached.date;
  const date = item.kind === 'function' ? evaluateJqlDateFunction(item.name, item.args, ctx.now, ctx.timeZone) : resolveJqlDate(item.value, ctx.now, ctx.timeZone);
  operandDates.set(item, { now: ctx.now.getTime(), timeZone: ctx.timeZone, date });
  return date;
}

function dateOf(clause: JqlTerminalClause, issue: JqlIssue): Date | null {
  switch (clause.field) {
    case 'created':
    case 'updated':
    case 'resolved':
      return issue[clause.field];
    case 'duedate':
      return issue.dueDate ?? null;
    case 'custom': {
      const value = customValue(clause, issue);
      return value instanceof Date ? value : null;
    }
    default:
      return null;
  }
}

function customValue(clause: JqlTerminalClause, issue: JqlIssue): Date | number | string[] | JqlUser | null | undefined {
  return clause.custom ? issue.custom?.[clause.custom.id] : undefined;
}

function stringsOf(clause: JqlTerminalClause, issue: JqlIssue): string[] {
  const value = customValue(clause, issue);
  return Array.isArray(value) ? value : [];
}

function usersOf(clause: JqlTerminalClause, issue: JqlIssue): JqlUser[] {
  if (clause.field === 'watcher') {
    return (issue.watchers ?? []).map((w) => (typeof w === 'string' ? { accountId: w, displayName: '' } : w));
  }
  if (clause.field === 'custom') {
    const value = customValue(clause, issue);
    return value && typeof value === 'object' && 'accountId' in value ? [value] : [];
  }
  const user = clause.field === 'assignee' ? issue.assignee : clause.field === 'reporter' ? issue.reporter : null;
  return user ? [user] : [];
}

function sprintsOf(issue: JqlIssue): JqlSprint[] {
  if (!issue.sprint) return [];
  return Array.isArray(issue.sprint) ? issue.sprint : [issue.sprint];
}
