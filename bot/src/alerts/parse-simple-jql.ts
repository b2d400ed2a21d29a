/**
 * The JQL this service evaluates itself, without asking Jira: equality and IN on a few fields,
 * joined by AND. Anything else (OR, functions, ORDER BY, comparisons, other fields) returns
 * undefined and is checked by Jira in a batched query.
 */
export type SimpleField = 'project' | 'status' | 'priority' | 'assignee' | 'labels' | 'issuetype';

export interface SimpleClause {
  field: SimpleField;
  negated: boolean;
  /** Lower-cased values; `null` stands for EMPTY. */
  values: Array<string | null>;
}

const FIELDS: Record<string, SimpleField> = {
  project: 'project',
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  labels: 'labels',
  label: 'labels',
  issuetype: 'issuetype',
  type: 'issuetype',
};

const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|=|\(|\)|,)|([^\s"'(),=!]+))/y;

type Token = { kind: 'string' | 'word' | 'op'; text: string };

function tokenize(jql: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let rest = jql;
  while (rest.trim()) {
    TOKEN.lastIndex = 0;
    const match = TOKEN.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined || match[2] !== undefined) tokens.push({ kind: 'string', text: (match[1] ?? match[2]).replace(/\\(.)/g, '$1') });
    else if (match[3] !== undefined) tokens.push({ kind: 'op', text: match[3] });
    else tokens.push({ kind: 'word', text: match[4] });
    rest = rest.slice(TOKEN.lastIndex);
  }
  return tokens;
}

export function parseSimpleJql(jql: string): SimpleClause[] | undefined {
  const tokens = tokenize(jql);
  if (!tokens || tokens.length === 0) return undefined;
  const clauses: SimpleClause[] = [];
  let i = 0;
  const word = (text: string) => tokens[i]?.kind === 'word' && tokens[i].text.toLowerCase() === text;
  let field: SimpleField = 'project';
  const value = (): string | null | undefined => {
    const token = tokens[i];
    if (!token || token.kind === 'op') return undefined;
    i += 1;
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'empty' || lower === 'null') return null;
      // Words that are JQL syntax, or function calls, are beyond the subset.
      if (['and', 'or', 'not', 'in', 'is', 'order', 'by'].includes(lower) || tokens[i]?.text === '(') return undefined;
    }
    // Ids (project 10000, status 3) need Jira to resolve them.
    if (/^\d+$/.test(token.text)) return undefined;
    // Only keys are compared locally: a project may also be named by its name ("Phoenix").
    if (field === 'project' && !/^[A-Z][A-Z0-9_]+$/.test(token.text)) return undefined;
    // Account ids only: a name or an email would need Jira's user search.
    if (field === 'assignee' && /[\s@]/.test(token.text)) return undefined;
    return token.text.toLowerCase();
  };

  for (;;) {
    const fieldToken = tokens[i];
    const named = fieldToken?.kind === 'word' ? FIELDS[fieldToken.text.toLowerCase()] : undefined;
    if (!named) return undefined;
    field = named;
    i += 1;
    let negated = false;
    let values: Array<string | null> = [];
    if (tokens[i]?.text === '=' || tokens[i]?.text === '!=') {
      negated = tokens[i].text === '!=';
      i += 1;
      const single = value();
      if (single === undefined) return undefined;
      values = [single];
    } else {
      if (word('not')) {
        negated = true;
        i += 1;
      }
      if (!word('in')) return undefined;
      i += 1;
      if (tokens[i]?.text !== '(') return undefined;
      i += 1;
      for (;;) {
        const item = value();
        if (item === undefined) return undefined;
        values.push(item);
        if (tokens[i]?.text === ',') {
          i += 1;
          continue;
        }
        if (tokens[i]?.text === ')') {
          i += 1;
          break;
        }
        return undefined;
      }
    }
    clauses.push({ field, negated, values });
    if (i === tokens.length) return clauses;
    if (!word('and')) return undefined;
    i += 1;
  }
}
