import { adaptiveCard, escapeCardText, type AdaptiveCard, type CardElement } from './adaptive-card';
import { createIssueFieldInput, fieldError, MAX_CHOICES, type InputValues, type UserChoice } from './create-issue-field-input';
import type { FormField } from '../jira/fields/form-field';

export const CreateIssueVerb = {
  /** Open the dialog from the `create` command's card (`task/fetch`). */
  Open: 'jira.createIssue.open',
  /** Re-render the dialog for the chosen project and issue type, keeping what was typed. */
  Refresh: 'jira.createIssue.refresh',
  Submit: 'jira.createIssue.submit',
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
}

function orderProjects(projects: readonly ProjectChoice[], recent: readonly string[] = []): ProjectChoice[] {
  const rank = new Map(recent.map((key, i) => [key, i]));
  return [...projects].sort((a, b) => (rank.get(a.key) ?? recent.length) - (rank.get(b.key) ?? recent.length));
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

  for (const id of [CreateIssueInput.Priority, CreateIssueInput.Assignee, CreateIssueInput.Labels]) {
    const field = byId.get(id);
    if (field) body.push(...createIssueFieldInput(field, values, input.assignableUsers, errors[id]));
  }

  const others = fields.filter((f) => !LAID_OUT.has(f.id) && (f.required || text(values, f.id) !== undefined || errors[f.id]));
  if (others.length > 0) {
    body.push({ type: 'TextBlock', text: 'More fields', weight: 'Bolder', wrap: true, separator: true });
    for (const field of others) body.push(...createIssueFieldInput(field, values, input.assignableUsers, errors[field.id]));
  }

  return adaptiveCard(body, [{ type: 'Action.Submit', title: 'Create', style: 'positive', data: { ...input.submitData, verb: CreateIssueVerb.Submit } }]);
}
