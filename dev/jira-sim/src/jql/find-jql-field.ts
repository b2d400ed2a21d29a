import type { JqlCustomFieldRef, JqlFieldId, JqlOperator, JqlTerminalClause } from './jql-query';

/** How values of a field are compared; several fields share one family. */
export type JqlFieldFamily =
  | 'project'
  | 'key'
  | 'status'
  | 'statusCategory'
  | 'priority'
  | 'user'
  | 'issuetype'
  | 'labels'
  | 'text'
  | 'date'
  | 'rank'
  | 'number'
  | 'sprint'
  | 'parent'
  | 'resolution'
  | 'version'
  | 'component'
  /** Select, multiselect and cascading custom fields: their option values. */
  | 'option';

export interface JqlFieldDefinition {
  id: JqlFieldId;
  family: JqlFieldFamily;
  operators: readonly JqlOperator[];
  sortable: boolean;
}

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERED: readonly JqlOperator[] = ['=', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'is', 'is not'];
const TEXT: readonly JqlOperator[] = ['~', '!~', 'is', 'is not'];
// Jira searches history (WAS, CHANGED) for assignee, fix version, priority, reporter, resolution and status only.
const HISTORY: readonly JqlOperator[] = ['was', 'was not', 'was in', 'was not in', 'changed'];

// Operator sets follow Atlassian's JQL field reference for Jira Cloud.
const DEFINITIONS: ReadonlyArray<JqlFieldDefinition & { names: string[] }> = [
  { id: 'project', names: ['project'], family: 'project', operators: EQUALITY, sortable: true },
  {
    id: 'key',
    names: ['key', 'issuekey', 'id', 'issue'],
    family: 'key',
    operators: ['=', '!=', '<', '>', '<=', '>=', 'in', 'not in'],
    sortable: true,
  },
  { id: 'status', names: ['status'], family: 'status', operators: [...EQUALITY, ...HISTORY], sortable: true },
  { id: 'statusCategory', names: ['statuscategory'], family: 'statusCategory', operators: EQUALITY, sortable: true },
  { id: 'priority', names: ['priority'], family: 'priority', operators: [...ORDERED, ...HISTORY], sortable: true },
  { id: 'assignee', names: ['assignee'], family: 'user', operators: [...EQUALITY, ...HISTORY], sortable: true },
  { id: 'reporter', names: ['reporter'], family: 'user', operators: [...EQUALITY, ...HISTORY], sortable: true },
  { id: 'watcher', names: ['watcher'], family: 'user', operators: EQUALITY, sortable: false },
  { id: 'issuetype', names: ['issuetype', 'type'], family: 'issuetype', operators: EQUALITY, sortable: true },
  { id: 'labels', names: ['labels'], family: 'labels', operators: EQUALITY, sortable: false },
  { id: 'summary', names: ['summary'], family: 'text', operators: TEXT, sortable: true },
  { id: 'description', names: ['description'], family: 'text', operators: TEXT, sortable: false },
  { id: 'text', names: ['text'], family: 'text', operators: ['~'], sortable: false },
  { id: 'comment', names: ['comment'], family: 'text', operators: ['~', '!~'], sortable: false },
  { id: 'created', names: ['created', 'createddate'], family: 'date', operators: ORDERED, sortable: true },
  { id: 'updated', names: ['updated', 'updateddate'], family: 'date', operators: ORDERED, sortable: true },
  { id: 'resolved', names: ['resolved', 'resolutiondate'], family: 'date', operators: ORDERED, sortable: true },
  // Jira only sorts by rank; it cannot be searched.
  { id: 'rank', names: ['rank'], family: 'rank', operators: [], sortable: true },
  {
    id: 'storyPoints',
    names: ['story points', 'story point estimate', 'cf[10016]'],
    family: 'number',
    operators: ORDERED,
    sortable: true,
  },
  { id: 'sprint', names: ['sprint', 'cf[10020]'], family: 'sprint', operators: EQUALITY, sortable: true },
  { id: 'parent', names: ['parent'], family: 'parent', operators: EQUALITY, sortable: false },
  { id: 'resolution', names: ['resolution'], family: 'resolution', operators: [...EQUALITY, ...HISTORY], sortable: true },
  { id: 'fixVersion', names: ['fixversion', 'fixversions'], family: 'version', operators: [...ORDERED, ...HISTORY], sortable: true },
  { id: 'affectedVersion', names: ['affectedversion', 'affectedversions'], family: 'version', operators: ORDERED, sortable: true },
  { id: 'component', names: ['component', 'components'], family: 'component', operators: EQUALITY, sortable: true },
  { id: 'duedate', names: ['duedate', 'due'], family: 'date', operators: ORDERED, sortable: true },
];

const BY_NAME = new Map(DEFINITIONS.flatMap((d) => d.names.map((n) => [n, d] as const)));
const BY_ID = new Map(DEFINITIONS.map((d) => [d.id, d] as const));

/** Field names are case-insensitive in JQL, as are the spaces-in-names of custom fields. */
export function findJqlField(name: string): JqlFieldDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase().replace(/\s+/g, ' '));
}

export function jqlFieldDefinition(id: JqlFieldId): JqlFieldDefinition {
  const definition = BY_ID.get(id);
  if (!definition) throw new Error(`Unknown JQL field id ${id}`);
  return definition;
}

/** A custom field the site defines, for parseJql's `customFields` option. */
export interface JqlCustomField extends JqlCustomFieldRef {
  name: string;
}

function customDefinition(custom: JqlCustomFieldRef): JqlFieldDefinition {
  const ordered = custom.family === 'date' || custom.family === 'number';
  return { id: 'custom', family: custom.family, operators: ordered ? ORDERED : EQUALITY, sortable: true };
}

/** The definition that governs a clause: its built-in field's, or its custom field's. */
export function clauseDefinition(clause: Pick<JqlTerminalClause, 'field' | 'custom'>): JqlFieldDefinition {
  return clause.field === 'custom' && clause.custom ? customDefinition(clause.custom) : jqlFieldDefinition(clause.field);
}

/** A custom field by its name or `cf[N]`, case-insensitively, as Jira resolves clause names. */
export function findJqlCustomField(name: string, fields: readonly JqlCustomField[]): JqlCustomField | undefined {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const cf = /^cf\[(\d+)\]$/.exec(wanted);
  return fields.find((f) => (cf ? f.id === `customfield_${cf[1]}` : f.name.toLowerCase() === wanted));
}
