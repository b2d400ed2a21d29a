import type { CreateMetaField } from '../../../src/jira/fields/create-meta-field';

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const SITE = 'https://your-domain.atlassian.net';

function field(fieldId: string, name: string, schema: CreateMetaField['schema'], extra: Partial<CreateMetaField> = {}): CreateMetaField {
  return { fieldId, key: fieldId, name, required: false, operations: ['set'], schema, hasDefaultValue: false, ...extra };
}

const option = (id: string, value: string) => ({ self: `${SITE}/rest/api/3/customFieldOption/${id}`, value, id });

/**
 * Create-screen fields in the shape of `GET /rest/api/3/issue/createmeta/{project}/issuetypes/{id}`
 * (FieldCreateMetadata in ../shared/ref/jira/openapi-platform.json), one of each type the
 * dialog handles, with the custom field ids and options of the Jira simulator's demo site.
 */
export function createMetaSample(): CreateMetaField[] {
  return [
    field('summary', 'Summary', { type: 'string', system: 'summary' }, { required: true }),
    field('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, { required: true, allowedValues: [{ id: '10001', name: 'Bug' }] }),
    field('project', 'Project', { type: 'project', system: 'project' }, { required: true }),
    field('description', 'Description', { type: 'string', system: 'description' }),
    field('reporter', 'Reporter', { type: 'user', system: 'reporter' }, { required: true }),
    field(
      'priority',
      'Priority',
      { type: 'priority', system: 'priority' },
      {
        hasDefaultValue: true,
        defaultValue: { self: `${SITE}/rest/api/3/priority/3`, name: 'Medium', id: '3' },
        allowedValues: [
          { self: `${SITE}/rest/api/3/priority/1`, name: 'Highest', id: '1' },
          { self: `${SITE}/rest/api/3/priority/3`, name: 'Medium', id: '3' },
        ],
      },
    ),
    field('assignee', 'Assignee', { type: 'user', system: 'assignee' }, { autoCompleteUrl: `${SITE}/rest/api/3/user/assignable/search?project=ABC&query=` }),
    field('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }),
    field('duedate', 'Due date', { type: 'date', system: 'duedate' }),
    field('customfield_10015', 'Start date', { type: 'date', custom: `${CUSTOM}datepicker`, customId: 10015 }, { required: true }),
    field('customfield_10016', 'Story Points', { type: 'number', custom: `${CUSTOM}float`, customId: 10016 }, { required: true }),
    field('customfield_10020', 'Sprint', { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 }),
    field('customfield_10030', 'Deployed at', { type: 'datetime', custom: `${CUSTOM}datetime`, customId: 10030 }, { required: true }),
    field(
      'customfield_10032',
      'Environment',
      { type: 'option', custom: `${CUSTOM}select`, customId: 10032 },
      {
        required: true,
        allowedValues: [option('10100', 'Production'), option('10101', 'Staging'), { ...option('10102', 'Old'), disabled: true }],
      },
    ),
    field(
      'customfield_10033',
      'Platforms',
      { type: 'array', items: 'option', custom: `${CUSTOM}multiselect`, customId: 10033 },
      {
        required: true,
        allowedValues: [option('10110', 'Web'), option('10111', 'iOS'), option('10112', 'Android')],
      },
    ),
    field(
      'customfield_10034',
      'Area',
      { type: 'option-with-child', custom: `${CUSTOM}cascadingselect`, customId: 10034 },
      {
        required: true,
        allowedValues: [
          { ...option('10120', 'Backend'), children: [option('10121', 'API'), option('10122', 'Database')] },
          { ...option('10123', 'Frontend'), children: [option('10124', 'Web app')] },
        ],
      },
    ),
    field('customfield_10035', 'Reviewer', { type: 'user', custom: `${CUSTOM}userpicker`, customId: 10035 }, { required: true }),
    field('customfield_10036', 'Customer tags', { type: 'array', items: 'string', custom: `${CUSTOM}labels`, customId: 10036 }),
    field('customfield_10037', 'Root cause', { type: 'string', custom: `${CUSTOM}textarea`, customId: 10037 }, { required: true }),
    field('customfield_10038', 'Watchers team', { type: 'array', items: 'user', custom: `${CUSTOM}multiuserpicker`, customId: 10038 }),
  ];
}
