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
  | 'duedate';

/** Lower-case, as Jira spells operators in its messages. */
export type JqlOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type JqlOperand =
  /** A bare word, number or quoted string, unescaped; `quoted` keeps the difference Jira makes in messages. */
  | { kind: 'value'; value: string; quoted: boolean }
  | { kind: 'empty' }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'list'; items: JqlOperand[] };

export interface JqlTerminalClause {
  kind: 'terminal';
  field: JqlFieldId;
  /** The field as the user typed it; messages quote it back. */
  fieldName: string;
  operator: JqlOperator;
  operand: JqlOperand;
}

export type JqlClause =
  | JqlTerminalClause
  | { kind: 'and'; clauses: JqlClause[] }
  | { kind: 'or'; clauses: JqlClause[] }
  | { kind: 'not'; clause: JqlClause };

export interface JqlOrderBy {
  field: JqlFieldId;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  /** Absent for blank JQL or a bare ORDER BY: every issue matches. */
  where?: JqlClause;
  orderBy: JqlOrderBy[];
}
