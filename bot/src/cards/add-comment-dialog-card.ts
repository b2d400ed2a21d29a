import { adaptiveCard, escapeCardText, type AdaptiveCard, type CardElement } from './adaptive-card';
import { fieldError, MAX_CHOICES, type InputValues } from './create-issue-field-input';

export const AddCommentVerb = {
  /** Look up issues matching the typed key or text, and show them to pick from. */
  Search: 'jira.addComment.search',
  Submit: 'jira.addComment.submit',
} as const;

export const AddCommentInput = {
  Issue: 'issue',
  Query: 'issueQuery',
  Comment: 'comment',
} as const;

export interface IssueChoice {
  key: string;
  summary: string;
}

export interface AddCommentDialogInput {
  /** Issues to pick from: the user's recent issues first, or the results of their search. */
  issues: readonly IssueChoice[];
  /** Values to show: the prefilled comment, or what the user submitted. */
  values: InputValues;
  errors?: Readonly<Record<string, string>>;
  formError?: string;
  /** Said above the list when it holds search results, e.g. `3 issues match "login"`. */
  listNote?: string;
  submitData?: Readonly<Record<string, unknown>>;
}

function text(values: InputValues, id: string): string | undefined {
  const value = values[id];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The "Add comment" dialog: choose an issue from recent ones or find one by key or text, and
 * edit the comment prefilled from the message.
 */
export function addCommentDialogCard(input: AddCommentDialogInput): AdaptiveCard {
  const { values, errors = {} } = input;
  const issue = text(values, AddCommentInput.Issue);
  const query = text(values, AddCommentInput.Query);
  const comment = text(values, AddCommentInput.Comment);

  const body: CardElement[] = [{ type: 'TextBlock', text: 'Add a comment to a Jira issue', size: 'Medium', weight: 'Bolder', wrap: true }];
  if (input.formError) body.push({ type: 'TextBlock', text: escapeCardText(input.formError), color: 'Attention', wrap: true });
  if (input.listNote) body.push({ type: 'TextBlock', text: input.listNote, isSubtle: true, wrap: true });
  body.push(
    input.issues.length > 0
      ? {
          type: 'Input.ChoiceSet',
          id: AddCommentInput.Issue,
          label: 'Issue',
          style: 'compact',
          placeholder: 'Choose an issue',
          choices: input.issues.slice(0, MAX_CHOICES).map((i) => ({ title: `${i.key}: ${i.summary}`, value: i.key })),
          ...(issue ? { value: issue } : {}),
        }
      : { type: 'TextBlock', text: 'No recent issues. Find one by key or text below.', wrap: true, isSubtle: true },
    ...fieldError(errors[AddCommentInput.Issue]),
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            {
              type: 'Input.Text',
              id: AddCommentInput.Query,
              label: 'Or find an issue',
              placeholder: 'An issue key like ABC-123, or words from its summary',
              ...(query ? { value: query } : {}),
            },
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Bottom',
          items: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Find', data: { ...input.submitData, verb: AddCommentVerb.Search } }] }],
        },
      ],
    },
    ...fieldError(errors[AddCommentInput.Query]),
    { type: 'Input.Text', id: AddCommentInput.Comment, label: 'Comment (required)', isMultiline: true, ...(comment ? { value: comment } : {}) },
    ...fieldError(errors[AddCommentInput.Comment]),
  );
  return adaptiveCard(body, [{ type: 'Action.Submit', title: 'Add comment', style: 'positive', data: { ...input.submitData, verb: AddCommentVerb.Submit } }]);
}
