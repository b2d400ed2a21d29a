import { adaptiveCard, type AdaptiveCard } from './adaptive-card';
import { CreateIssueVerb } from './create-issue-dialog-card';

/**
 * Answers the `create` command: a bot cannot open a dialog on its own, so this card's button
 * asks Teams to fetch the create dialog (`task/fetch`).
 */
export function createIssueStartCard(problem?: string): AdaptiveCard {
  return adaptiveCard(
    [
      { type: 'TextBlock', text: 'Create a Jira issue', weight: 'Bolder', wrap: true },
      {
        type: 'TextBlock',
        text: problem ?? 'Pick the project, type and fields in a dialog. Next time, **create** followed by a summary uses the same project and type.',
        wrap: true,
        ...(problem ? { color: 'Attention' } : { isSubtle: true }),
      },
    ],
    [{ type: 'Action.Submit', title: 'Create issue', data: { msteams: { type: 'task/fetch' }, verb: CreateIssueVerb.Open } }],
  );
}
