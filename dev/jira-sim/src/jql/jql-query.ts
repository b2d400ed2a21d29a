/** The syntax tree that parseJql produces and matchesJql, validateJql and compareByOrderBy read. */

export type JqlFieldId =
  | 'project'
  | 'key'
  | 'status'
  | 'statusCategory'
  | 'priority'
  | 'assignee'
  | 'reporter'
  | 'issuetype'
  | 'labels'
  | 'summary'
  | 'description'
  | 'text'
  | 'comment'
  | 'created'
  | 'updated'
  | 'resolved'
  | 'rank'
  | 'storyPoints'
  | 'sprint'
  | 'watcher'
  | 'parent'
  | 'resolution'
  | 'duedate'
  | 'fixVersion'
  | 'affectedVersion'
  | 'component'
  /** A site custom field without a built-in meaning; the clause's `custom` says which and how it compares. */
  | 'custom';

/** A custom field a query named (by name or cf[N]), as the site's catalog describes it. */
export interface JqlCustomFieldRef {
  /** customfield_N */
  id: string;
  family: 'date' | 'number' | 'option' | 'user' | 'labels';
}

/** Lower-case, as Jira spells operators in its messages. */
export type JqlOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not' | JqlHistoryOperator;

/** Operators that search a field's history (its changelog), not its current value. */
export type JqlHistoryOperator = 'was' | 'was not' | 'was in' | 'was not in' | 'changed';

export const JQL_HISTORY_OPERATORS: ReadonlySet<string> = new Set(['was', 'was not', 'was in', 'was not in', 'changed']);

/** AFTER, BEFORE, ON, DURING, BY (WAS and CHANGED), FROM, TO (CHANGED only). */
export type JqlHistoryPredicateName = 'after' | 'before' | 'on' | 'during' | 'by' | 'from' | 'to';

export interface JqlHistoryPredicate {
  name: JqlHistoryPredicateName;
  operand: JqlOperand;
}

export type JqlOperand =
  /** A bare word, number or quoted string, unescaped; `quoted` keeps the difference Jira makes in messages. */
  { kind: 'value'; value: string; quoted: boolean } | { kind: 'empty' } | { kind: 'function'; name: string; args: string[] } | { kind: 'list'; items: JqlOperand[] };

export interface JqlTerminalClause {
  kind: 'terminal';
  field: JqlFieldId;
  /** The field as the user typed it; messages quote it back. */
  fieldName: string;
  operator: JqlOperator;
  /** CHANGED has no operand; it is an empty list then. */
  operand: JqlOperand;
  /** Only on history operators (WAS, CHANGED). */
  predicates?: JqlHistoryPredicate[];
  /** Only when field is 'custom'. */
  custom?: JqlCustomFieldRef;
}

export type JqlClause = JqlTerminalClause | { kind: 'and'; clauses: JqlClause[] } | { kind: 'or'; clauses: JqlClause[] } | { kind: 'not'; clause: JqlClause };

export interface JqlOrderBy {
  field: JqlFieldId;
  /** Only when field is 'custom'. */
  custom?: JqlCustomFieldRef;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  /** Absent for blank JQL or a bare ORDER BY: every issue matches. */
  where?: JqlClause;
  orderBy: JqlOrderBy[];
}
