import { adaptiveCard, escapeCardText, type AdaptiveCard, type CardElement } from './adaptive-card';
import { createIssueFieldInput, fieldError, MAX_CHOICES, type InputValues, type UserChoice } from './create-issue-field-input';
import type { FormField } from './form-field';

export const CreateIssueVerb = {
  /** Open the dialog from the `create` command's card (`task/fetch`). */
  Open: 'jira.createIssue.open',
  /** Re-render the dialog for the chosen project and issue type, keeping what was typed. */
  Refresh: 'jira.createIssue.refresh',
  Submit: 'jira.createIssue.submit',
  /** Filter the project list by the text in the project search box. */
  SearchProjects: 'jira.createIssue.searchProjects',
  /** Filter the people pickers by the text in the people search box. */
  SearchPeople: 'jira.createIssue.searchPeople',
  /** `create SUMMARY` with no project known yet: create in the project chosen on the start card. */
  Quick: 'jira.createIssue.quick',
} as const;

/** Inputs the dialog always lays out itself, whatever the createmeta order. */
export const CreateIssueInput = {
  Project: 'project',
  IssueType: 'issuetype',
  Summary: 'summary',
  Description: 'description',
  Priority: 'priority',
  Assignee: 'assignee',
  Labels: 'labels',
  /** Search boxes: Adaptive Cards 1.5 has no typeahead (`Data.Query` is 1.6), so a Search button filters. */
  ProjectQuery: 'projectQuery',
  PeopleQuery: 'peopleQuery',
} as const;

const LAID_OUT = new Set<string>(Object.values(CreateIssueInput));

export interface ProjectChoice {
  key: string;
  name: string;
}

export interface IssueTypeChoice {
  id: string;
  name: string;
  /** Sub-tasks need a parent issue, which a message cannot supply. */
  subtask?: boolean;
}

export interface CreateIssueDialogInput {
  projects: readonly ProjectChoice[];
  /** Keys of the user's recently used projects, most recent first; they head the list. */
  recentProjectKeys?: readonly string[];
  issueTypes: readonly IssueTypeChoice[];
  /** The create-screen fields of the chosen project and issue type. */
  fields: readonly FormField[];
  assignableUsers: readonly UserChoice[];
  /** Values to show: the prefill from the message, or what the user submitted. */
  values: InputValues;
  /** Per input id, what is wrong with it. */
  errors?: Readonly<Record<string, string>>;
  /** A problem with the whole request (permission, expired connection, Jira's own message). */
  formError?: string;
  /** Extra data every action sends back (for example the message link). */
  submitData?: Readonly<Record<string, unknown>>;
  /** A line under the project search box: what the list shows, or that nothing matched. */
  projectNote?: SearchNote;
  /** The same under the people search box. */
  peopleNote?: SearchNote;
}

export interface SearchNote {
  text: string;
  /** Nothing matched: the list shows everything instead, and the line says so in colour. */
  empty: boolean;
}

/** Recently used projects first, most recent first; the rest keep Jira's order. */
export function orderProjects(projects: readonly ProjectChoice[], recent: readonly string[] = []): ProjectChoice[] {
  const rank = new Map(recent.map((key, i) => [key, i]));
  return [...projects].sort((a, b) => (rank.get(a.key) ?? recent.length) - (rank.get(b.key) ?? recent.length));
}

function searchNote(note: SearchNote | undefined): CardElement[] {
  return note
    ? [{ type: 'TextBlock', text: escapeCardText(note.text), wrap: true, size: 'Small', spacing: 'Small', ...(note.empty ? { color: 'Warning' } : { isSubtle: true }) }]
    : [];
}

/** A search box with its Search button beside it; the button returns the dialog with the list filtered. */
function searchRow(id: string, label: string, placeholder: string, value: string | undefined, data: Record<string, unknown>): CardElement {
  return {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'stretch', items: [{ type: 'Input.Text', id, label, placeholder, maxLength: 100, ...(value ? { value } : {}) }] },
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Bottom',
        items: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Search', data }] }],
      },
    ],
  };
}

function text(values: InputValues, id: string): string | undefined {
  const value = values[id];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The "Create issue" dialog (a task module card): project and issue type, the summary and
 * description prefilled from the message, priority, assignee and labels when the project's
 * create screen has them, and every other required field with an input of its type. After a
 * failed submit it shows each field's error under the field, with the user's values kept.
 */
export function createIssueDialogCard(input: CreateIssueDialogInput): AdaptiveCard {
  const { values, errors = {}, fields } = input;
  const byId = new Map(fields.map((f) => [f.id, f]));
  const project = text(values, CreateIssueInput.Project);
  const issueType = text(values, CreateIssueInput.IssueType);
  const summaryField = byId.get(CreateIssueInput.Summary) ?? { id: 'summary', name: 'Summary', required: true, kind: 'text' as const };

  const body: CardElement[] = [{ type: 'TextBlock', text: 'Create a Jira issue', size: 'Medium', weight: 'Bolder', wrap: true }];
  if (input.formError) body.push({ type: 'TextBlock', text: escapeCardText(input.formError), color: 'Attention', wrap: true });
  else if (Object.keys(errors).length > 0) body.push({ type: 'TextBlock', text: 'Some fields need attention.', color: 'Attention', wrap: true });

  body.push(
    searchRow(CreateIssueInput.ProjectQuery, 'Find a project', 'Name or key', text(values, CreateIssueInput.ProjectQuery), {
      ...input.submitData,
      verb: CreateIssueVerb.SearchProjects,
    }),
    ...searchNote(input.projectNote),
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            {
              type: 'Input.ChoiceSet',
              id: CreateIssueInput.Project,
              label: 'Project',
              style: 'compact',
              placeholder: 'Choose a project',
              choices: orderProjects(input.projects, input.recentProjectKeys)
                .slice(0, MAX_CHOICES)
                .map((p) => ({ title: `${p.name} (${p.key})`, value: p.key })),
              ...(project ? { value: project } : {}),
            },
            ...fieldError(errors[CreateIssueInput.Project]),
          ],
        },
        {
          type: 'Column',
          width: 'stretch',
          items: [
            {
              type: 'Input.ChoiceSet',
              id: CreateIssueInput.IssueType,
              label: 'Issue type',
              style: 'compact',
              placeholder: 'Choose a type',
              choices: input.issueTypes.filter((t) => !t.subtask).map((t) => ({ title: t.name, value: t.id })),
              ...(issueType ? { value: issueType } : {}),
            },
            ...fieldError(errors[CreateIssueInput.IssueType]),
          ],
        },
      ],
    },
    {
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Submit',
          title: 'Show fields for this project and type',
          data: { ...input.submitData, verb: CreateIssueVerb.Refresh },
        },
      ],
    },
    ...createIssueFieldInput(summaryField, values, [], errors[CreateIssueInput.Summary]),
    ...createIssueFieldInput(
      byId.get(CreateIssueInput.Description) ?? { id: 'description', name: 'Description', required: false, kind: 'textarea' },
      values,
      [],
      errors[CreateIssueInput.Description],
    ),
  );

  // One people search box, above the first person picker (the assignee, else a user field further down).
  let peopleSearchShown = false;
  const push = (field: FormField) => {
    if (!peopleSearchShown && (field.kind === 'user' || field.kind === 'multiuser')) {
      peopleSearchShown = true;
      body.push(
        searchRow(CreateIssueInput.PeopleQuery, 'Find a person', 'Name', text(values, CreateIssueInput.PeopleQuery), {
          ...input.submitData,
          verb: CreateIssueVerb.SearchPeople,
        }),
        ...searchNote(input.peopleNote),
      );
    }
    body.push(...createIssueFieldInput(field, values, input.assignableUsers, errors[field.id]));
  };

  for (const id of [CreateIssueInput.Priority, CreateIssueInput.Assignee, CreateIssueInput.Labels]) {
    const field = byId.get(id);
    if (field) push(field);
  }

  const others = fields.filter((f) => !LAID_OUT.has(f.id) && (f.required || text(values, f.id) !== undefined || errors[f.id]));
  if (others.length > 0) {
    body.push({ type: 'TextBlock', text: 'More fields', weight: 'Bolder', wrap: true, separator: true });
    for (const field of others) push(field);
  }

  return adaptiveCard(body, [{ type: 'Action.Submit', title: 'Create', style: 'positive', data: { ...input.submitData, verb: CreateIssueVerb.Submit } }]);
}
