import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';
import { CreateIssueVerb, type ProjectChoice } from './create-issue-dialog-card';

/** `create SUMMARY` before a project is known here: the summary, and the projects to choose from. */
export interface QuickCreateQuestion {
  summary: string;
  projects: readonly ProjectChoice[];
}

/** Input id of the project choice on the start card. */
export const QUICK_CREATE_PROJECT = 'project';
const MAX_PROJECTS = 50;

/**
 * Answers the `create` command. A bot cannot open a dialog on its own, so a button asks Teams to
 * fetch the create dialog (`task/fetch`). Given a summary but no project yet, the card asks for
 * the project itself and creates on the spot, so the summary typed is neither lost nor retyped.
 */
export function createIssueStartCard(problem?: string, question?: QuickCreateQuestion): AdaptiveCard {
  const summary = question?.summary;
  const projects = (question?.projects ?? []).slice(0, MAX_PROJECTS);
  const body: CardElement[] = [
    { type: 'TextBlock', text: 'Create a Jira issue', weight: 'Bolder', wrap: true },
    {
      type: 'TextBlock',
      text: problem ?? 'Pick the project, type and fields in a dialog. Next time, **create** followed by a summary uses the same project and type.',
      wrap: true,
      ...(problem ? { color: 'Attention' } : { isSubtle: true }),
    },
  ];
  const actions: CardElement[] = [];
  if (summary !== undefined && projects.length > 0) {
    body.push(
      { type: 'TextBlock', text: escapeCardLine(clipText(summary, 200)), wrap: true, weight: 'Bolder', spacing: 'Medium' },
      {
        type: 'Input.ChoiceSet',
        id: QUICK_CREATE_PROJECT,
        label: 'Project',
        style: 'compact',
        isRequired: true,
        errorMessage: 'Choose a project.',
        value: projects[0].key,
        choices: projects.map((p) => ({ title: `${clipText(p.name, 60)} (${p.key})`, value: p.key })),
      },
    );
    actions.push({ type: 'Action.Execute', title: 'Create', verb: CreateIssueVerb.Quick, data: { summary } });
  }
  actions.push({
    type: 'Action.Submit',
    title: actions.length ? 'More fields' : 'Create issue',
    data: { msteams: { type: 'task/fetch' }, verb: CreateIssueVerb.Open, ...(summary !== undefined ? { summary } : {}) },
  });
  return adaptiveCard(body, actions);
}
