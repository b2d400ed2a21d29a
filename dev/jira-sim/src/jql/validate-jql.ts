import { JQL_DATE_FUNCTIONS, evaluateJqlDateFunction } from './evaluate-jql-date-function';
import { jqlFieldDefinition, type JqlFieldFamily } from './find-jql-field';
import type { JqlCatalog, JqlNamedValue } from './jql-catalog';
import { JqlError } from './jql-error';
import type { JqlClause, JqlOperand, JqlQuery, JqlTerminalClause } from './jql-query';
import { parseIssueKey } from './parse-issue-key';
import { resolveJqlDate } from './resolve-jql-date';

const DEFAULT_CATEGORIES = [
  { key: 'new', name: 'To Do', id: 2 },
  { key: 'indeterminate', name: 'In Progress', id: 4 },
  { key: 'done', name: 'Done', id: 3 },
];
const FUNCTIONS: Partial<Record<JqlFieldFamily, readonly string[]>> = {
  user: ['currentuser'],
  date: JQL_DATE_FUNCTIONS,
  sprint: ['opensprints', 'closedsprints', 'futuresprints'],
};
const ALL_FUNCTIONS = new Set(Object.values(FUNCTIONS).flat());
// Fields every issue has, so Jira refuses to search them for EMPTY.
const NEVER_EMPTY = new Set(['project', 'key', 'status', 'statusCategory', 'issuetype', 'created', 'updated', 'text']);
const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

type Item = Exclude<JqlOperand, { kind: 'list' }>;

/**
 * Checks a parsed query against what exists on the site, the way Jira validates before it
 * searches: operators a field supports, list versus single values, EMPTY, functions, and
 * every value (projects, statuses, priorities, issue types, users, dates, keys, numbers).
 * Throws one JqlError carrying every problem found, in query order, with Jira's wording.
 */
export function validateJql(query: JqlQuery, catalog: JqlCatalog): void {
  const problems: string[] = [];
  if (query.where) visit(query.where, (clause) => problems.push(...checkClause(clause, catalog)));
  if (problems.length > 0) throw new JqlError([...new Set(problems)]);
}

function visit(clause: JqlClause, onTerminal: (clause: JqlTerminalClause) => void): void {
  if (clause.kind === 'terminal') onTerminal(clause);
  else if (clause.kind === 'not') visit(clause.clause, onTerminal);
  else clause.clauses.forEach((c) => visit(c, onTerminal));
}

function checkClause(clause: JqlTerminalClause, catalog: JqlCatalog): string[] {
  const { fieldName, operator, operand } = clause;
  const definition = jqlFieldDefinition(clause.field);
  const isList = operand.kind === 'list';
  if ((operator === 'in' || operator === 'not in') && operand.kind !== 'list' && operand.kind !== 'function') {
    return [`Operator '${operator}' does not support the non-list value '${formatOperand(operand, true)}' for field '${fieldName}'.`];
  }
  if (isList && operator !== 'in' && operator !== 'not in') {
    return [`Operator '${operator}' does not support the list value '${formatOperand(operand, false)}' for field '${fieldName}'.`];
  }
  if (!definition.operators.includes(operator)) {
    return [`The operator '${operator}' is not supported by the '${fieldName}' field.`];
  }
  const items: Item[] = operand.kind === 'list' ? (operand.items as Item[]) : [operand];
  const hasEmpty = items.some((i) => i.kind === 'empty');
  if ((operator === 'is' || operator === 'is not') && (items.length !== 1 || !hasEmpty)) {
    return [`The operator '${operator}' only supports searching for EMPTY values for field '${fieldName}'.`];
  }
  if (hasEmpty && NEVER_EMPTY.has(clause.field)) {
    return [`The field '${fieldName}' does not support searching for EMPTY values.`];
  }
  if (hasEmpty && operator !== '=' && operator !== '!=' && operator !== 'is' && operator !== 'is not' && !isList) {
    return [`The operator '${operator}' does not support searching for EMPTY values.`];
  }
  return items.flatMap((item) => {
    if (item.kind === 'empty') return [];
    if (item.kind === 'function') return checkFunction(clause, definition.family, item);
    const problem = checkValue(clause, definition.family, item.value, catalog);
    return problem ? [problem] : [];
  });
}

function checkFunction(clause: JqlTerminalClause, family: JqlFieldFamily, item: Extract<Item, { kind: 'function' }>): string[] {
  const name = item.name.toLowerCase();
  if (!ALL_FUNCTIONS.has(name)) return [`Unable to find JQL function '${item.name}(${item.args.join(', ')})'.`];
  if (!(FUNCTIONS[family] ?? []).includes(name)) {
    return [`A value provided by the function '${item.name}' is invalid for the field '${clause.fieldName}'.`];
  }
  if (family === 'date') {
    if (!evaluateJqlDateFunction(item.name, item.args, new Date(0))) {
      return [`The function '${item.name}' has an invalid argument '${item.args.join(', ')}'.`];
    }
  } else if (item.args.length > 0) {
    return [`Function '${item.name}' expected '0' arguments but got '${item.args.length}'.`];
  }
  return [];
}

function checkValue(clause: JqlTerminalClause, family: JqlFieldFamily, value: string, catalog: JqlCatalog): string | undefined {
  const missing = `The value '${value}' does not exist for the field '${clause.fieldName}'.`;
  const same = (a: string) => a.toLowerCase() === value.toLowerCase();
  const known = (named: JqlNamedValue) => (typeof named === 'string' ? same(named) : same(named.name) || named.id === value);
  switch (family) {
    case 'project':
      return catalog.projects.some((p) => same(p.key) || same(p.name) || p.id === value) ? undefined : missing;
    case 'key':
      return /^\d+$/.test(value) || parseIssueKey(value) ? undefined : `The issue key '${value}' for field '${clause.fieldName}' is invalid.`;
    case 'status':
      return catalog.statuses.some(known) ? undefined : missing;
    case 'statusCategory':
      return (catalog.statusCategories ?? DEFAULT_CATEGORIES).some((c) => same(c.key) || same(c.name) || same(String(c.id)))
        ? undefined
        : missing;
    case 'priority':
      return catalog.priorities.some(known) ? undefined : missing;
    case 'issuetype':
      return catalog.issueTypes.some(known) ? undefined : missing;
    case 'parent':
      return parseIssueKey(value) ? undefined : `The issue key '${value}' for field '${clause.fieldName}' is invalid.`;
    case 'resolution':
      return !catalog.resolutions || same('Unresolved') || catalog.resolutions.some(same) ? undefined : missing;
    case 'user':
      return catalog.users.some((u) => u.accountId === value || same(u.displayName) || (u.emailAddress !== undefined && same(u.emailAddress)))
        ? undefined
        : missing;
    case 'sprint':
      return !catalog.sprints || catalog.sprints.some((s) => same(String(s.id)) || same(s.name)) ? undefined : missing;
    case 'date':
      return resolveJqlDate(value, new Date(0)) ? undefined : `Date value '${value}' for field '${clause.fieldName}' is invalid. ${DATE_FORMATS}`;
    case 'number':
      return value.trim() !== '' && !Number.isNaN(Number(value)) ? undefined : `Value '${value}' is invalid for the '${clause.fieldName}' field.`;
    case 'text':
      return /(^|\s)[*?]/.test(value)
        ? `The text query '${value}' for field '${clause.fieldName}' is not valid: probably your use of wildcards is incorrect.`
        : undefined;
    default:
      return undefined;
  }
}

/** The operand as Jira echoes it in messages: values in double quotes, lists in parentheses. */
function formatOperand(operand: JqlOperand, quoteValues: boolean): string {
  switch (operand.kind) {
    case 'value':
      return quoteValues || operand.quoted ? `"${operand.value}"` : operand.value;
    case 'empty':
      return 'EMPTY';
    case 'function':
      return `${operand.name}(${operand.args.join(', ')})`;
    case 'list':
      return `(${operand.items.map((i) => formatOperand(i, false)).join(', ')})`;
    default:
      throw new Error(`Unknown operand ${JSON.stringify(operand)}`);
  }
}
