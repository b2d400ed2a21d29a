import { JqlError } from '../jql';
import { tokenizeJql, type JqlToken } from '../jql/tokenize-jql';

// Jira's names for the saved-filter clause (Atlassian's JQL field reference: filter, request, savedFilter, searchRequest).
const FILTER_FIELDS = new Set(['filter', 'request', 'savedfilter', 'searchrequest']);
const CONNECTIVES = new Set(['and', 'or', 'not']);
// A filter naming a filter naming ...: Jira refuses a loop; the simulator stops at this depth.
const MAX_DEPTH = 5;

/**
 * `filter = 10000` (or the filter's name) becomes `(the filter's JQL without its ORDER BY)`, so the
 * evaluator needs no notion of saved filters. Only `=` is expanded; other operators reach the
 * parser, which reports the field as unknown. `filterJql` finds a filter by id or name.
 */
export function expandSavedFilters(jql: string, filterJql: (idOrName: string) => string | undefined, depth = 0): string {
  let tokens: JqlToken[];
  try {
    tokens = tokenizeJql(jql);
  } catch {
    return jql; // the parser reports the syntax error with its position
  }
  let out = '';
  let copied = 0;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (field.type !== 'word' || !FILTER_FIELDS.has(field.value.toLowerCase())) continue;
    if (op.type !== 'operator' || op.value !== '=' || (value.type !== 'word' && value.type !== 'string')) continue;
    const before = tokens[i - 1];
    // Only where a clause starts: not `summary ~ filter` or a value named filter.
    if (before && !['lparen', 'and', 'or', 'bang'].includes(before.type) && !(before.type === 'word' && CONNECTIVES.has(before.value.toLowerCase()))) continue;
    const inner = filterJql(value.value);
    if (inner === undefined) throw new JqlError([`The value '${value.value}' does not exist for the field '${field.value}'.`]);
    if (depth >= MAX_DEPTH) throw new JqlError([`The filter '${value.value}' refers to itself through other filters.`]);
    const where = withoutOrderBy(inner).trim();
    out += `${jql.slice(copied, field.offset)}(${where ? expandSavedFilters(where, filterJql, depth + 1) : 'project is not EMPTY'})`;
    copied = value.offset + value.text.length;
    i += 2;
  }
  return copied === 0 ? jql : out + jql.slice(copied);
}

function withoutOrderBy(jql: string): string {
  let tokens: JqlToken[];
  try {
    tokens = tokenizeJql(jql);
  } catch {
    return jql;
  }
  const order = tokens.findIndex((t, i) => t.type === 'word' && t.value.toLowerCase() === 'order' && tokens[i + 1]?.type === 'word' && tokens[i + 1].value.toLowerCase() === 'by');
  return order < 0 ? jql : jql.slice(0, tokens[order].offset);
}
