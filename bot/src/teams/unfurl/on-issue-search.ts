import type { MessagingExtensionResult, TurnContext } from 'botbuilder';
import { issueCard } from '../../cards/issue-card';
import { issuePreview } from '../../cards/issue-preview';
import { classifyFailure } from './classify-failure';
import { attachment, result, userOf, type UnfurlDeps } from './on-query-link';
import { queryToJql } from './query-to-jql';

/** The search command's id in the manifest's composeExtensions. */
export const SEARCH_COMMAND_ID = 'searchIssues';
/** Its text parameter's name. */
export const SEARCH_PARAMETER = 'query';
/** Teams asks in pages; Jira's search/jql has no offsets, so deeper pages are not offered. */
const MAX_SEARCH_DEPTH = 50;

export interface SearchQuery {
  count: number;
  skip: number;
  parameters: Record<string, unknown>;
}

/** `composeExtension/query`: issues matching text, a key or `jql: ...`; the user's own when empty. */
export const onIssueSearch =
  (deps: UnfurlDeps) =>
  async (context: TurnContext, query: SearchQuery): Promise<MessagingExtensionResult> => {
    const initialRun = String(query.parameters.initialRun ?? '') === 'true';
    const text = initialRun ? '' : String(query.parameters[SEARCH_PARAMETER] ?? '');
    const skip = Math.max(0, Math.floor(query.skip || 0));
    const count = Math.min(Math.max(1, Math.floor(query.count || 10)), 25);
    if (skip >= MAX_SEARCH_DEPTH) return result([]);
    const user = userOf(context);
    try {
      const page = await deps.issues.search(user, queryToJql(text), { maxResults: Math.min(skip + count, MAX_SEARCH_DEPTH) });
      return result(page.issues.slice(skip, skip + count).map((view) => attachment(issueCard(view), issuePreview(view))));
    } catch (error) {
      const failure = classifyFailure(error);
      if (!failure) throw error;
      if (failure.kind === 'signIn') {
        const signIn = deps.signInLink?.(user, context.activity.conversation?.id ?? '');
        if (signIn) return { type: 'auth', suggestedActions: { actions: [{ type: 'openUrl', value: signIn, title: 'Sign in to Jira' }] } };
        return { type: 'message', text: 'Connect your Jira account first: open a chat with me and type "connect".' };
      }
      // A message result shows Jira's own words, such as what is wrong with the JQL.
      return { type: 'message', text: failure.kind === 'message' ? failure.text : 'Jira could not find that.' };
    }
  };
