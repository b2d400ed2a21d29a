import { JQL_DATE_FUNCTIONS, evaluateJqlDateFunction } from './evaluate-jql-date-function';
import { clauseDefinition, type JqlFieldFamily } from './find-jql-field';
import type { JqlCatalog, JqlNamedValue } from './jql-catalog';
import { JqlError } from './jql-error';
import { JQL_HISTORY_OPERATORS, type JqlClause, type JqlOperand, type JqlQuery, type JqlTerminalClause } from './jql-query';
import { JqlUnsupportedError } from './jql-unsupported-error';
import { parseIssueKey } from './parse-issue-key';
import { resolveJqlDate } from './resolve-jql-date';

const DEFAULT_CATEGORIES = [
  { key: 'new', name: 'To Do', id: 2 },
  { key: 'indeterminate', name: 'In Progress', id: 4 },
  { key: 'done', name: 'Done', id: 3 },
];
// Jira Cloud's functions per field family (Atlassian's JQL functions reference).
const FUNCTIONS: Partial<Record<JqlFieldFamily, readonly string[]>> = {
  user: ['currentuser', 'membersof'],
  date: [...JQL_DATE_FUNCTIONS, 'lastlogin', 'currentlogin'],
  sprint: ['opensprints', 'closedsprints', 'futuresprints'],
  key: ['watchedissues', 'updatedby', 'linkedissues', 'issuehistory', 'votedissues', 'linkedissuesof'],
  version: ['releasedversions', 'unreleasedversions', 'earliestunreleasedversion', 'latestreleasedversion'],
  component: ['componentsleadbyuser'],
  project: ['projectsleadbyuser', 'projectswhereuserhaspermission', 'projectswhereuserhasrole'],
  issuetype: ['standardissuetypes', 'subtaskissuetypes'],
};
const ALL_FUNCTIONS = new Set(Object.values(FUNCTIONS).flat());
/** Functions over data the simulator does not model (groups, links, views, votes, versions, logins...). */
const UNSUPPORTED_FUNCTIONS = new Set([
  'membersof',
  'lastlogin',
  'currentlogin',
  'linkedissues',
  'linkedissuesof',
  'issuehistory',
  'votedissues',
  'releasedversions',
  'unreleasedversions',
  'earliestunreleasedversion',
  'latestreleasedversion',
  'componentsleadbyuser',
  'projectsleadbyuser',
  'projectswhereuserhaspermission',
  'projectswhereuserhasrole',
  'standardissuetypes',
  'subtaskissuetypes',
]);
/** How many arguments each evaluated function takes beyond the date functions: [min, max]. */
const ARITY: Record<string, [number, number]> = {
  currentuser: [0, 0],
  opensprints: [0, 0],
  closedsprints: [0, 0],
  futuresprints: [0, 0],
  watchedissues: [0, 0],
  updatedby: [1, 3],
};
const DATE_PREDICATES = new Set(['after', 'before', 'on']);
// Fields every issue has, so Jira refuses to search them for EMPTY.
const NEVER_EMPTY = new Set(['project', 'key', 'status', 'statusCategory', 'issuetype', 'created', 'updated', 'text']);
const DATE_FORMATS = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

type Item = Exclude<JqlOperand, { kind: 'list' }>;

/**
 * Checks a parsed query against what exists on the site, the way Jira validates before it
 * searches: operators a field supports, list versus single values, EMPTY, functions, and
 * every value (projects, statuses, priorities, issue types, users, dates, keys, numbers).
 * Throws one JqlError carrying every problem found, in query order, with Jira's wording.
 */
export function validateJql(query: JqlQuery, catalog: JqlCatalog): void {
  const problems: string[] = [];
  const unsupported: string[] = [];
  if (query.where) visit(query.where, (clause) => problems.push(...checkClause(clause, catalog, unsupported)));
  if (problems.length > 0) throw new JqlError([...new Set(problems)]);
  if (unsupported.length > 0) throw new JqlUnsupportedError([...new Set(unsupported)]);
}

function visit(clause: JqlClause, onTerminal: (clause: JqlTerminalClause) => void): void {
  if (clause.kind === 'terminal') onTerminal(clause);
  else if (clause.kind === 'not') visit(clause.clause, onTerminal);
  else clause.clauses.forEach((c) => visit(c, onTerminal));
}

function checkClause(clause: JqlTerminalClause, catalog: JqlCatalog, unsupported: string[]): string[] {
  const { fieldName, operator, operand } = clause;
  const definition = clauseDefinition(clause);
  const isList = operand.kind === 'list';
  const listOperator = operator === 'in' || operator === 'not in' || operator === 'was in' || operator === 'was not in';
  if (listOperator && operand.kind !== 'list' && operand.kind !== 'function') {
    return [`Operator '${operator}' does not support the non-list value '${formatOperand(operand, true)}' for field '${fieldName}'.`];
  }
  if (isList && !listOperator && operator !== 'changed') {
    return [`Operator '${operator}' does not support the list value '${formatOperand(operand, false)}' for field '${fieldName}'.`];
  }
  if (!definition.operators.includes(operator)) {
    return [`The operator '${operator}' is not supported by the '${fieldName}' field.`];
  }
  const items: Item[] = operand.kind === 'list' ? (operand.items as Item[]) : [operand];
  if (JQL_HISTORY_OPERATORS.has(operator)) {
    return [...items.flatMap((item) => checkItem(clause, definition.family, item, catalog, unsupported)), ...checkPredicates(clause, definition.family, catalog, unsupported)];
  }
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
  return items.flatMap((item) => checkItem(clause, definition.family, item, catalog, unsupported));
}

function checkItem(clause: JqlTerminalClause, family: JqlFieldFamily, item: Item, catalog: JqlCatalog, unsupported: string[]): string[] {
  if (item.kind === 'empty') return [];
  if (item.kind === 'function') return checkFunction(clause, family, item, unsupported);
  const problem = checkValue(clause, family, item.value, catalog);
  return problem ? [problem] : [];
}

/** WAS takes AFTER, BEFORE, ON, DURING and BY; CHANGED takes FROM and TO as well. */
function checkPredicates(clause: JqlTerminalClause, family: JqlFieldFamily, catalog: JqlCatalog, unsupported: string[]): string[] {
  return (clause.predicates ?? []).flatMap(({ name, operand }) => {
    const label = name.toUpperCase();
    if ((name === 'from' || name === 'to') && clause.operator !== 'changed') {
      return [`The '${label}' predicate is not supported by the '${clause.operator.toUpperCase()}' operator for field '${clause.fieldName}'.`];
    }
    const items: Item[] = operand.kind === 'list' ? (operand.items as Item[]) : [operand];
    if (name === 'during' && (operand.kind !== 'list' || items.length !== 2)) {
      return [`The '${label}' predicate takes two dates, as in DURING ("2024/01/01", "2024/02/01").`];
    }
    if (DATE_PREDICATES.has(name) || name === 'during') {
      const dateClause = { ...clause, fieldName: label };
      return items.flatMap((item) => checkItem(dateClause, 'date', item, catalog, unsupported));
    }
    if (name === 'by') return items.flatMap((item) => checkItem({ ...clause, fieldName: label }, 'user', item, catalog, unsupported));
    return items.flatMap((item) => checkItem(clause, family, item, catalog, unsupported));
  });
}

function checkFunction(clause: JqlTerminalClause, family: JqlFieldFamily, item: Extract<Item, { kind: 'function' }>, unsupported: string[]): string[] {
  const name = item.name.toLowerCase();
  if (!ALL_FUNCTIONS.has(name)) return [`Unable to find JQL function '${item.name}(${item.args.join(', ')})'.`];
  if (!(FUNCTIONS[family] ?? []).includes(name)) {
    return [`A value provided by the function '${item.name}' is invalid for the field '${clause.fieldName}'.`];
  }
  if (UNSUPPORTED_FUNCTIONS.has(name)) {
    unsupported.push(`jira-sim does not evaluate the JQL function '${item.name}()': Jira Cloud accepts it, the simulator does not model its data.`);
    return [];
  }
  if (family === 'date') {
    if (!evaluateJqlDateFunction(item.name, item.args, new Date(0))) {
      return [`The function '${item.name}' has an invalid argument '${item.args.join(', ')}'.`];
    }
  } else {
    const [min, max] = ARITY[name] ?? [0, 0];
    if (item.args.length < min || item.args.length > max) {
      const expected = min === max ? `${min}` : `${min}-${max}`;
      return [`Function '${item.name}' expected '${expected}' arguments but got '${item.args.length}'.`];
    }
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
      return (catalog.statusCategories ?? DEFAULT_CATEGORIES).some((c) => same(c.key) || same(c.name) || same(String(c.id))) ? undefined : missing;
    case 'priority':
      return catalog.priorities.some(known) ? undefined : missing;
    case 'issuetype':
      return catalog.issueTypes.some(known) ? undefined : missing;
    case 'parent':
      return parseIssueKey(value) ? undefined : `The issue key '${value}' for field '${clause.fieldName}' is invalid.`;
    case 'resolution':
      return !catalog.resolutions || same('Unresolved') || catalog.resolutions.some(same) ? undefined : missing;
    case 'user':
      return catalog.users.some((u) => u.accountId === value || same(u.displayName) || (u.emailAddress !== undefined && same(u.emailAddress))) ? undefined : missing;
    case 'sprint':
      return !catalog.sprints || catalog.sprints.some((s) => same(String(s.id)) || same(s.name)) ? undefined : missing;
    case 'version':
      // A site without versions (the simulator's) has no value to match: Jira's own answer there.
      return (catalog.versions ?? []).some(same) ? undefined : missing;
    case 'component':
      return (catalog.components ?? []).some(same) ? undefined : missing;
    case 'date':
      return resolveJqlDate(value, new Date(0)) ? undefined : `Date value '${value}' for field '${clause.fieldName}' is invalid. ${DATE_FORMATS}`;
    case 'number':
      return value.trim() !== '' && !Number.isNaN(Number(value)) ? undefined : `Value '${value}' is invalid for the '${clause.fieldName}' field.`;
    case 'text':
      return /(^|\s)[*?]/.test(value) ? `The text query '${value}' for field '${clause.fieldName}' is not valid: probably your use of wildcards is incorrect.` : undefined;
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
