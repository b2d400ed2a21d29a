import { createIssueDialogCard, CreateIssueInput, type ProjectChoice, type IssueTypeChoice } from '../../cards/create-issue-dialog-card';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import type { UserChoice } from '../../cards/create-issue-field-input';
import { formFieldsFromCreateMeta } from '../../jira/fields/form-fields-from-create-meta';
import type { FormField } from '../../jira/fields/form-field';
import type { CreateDefaults } from './create-defaults';
import type { IssueWriter } from './issue-writer';

export interface CreateIssueDialogState {
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  formError?: string;
  submitData?: Record<string, unknown>;
}

export interface LoadedCreateIssueDialog {
  card: AdaptiveCard;
  fields: FormField[];
  projectKey?: string;
  issueTypeId?: string;
}

/** Identifies the create screen a dialog was rendered for. */
export function shownFor(projectKey: string | undefined, issueTypeId: string | undefined): string {
  return `${projectKey ?? ''}|${issueTypeId ?? ''}`;
}

function pick<T>(wanted: Array<string | undefined>, items: readonly T[], id: (item: T) => string): T | undefined {
  for (const want of wanted) {
    const found = want ? items.find((item) => id(item) === want) : undefined;
    if (found) return found;
  }
  return items[0];
}

/**
 * Loads what the create dialog shows for the project and issue type the user picked (else the
 * ones they used last here, else the first): the project list, its issue types, the create
 * screen and the assignable users. Values the user typed are kept as they are.
 */
export async function loadCreateIssueDialog(
  writer: IssueWriter,
  defaults: CreateDefaults,
  state: CreateIssueDialogState,
): Promise<LoadedCreateIssueDialog> {
  const values = { ...state.values };
  const projects: ProjectChoice[] = await writer.projects();
  const project = pick([values[CreateIssueInput.Project] as string, defaults.projectKey, ...defaults.recentProjectKeys], projects, (p) => p.key);
  let issueTypes: IssueTypeChoice[] = [];
  let fields: FormField[] = [];
  let users: UserChoice[] = [];
  let issueType: IssueTypeChoice | undefined;
  if (project) {
    values[CreateIssueInput.Project] = project.key;
    issueTypes = (await writer.issueTypes(project.key)).filter((t) => !t.subtask);
    issueType = pick([values[CreateIssueInput.IssueType] as string, defaults.issueTypeId], issueTypes, (t) => t.id);
    if (issueType) {
      values[CreateIssueInput.IssueType] = issueType.id;
      const [meta, assignable] = await Promise.all([writer.createMeta(project.key, issueType.id), writer.assignableUsers(project.key)]);
      fields = formFieldsFromCreateMeta(meta);
      users = assignable;
    }
  }
  const formError =
    state.formError ?? (projects.length === 0 ? "You can't create issues in any Jira project. Ask a Jira admin for the Create Issues permission." : undefined);
  const card = createIssueDialogCard({
    projects,
    recentProjectKeys: defaults.recentProjectKeys,
    issueTypes,
    fields,
    assignableUsers: users,
    values,
    errors: state.errors,
    formError,
    // The submit must know which project's fields the user saw, in case they switched project without refreshing.
    submitData: { ...state.submitData, shownFor: shownFor(project?.key, issueType?.id) },
  });
  return { card, fields, projectKey: project?.key, issueTypeId: issueType?.id };
}
