import { evaluateJqlDateFunction } from './evaluate-jql-date-function';
import type { JqlContext, JqlIssue, JqlUser } from './jql-issue';
import type { JqlFieldId, JqlOperand, JqlTerminalClause } from './jql-query';
import { resolutionOf } from './resolution-of';
import { resolveJqlDate } from './resolve-jql-date';

type Item = Exclude<JqlOperand, { kind: 'list' }>;

/** A field value as history sees it: the changelog's raw id and display string. */
interface Value {
  raw: string | null;
  text: string | null;
}

interface Span {
  value: Value;
  start: number;
  end: number;
  /** Who set this value; null for the value the issue was created with. */
  setBy: JqlUser | null;
}

const DAY_MS = 86_400_000;
/** Changelog `field` names of the fields history search supports. */
const CHANGELOG_NAMES: Partial<Record<JqlFieldId, string>> = {
  status: 'status',
  assignee: 'assignee',
  reporter: 'reporter',
  priority: 'priority',
  resolution: 'resolution',
  fixVersion: 'fix version',
};

function itemsOf(operand: JqlOperand): Item[] {
  return operand.kind === 'list' ? operand.items.filter((i): i is Item => i.kind !== 'list') : [operand];
}

function same(a: string | null, b: string): boolean {
  return a !== null && a.toLowerCase() === b.toLowerCase();
}

function currentValue(field: JqlFieldId, issue: JqlIssue): Value {
  switch (field) {
    case 'status':
      return { raw: issue.statusId ?? issue.statusName, text: issue.statusName };
    case 'assignee':
    case 'reporter': {
      const user = issue[field];
      return { raw: user?.accountId ?? null, text: user?.displayName ?? null };
    }
    case 'priority':
      return { raw: issue.priorityId ?? issue.priorityName, text: issue.priorityName };
    case 'resolution': {
      const name = resolutionOf(issue);
      return { raw: name, text: name };
    }
    default:
      return { raw: null, text: null };
  }
}

/** The values a field held, each over the span of time it held it, from creation to now. */
function spansOf(field: JqlFieldId, issue: JqlIssue, ctx: JqlContext): Span[] {
  const name = CHANGELOG_NAMES[field];
  const changes = (issue.history ?? []).flatMap((entry) => entry.items.filter((item) => item.field.toLowerCase() === name).map((item) => ({ entry, item })));
  const created = issue.created?.getTime() ?? 0;
  const now = ctx.now.getTime();
  if (changes.length === 0) return [{ value: currentValue(field, issue), start: created, end: now, setBy: null }];
  const spans: Span[] = [];
  let value: Value = { raw: changes[0].item.from, text: changes[0].item.fromString };
  let start = created;
  let setBy: JqlUser | null = null;
  for (const { entry, item } of changes) {
    spans.push({ value, start, end: entry.at.getTime(), setBy });
    value = { raw: item.to, text: item.toString };
    start = entry.at.getTime();
    setBy = entry.author;
  }
  spans.push({ value, start, end: now, setBy });
  return spans;
}

function matchesValue(value: Value, item: Item, ctx: JqlContext, field: JqlFieldId): boolean {
  if (item.kind === 'empty') return value.raw === null && (value.text === null || value.text === '');
  if (item.kind === 'function') return item.name.toLowerCase() === 'currentuser' && ctx.currentAccountId !== undefined && value.raw === ctx.currentAccountId;
  if (field === 'resolution' && same(item.value, 'Unresolved')) return value.raw === null && !value.text;
  return same(value.raw, item.value) || same(value.text, item.value);
}

function matchesUser(user: JqlUser | null, item: Item, ctx: JqlContext): boolean {
  if (!user) return false;
  if (item.kind === 'function') return item.name.toLowerCase() === 'currentuser' && user.accountId === ctx.currentAccountId;
  if (item.kind !== 'value') return false;
  return user.accountId === item.value || same(user.displayName, item.value) || (user.emailAddress !== undefined && same(user.emailAddress, item.value));
}

function dateOf(item: Item, ctx: JqlContext): number | undefined {
  if (item.kind === 'function') return evaluateJqlDateFunction(item.name, item.args, ctx.now, ctx.timeZone)?.getTime();
  if (item.kind === 'value') return resolveJqlDate(item.value, ctx.now, ctx.timeZone)?.getTime();
  return undefined;
}

/** The [from, to) window AFTER / BEFORE / ON / DURING allow; the whole history when none is given. */
function windowOf(clause: JqlTerminalClause, ctx: JqlContext): { from: number; to: number } | undefined {
  let from = -Infinity;
  let to = Infinity;
  for (const { name, operand } of clause.predicates ?? []) {
    if (name !== 'after' && name !== 'before' && name !== 'on' && name !== 'during') continue;
    const items = itemsOf(operand);
    const dates = items.map((i) => dateOf(i, ctx));
    if (dates.some((d) => d === undefined)) return undefined;
    const [first, second] = dates as number[];
    if (name === 'after') from = Math.max(from, first);
    else if (name === 'before') to = Math.min(to, first);
    else if (name === 'on') {
      from = Math.max(from, first);
      to = Math.min(to, first + DAY_MS);
    } else if (name === 'during') {
      from = Math.max(from, first);
      to = Math.min(to, second);
    }
  }
  return { from, to };
}

function predicateItems(clause: JqlTerminalClause, name: string): Item[] | undefined {
  const found = (clause.predicates ?? []).filter((p) => p.name === name);
  return found.length ? found.flatMap((p) => itemsOf(p.operand)) : undefined;
}

/**
 * WAS / WAS IN / WAS NOT / WAS NOT IN / CHANGED over the issue's changelog, with AFTER, BEFORE, ON,
 * DURING, BY, FROM and TO (Atlassian's JQL operators reference). A value counts for the whole span it
 * was held, from creation (or the change that set it) until the next change.
 */
export function matchesJqlHistory(clause: JqlTerminalClause, issue: JqlIssue, ctx: JqlContext): boolean {
  const window = windowOf(clause, ctx);
  if (!window) return false;
  const by = predicateItems(clause, 'by');
  if (clause.operator === 'changed') {
    const name = CHANGELOG_NAMES[clause.field];
    const from = predicateItems(clause, 'from');
    const to = predicateItems(clause, 'to');
    return (issue.history ?? []).some((entry) => {
      const at = entry.at.getTime();
      if (at < window.from || at >= window.to) return false;
      if (by && !by.some((item) => matchesUser(entry.author, item, ctx))) return false;
      return entry.items.some(
        (change) =>
          change.field.toLowerCase() === name &&
          (!from || from.some((item) => matchesValue({ raw: change.from, text: change.fromString }, item, ctx, clause.field))) &&
          (!to || to.some((item) => matchesValue({ raw: change.to, text: change.toString }, item, ctx, clause.field))),
      );
    });
  }
  const wanted = itemsOf(clause.operand);
  const held = spansOf(clause.field, issue, ctx).some(
    (span) =>
      span.start < window.to &&
      span.end >= window.from &&
      (!by || by.some((item) => matchesUser(span.setBy, item, ctx))) &&
      wanted.some((item) => matchesValue(span.value, item, ctx, clause.field)),
  );
  return clause.operator === 'was' || clause.operator === 'was in' ? held : !held;
}

/** updatedBy(user[, from[, to]]): a change to the issue's fields or a comment by that user in the window. */
export function updatedByMatches(args: string[], issue: JqlIssue, ctx: JqlContext): boolean {
  const [who, fromArg, toArg] = args;
  const user: Item = { kind: 'value', value: who, quoted: true };
  const from = fromArg ? resolveJqlDate(fromArg, ctx.now, ctx.timeZone)?.getTime() : -Infinity;
  const to = toArg ? resolveJqlDate(toArg, ctx.now, ctx.timeZone)?.getTime() : Infinity;
  if (from === undefined || to === undefined) return false;
  const inWindow = (at: Date) => at.getTime() >= from && at.getTime() <= to;
  return (
    (issue.history ?? []).some((entry) => inWindow(entry.at) && matchesUser(entry.author, user, ctx)) ||
    (issue.comments ?? []).some((comment) => inWindow(comment.at) && matchesUser(comment.author, user, ctx))
  );
}
