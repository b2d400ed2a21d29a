import {
  createIssueDialogCard,
  CreateIssueInput,
  CreateIssueVerb,
  orderProjects,
  type IssueTypeChoice,
  type ProjectChoice,
  type SearchNote,
} from '../../cards/create-issue-dialog-card';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import type { UserChoice } from '../../cards/create-issue-field-input';
import { formFieldsFromCreateMeta } from '../../jira/fields/form-fields-from-create-meta';
import type { FormField } from '../../cards/form-field';
import { isJiraError, JiraErrorCode } from '../../jira/jira-error';
import type { CreateDefaults } from './create-defaults';
import type { IssueWriter } from './issue-writer';
import { userFacingError } from './user-facing-error';

export interface CreateIssueDialogState {
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  formError?: string;
  submitData?: Record<string, unknown>;
  /** The dialog action that asked for this render; a search picks from its results. */
  verb?: string;
}

export interface LoadedCreateIssueDialog {
  card: AdaptiveCard;
  fields: FormField[];
  projectKey?: string;
  issueTypeId?: string;
  /** Why the chosen project's create screen could not be loaded (for example no Create Issues permission there). */
  loadError?: string;
  /** The issue type the user submitted is not one of the project's: the dialog shows the project's first instead. */
  issueTypeMissing?: boolean;
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

function query(values: Record<string, unknown>, id: string): string {
  const value = values[id];
  return typeof value === 'string' ? value.trim() : '';
}

/** Account ids chosen in person pickers, which a people search must not drop from their lists. */
function chosenPeople(fields: readonly FormField[], values: Record<string, unknown>): string[] {
  return fields
    .filter((f) => f.kind === 'user' || f.kind === 'multiuser')
    .flatMap((f) => (typeof values[f.id] === 'string' ? (values[f.id] as string).split(',') : []))
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/**
 * The project list: Jira's project search for the typed text, recent projects first. Nothing
 * matching shows every project with a note; a search selects its best match unless the chosen
 * project is among the results; any other action keeps the chosen project in the list, so a
 * stale search text never switches project behind the user's back.
 */
async function loadProjects(writer: IssueWriter, defaults: CreateDefaults, values: Record<string, unknown>, verb: string | undefined) {
  const text = query(values, CreateIssueInput.ProjectQuery);
  const chosen = typeof values[CreateIssueInput.Project] === 'string' ? (values[CreateIssueInput.Project] as string) : undefined;
  if (!text) return { projects: orderProjects(await writer.projects(), defaults.recentProjectKeys), wanted: [chosen, defaults.projectKey, ...defaults.recentProjectKeys] };

  const matches = orderProjects(await writer.projects(text), defaults.recentProjectKeys);
  if (matches.length === 0) {
    const note: SearchNote = { text: `No project matches '${text}'. Showing all your projects.`, empty: true };
    return { projects: orderProjects(await writer.projects(), defaults.recentProjectKeys), wanted: [chosen, defaults.projectKey, ...defaults.recentProjectKeys], note };
  }
  const note: SearchNote = { text: `${matches.length === 1 ? '1 project matches' : `${matches.length} projects match`} '${text}'.`, empty: false };
  if (verb === CreateIssueVerb.SearchProjects) return { projects: matches, wanted: [chosen, matches[0].key], note };
  if (chosen && !matches.some((p) => p.key === chosen)) {
    const kept = (await writer.projects()).find((p) => p.key === chosen);
    if (kept) return { projects: [kept, ...matches], wanted: [chosen], note };
  }
  return { projects: matches, wanted: [chosen, defaults.projectKey, ...defaults.recentProjectKeys], note };
}

/** The project's assignable people, filtered by the people search box, keeping anyone already chosen. */
async function loadPeople(writer: IssueWriter, projectKey: string, fields: readonly FormField[], values: Record<string, unknown>) {
  const text = query(values, CreateIssueInput.PeopleQuery);
  if (!text) return { users: await writer.assignableUsers(projectKey) };
  const matches = await writer.assignableUsers(projectKey, text);
  if (matches.length === 0) {
    return { users: await writer.assignableUsers(projectKey), note: { text: `No one assignable in ${projectKey} matches '${text}'. Showing everyone.`, empty: true } };
  }
  const note = { text: `${matches.length === 1 ? '1 person matches' : `${matches.length} people match`} '${text}'.`, empty: false };
  const missing = chosenPeople(fields, values).filter((id) => !matches.some((u) => u.accountId === id));
  if (missing.length === 0) return { users: matches, note };
  const everyone = await writer.assignableUsers(projectKey);
  const kept = everyone.filter((u) => missing.includes(u.accountId));
  return { users: [...kept, ...matches], note };
}

/** The message for a project whose create screen the user may not load. */
function projectLoadError(error: unknown, project: ProjectChoice): string | undefined {
  // Jira answers createmeta for a project without Create Issues with a 400 ("... or you don't have permission to create issues in it").
  if (isJiraError(error) && (error.code === JiraErrorCode.Forbidden || (error.code === JiraErrorCode.BadRequest && /permission/i.test(error.detail ?? '')))) {
    return `You can't create issues in ${project.name} (${project.key}): you need the "Create Issues" permission there. Ask a Jira admin for it, or choose another project.`;
  }
  return userFacingError(error);
}

/**
 * Loads what the create dialog shows for the project and issue type the user picked (else the
 * ones they used last here, else the first): the project list (filtered by the project search),
 * its issue types, the create screen and the assignable people (filtered by the people search).
 * Values the user typed are kept as they are. A project whose create screen cannot be loaded
 * still gives a dialog, with the reason at the top, so the user can choose another.
 */
export async function loadCreateIssueDialog(writer: IssueWriter, defaults: CreateDefaults, state: CreateIssueDialogState): Promise<LoadedCreateIssueDialog> {
  const values = { ...state.values };
  const { projects, wanted, note: projectNote } = await loadProjects(writer, defaults, values, state.verb);
  const project = pick(wanted, projects, (p) => p.key);
  let issueTypes: IssueTypeChoice[] = [];
  let fields: FormField[] = [];
  let users: UserChoice[] = [];
  let peopleNote: SearchNote | undefined;
  let issueType: IssueTypeChoice | undefined;
  let loadError: string | undefined;
  let issueTypeMissing = false;
  if (project) {
    values[CreateIssueInput.Project] = project.key;
    try {
      issueTypes = (await writer.issueTypes(project.key)).filter((t) => !t.subtask);
      const submittedType = typeof values[CreateIssueInput.IssueType] === 'string' ? (values[CreateIssueInput.IssueType] as string) : '';
      issueTypeMissing = submittedType !== '' && state.values[CreateIssueInput.Project] === project.key && !issueTypes.some((t) => t.id === submittedType);
      issueType = pick([submittedType, defaults.issueTypeId], issueTypes, (t) => t.id);
      if (issueType) {
        values[CreateIssueInput.IssueType] = issueType.id;
        fields = formFieldsFromCreateMeta(await writer.createMeta(project.key, issueType.id));
        ({ users, note: peopleNote } = await loadPeople(writer, project.key, fields, values));
      } else {
        loadError = `${project.name} (${project.key}) has no issue type you can create from Teams (sub-tasks need a parent). Choose another project.`;
      }
    } catch (error) {
      loadError = projectLoadError(error, project);
      if (loadError === undefined) throw error;
      issueTypes = [];
      fields = [];
      issueType = undefined;
      delete values[CreateIssueInput.IssueType];
    }
  }
  const formError =
    state.formError ?? loadError ?? (projects.length === 0 ? "You can't create issues in any Jira project. Ask a Jira admin for the Create Issues permission." : undefined);
  const card = createIssueDialogCard({
    projects,
    recentProjectKeys: defaults.recentProjectKeys,
    issueTypes,
    fields,
    assignableUsers: users,
    values,
    errors: state.errors,
    formError,
    projectNote,
    peopleNote,
    // The submit must know which project's fields the user saw, in case they switched project without refreshing.
    submitData: { ...state.submitData, shownFor: shownFor(project?.key, issueType?.id) },
  });
  return { card, fields, projectKey: project?.key, issueTypeId: issueType?.id, loadError, issueTypeMissing };
}
