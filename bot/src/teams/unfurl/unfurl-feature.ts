import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { CommandHelp } from '../../cards/help-card';
import { issueCard } from '../../cards/issue-card';
import { issueListCard } from '../../cards/issue-list-card';
import { issueNoAccessCard } from '../../cards/issue-no-access-card';
import { messageCard } from '../../cards/message-card';
import { Verb, type IssueActionPayload } from '../../cards/verb';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { commandPattern, commandText } from '../command-text';
import type { TeamsFeature } from '../teams-feature';
import { classifyFailure } from './classify-failure';
import { onIssueAction } from './on-issue-action';
import { onIssueSearch, SEARCH_COMMAND_ID } from './on-issue-search';
import { onSharedLink, sharedJiraLink } from './on-shared-link';
import { onAnonymousQueryLink, onQueryLink, userOf, type UnfurlDeps } from './on-query-link';
import { queryToJql } from './query-to-jql';

export const issueCommands: readonly CommandHelp[] = [
  { name: 'show', args: 'KEY', description: 'Show a Jira issue as a live card.', scopes: ['personal', 'team', 'groupChat'] },
  { name: 'find', args: 'TEXT', description: 'Find Jira issues by text, or by JQL after "jql:".', scopes: ['personal', 'team', 'groupChat'] },
];

const FIND_RESULTS = 10;

/** Link unfurls, the issue search box, the issue cards' actions, and `show` / `find`. */
export function unfurlFeature(deps: UnfurlDeps): TeamsFeature {
  return {
    name: 'unfurl',
    commands: issueCommands,
    register(app) {
      app.messageExtensions.queryLink((context, _state, url) => onQueryLink(deps)(context, url));
      app.messageExtensions.anonymousQueryLink((context, _state, url) => onAnonymousQueryLink(deps)(context, url));
      app.messageExtensions.query(SEARCH_COMMAND_ID, (context, _state, query) => onIssueSearch(deps)(context, query));
      for (const verb of Object.values(Verb)) {
        app.adaptiveCards.actionExecute<Partial<IssueActionPayload>>(verb, (context, _state, data) => onIssueAction(deps, verb)(context, data));
      }
      app.message(commandPattern('show'), (context) => onShow(deps)(context));
      app.message(commandPattern('find'), (context) => onFind(deps)(context));
      // A link pasted on its own, or an issue card shared into the chat: the card, as an unfurl shows it.
      app.message(
        async (context) => sharedJiraLink(context.activity, deps.siteHosts) !== undefined,
        (context) => onSharedLink(deps)(context),
      );
    },
  };
}

/** `show KEY`: the issue card, as `find` and unfurls draw it. */
export const onShow = (deps: UnfurlDeps) => async (context: TurnContext) => {
  const key = commandText(context.activity.text)
    .replace(/^show\s*/i, '')
    .trim()
    .toUpperCase();
  if (!/^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/.test(key)) {
    await context.sendActivity('Tell me which issue, for example **show PROJ-123**.');
    return;
  }
  await sendCard(context, await orFailureCard(key, async () => issueCard((await deps.issues.getIssue(userOf(context), key)).view)));
};

/** `find TEXT`: the first matching issues as a list card. */
export const onFind = (deps: UnfurlDeps) => async (context: TurnContext) => {
  const text = commandText(context.activity.text)
    .replace(/^find\s*/i, '')
    .trim();
  const jql = queryToJql(text);
  await sendCard(
    context,
    await orFailureCard(undefined, async () => {
      const page = await deps.issues.search(userOf(context), jql, { maxResults: FIND_RESULTS });
      return issueListCard({
        title: text ? `Issues for "${text}"` : 'Your issues',
        jql,
        issues: page.issues,
        total: page.total,
        hasMore: page.hasMore,
        url: searchUrl(page.issues[0]?.url, jql),
      });
    }),
  );
};

async function orFailureCard(key: string | undefined, make: () => Promise<AdaptiveCard>): Promise<AdaptiveCard> {
  try {
    return await make();
  } catch (error) {
    const failure = classifyFailure(error);
    if (!failure) throw error;
    if (failure.kind === 'signIn') return messageCard({ text: 'Connect your Jira account first: type "connect" in a chat with me.', tone: 'attention' });
    if (failure.kind === 'unavailable') return key ? issueNoAccessCard(key) : messageCard({ text: 'Jira could not find that.', tone: 'attention' });
    return messageCard({ text: failure.text, tone: 'attention' });
  }
}

/** The same search in Jira, on the site the results came from. */
function searchUrl(issueUrl: string | undefined, jql: string): string {
  try {
    return issueUrl ? `${new URL(issueUrl).origin}/issues/?jql=${encodeURIComponent(jql)}` : '';
  } catch {
    return '';
  }
}

async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
