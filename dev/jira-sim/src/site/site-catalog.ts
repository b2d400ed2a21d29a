/**
 * Site-wide catalog shared by every seed: issue types, priorities, statuses, workflows and
 * fields. Ids follow Jira Cloud's numbering so clients that hard-code nothing still feel at home.
 */
import { FieldId } from './field-ids';
import type { FieldDef, IssueType, Priority, Resolution, Status, StatusCategory, Workflow } from './site-model';

export const IssueTypeId = {
  Epic: '10000',
  Story: '10001',
  Task: '10002',
  Bug: '10003',
  Subtask: '10004',
  ServiceRequest: '10005',
  Incident: '10006',
} as const;

export const StatusId = {
  ToDo: '10000',
  InProgress: '10001',
  InReview: '10002',
  Done: '10003',
  Open: '10004',
  WaitingForCustomer: '10005',
  Resolved: '10006',
} as const;

export function issueTypes(siteUrl: string): IssueType[] {
  const icon = (avatarId: number) => `${siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${avatarId}?size=medium`;
  return [
    { id: IssueTypeId.Epic, name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false, hierarchyLevel: 1, iconUrl: icon(10307) },
    { id: IssueTypeId.Story, name: 'Story', description: 'Functionality or a feature expressed as a user goal.', subtask: false, hierarchyLevel: 0, iconUrl: icon(10315) },
    { id: IssueTypeId.Task, name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0, iconUrl: icon(10318) },
    { id: IssueTypeId.Bug, name: 'Bug', description: 'A problem or error.', subtask: false, hierarchyLevel: 0, iconUrl: icon(10303) },
    { id: IssueTypeId.Subtask, name: 'Subtask', description: 'A small piece of work that is part of a larger task.', subtask: true, hierarchyLevel: -1, iconUrl: icon(10316) },
    { id: IssueTypeId.ServiceRequest, name: 'Service Request', description: 'Request help from the support team.', subtask: false, hierarchyLevel: 0, iconUrl: icon(10320) },
    { id: IssueTypeId.Incident, name: 'Incident', description: 'Report an outage or a degraded service.', subtask: false, hierarchyLevel: 0, iconUrl: icon(10321) },
  ];
}

export function priorities(siteUrl: string): Priority[] {
  const icon = (name: string) => `${siteUrl}/images/icons/priorities/${name}.svg`;
  return [
    { id: '1', name: 'Highest', description: 'This problem will block progress.', statusColor: '#d04437', iconUrl: icon('highest') },
    { id: '2', name: 'High', description: 'Serious problem that could block progress.', statusColor: '#f15C75', iconUrl: icon('high') },
    { id: '3', name: 'Medium', description: 'Has the potential to affect progress.', statusColor: '#f79232', iconUrl: icon('medium') },
    { id: '4', name: 'Low', description: 'Minor problem or easily worked around.', statusColor: '#707070', iconUrl: icon('low') },
    { id: '5', name: 'Lowest', description: 'Trivial problem with little or no impact on progress.', statusColor: '#999999', iconUrl: icon('lowest') },
  ];
}

export const DEFAULT_PRIORITY_ID = '3';

export function statusCategories(): StatusCategory[] {
  return [
    { id: 1, key: 'undefined', name: 'No Category', colorName: 'medium-gray' },
    { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
    { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
    { id: 3, key: 'done', name: 'Done', colorName: 'green' },
  ];
}

export function statuses(): Status[] {
  return [
    { id: StatusId.ToDo, name: 'To Do', description: 'Work that has not been started.', categoryId: 2 },
    { id: StatusId.InProgress, name: 'In Progress', description: 'The issue is currently being worked on.', categoryId: 4 },
    { id: StatusId.InReview, name: 'In Review', description: 'Waiting for a peer review.', categoryId: 4 },
    { id: StatusId.Done, name: 'Done', description: 'Work has been completed on this issue.', categoryId: 3 },
    { id: StatusId.Open, name: 'Open', description: 'The request is waiting for an agent.', categoryId: 2 },
    { id: StatusId.WaitingForCustomer, name: 'Waiting for customer', description: 'An agent needs more information.', categoryId: 4 },
    { id: StatusId.Resolved, name: 'Resolved', description: 'The request has been resolved.', categoryId: 3 },
  ];
}

export function resolutions(): Resolution[] {
  return [
    { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
    { id: '10001', name: "Won't Do", description: 'This issue will not be actioned.' },
  ];
}

export const DONE_RESOLUTION_ID = '10000';

export function workflows(): Workflow[] {
  const s = StatusId;
  return [
    {
      id: 'software',
      name: 'Software Simplified Workflow',
      initialStatusId: s.ToDo,
      statusIds: [s.ToDo, s.InProgress, s.InReview, s.Done],
      transitions: [
        { id: '11', name: 'Start progress', toStatusId: s.InProgress, fromStatusIds: [s.ToDo] },
        { id: '21', name: 'Stop progress', toStatusId: s.ToDo, fromStatusIds: [s.InProgress] },
        { id: '31', name: 'Send to review', toStatusId: s.InReview, fromStatusIds: [s.InProgress] },
        { id: '41', name: 'Back to progress', toStatusId: s.InProgress, fromStatusIds: [s.InReview] },
        { id: '51', name: 'Done', toStatusId: s.Done, fromStatusIds: [] },
        { id: '61', name: 'Reopen', toStatusId: s.ToDo, fromStatusIds: [s.Done] },
      ],
    },
    {
      id: 'service',
      name: 'Service Management Workflow',
      initialStatusId: s.Open,
      statusIds: [s.Open, s.InProgress, s.WaitingForCustomer, s.Resolved],
      transitions: [
        { id: '111', name: 'Start work', toStatusId: s.InProgress, fromStatusIds: [s.Open, s.WaitingForCustomer] },
        { id: '121', name: 'Ask customer', toStatusId: s.WaitingForCustomer, fromStatusIds: [s.Open, s.InProgress] },
        { id: '131', name: 'Resolve', toStatusId: s.Resolved, fromStatusIds: [] },
        { id: '141', name: 'Reopen', toStatusId: s.Open, fromStatusIds: [s.Resolved] },
      ],
    },
  ];
}

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';

function customField(id: string, name: string, kind: FieldDef['kind'], schema: { type: string; items?: string; custom: string }, options?: FieldDef['options']): FieldDef {
  const customId = Number(id.slice('customfield_'.length));
  return {
    id,
    name,
    custom: true,
    kind,
    schema: { ...schema, customId },
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [`cf[${customId}]`, name],
    ...(options ? { options } : {}),
  };
}

function systemField(
  id: string,
  name: string,
  kind: FieldDef['kind'],
  schema: { type: string; items?: string },
  extra: Partial<Pick<FieldDef, 'orderable' | 'clauseNames'>> = {},
): FieldDef {
  return {
    id,
    name,
    custom: false,
    kind,
    schema: { ...schema, system: id },
    orderable: extra.orderable ?? true,
    navigable: true,
    searchable: true,
    clauseNames: extra.clauseNames ?? [id],
  };
}

/**
 * "Story point estimate", the field team-managed projects estimate with (Jira Software's own
 * custom field type). Not in the demo site's catalog until a board is set to estimate with it.
 */
export function storyPointEstimateField(): FieldDef {
  return customField(FieldId.StoryPointEstimate, 'Story point estimate', 'number', { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points' });
}

/**
 * Time tracking: `timetracking` is what an edit sets, and Jira keeps the original and remaining
 * estimates in seconds in two fields no screen shows (Agile board configuration resource). Not in
 * the demo site's catalog until a board is set to estimate in time.
 */
export function timeTrackingFields(): FieldDef[] {
  return [
    { ...systemField('timetracking', 'Time tracking', 'timetracking', { type: 'timetracking' }, { clauseNames: [] }), navigable: false },
    systemField('timeoriginalestimate', 'Original estimate', 'readonly', { type: 'number' }, { orderable: false, clauseNames: ['originalEstimate', 'timeoriginalestimate'] }),
    systemField('timeestimate', 'Remaining Estimate', 'readonly', { type: 'number' }, { orderable: false, clauseNames: ['remainingEstimate', 'timeestimate'] }),
  ];
}

export function fields(): FieldDef[] {
  return [
    systemField('summary', 'Summary', 'string', { type: 'string' }),
    systemField('description', 'Description', 'adf', { type: 'string' }),
    systemField('issuetype', 'Issue Type', 'issuetype', { type: 'issuetype' }, { clauseNames: ['issuetype', 'type'] }),
    systemField('project', 'Project', 'project', { type: 'project' }),
    systemField('priority', 'Priority', 'priority', { type: 'priority' }),
    systemField('assignee', 'Assignee', 'user', { type: 'user' }),
    systemField('reporter', 'Reporter', 'user', { type: 'user' }),
    systemField('creator', 'Creator', 'readonly', { type: 'user' }, { orderable: false }),
    systemField('labels', 'Labels', 'labels', { type: 'array', items: 'string' }),
    systemField('duedate', 'Due date', 'date', { type: 'date' }, { clauseNames: ['duedate', 'due'] }),
    systemField('status', 'Status', 'status', { type: 'status' }, { orderable: false }),
    systemField('resolution', 'Resolution', 'resolution', { type: 'resolution' }),
    systemField('resolutiondate', 'Resolved', 'readonly', { type: 'datetime' }, { orderable: false, clauseNames: ['resolutiondate', 'resolved'] }),
    systemField('created', 'Created', 'readonly', { type: 'datetime' }, { orderable: false, clauseNames: ['created', 'createdDate'] }),
    systemField('updated', 'Updated', 'readonly', { type: 'datetime' }, { orderable: false, clauseNames: ['updated', 'updatedDate'] }),
    systemField('parent', 'Parent', 'parent', { type: 'issuelink' }),
    systemField('comment', 'Comment', 'readonly', { type: 'comments-page' }),
    systemField('watches', 'Watchers', 'readonly', { type: 'watches' }, { orderable: false }),
    systemField('subtasks', 'Sub-tasks', 'readonly', { type: 'array', items: 'issuelinks' }, { orderable: false }),
    systemField('statuscategorychangedate', 'Status Category Changed', 'readonly', { type: 'datetime' }, { orderable: false }),
    customField(FieldId.StartDate, 'Start date', 'date', { type: 'date', custom: `${CUSTOM}datepicker` }),
    customField(FieldId.StoryPoints, 'Story Points', 'number', { type: 'number', custom: `${CUSTOM}float` }),
    customField(FieldId.Rank, 'Rank', 'rank', { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank' }),
    customField(FieldId.Sprint, 'Sprint', 'sprint', { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint' }),
    customField(FieldId.DeployedAt, 'Deployed at', 'datetime', { type: 'datetime', custom: `${CUSTOM}datetime` }),
    customField(FieldId.AffectedUsers, 'Affected users', 'number', { type: 'number', custom: `${CUSTOM}float` }),
    customField(FieldId.Environment, 'Environment', 'select', { type: 'option', custom: `${CUSTOM}select` }, [
      { id: '10100', value: 'Production' },
      { id: '10101', value: 'Staging' },
      { id: '10102', value: 'Development' },
    ]),
    customField(FieldId.Platforms, 'Platforms', 'multiselect', { type: 'array', items: 'option', custom: `${CUSTOM}multiselect` }, [
      { id: '10110', value: 'Web' },
      { id: '10111', value: 'iOS' },
      { id: '10112', value: 'Android' },
      { id: '10113', value: 'Desktop' },
    ]),
    customField(FieldId.Area, 'Area', 'cascading', { type: 'option-with-child', custom: `${CUSTOM}cascadingselect` }, [
      {
        id: '10120',
        value: 'Backend',
        children: [
          { id: '10121', value: 'API' },
          { id: '10122', value: 'Database' },
        ],
      },
      {
        id: '10123',
        value: 'Frontend',
        children: [
          { id: '10124', value: 'Web app' },
          { id: '10125', value: 'Mobile app' },
        ],
      },
    ]),
    customField(FieldId.Reviewer, 'Reviewer', 'user', { type: 'user', custom: `${CUSTOM}userpicker` }),
    customField(FieldId.CustomerTags, 'Customer tags', 'labels', { type: 'array', items: 'string', custom: `${CUSTOM}labels` }),
  ];
}
