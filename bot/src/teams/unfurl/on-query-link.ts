import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionResult, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { issueCard } from '../../cards/issue-card';
import { issueListCard } from '../../cards/issue-list-card';
import { issueNoAccessCard } from '../../cards/issue-no-access-card';
import { issuePreview, thumbnailPreview } from '../../cards/issue-preview';
import { messageCard } from '../../cards/message-card';
import { signInCard } from '../../cards/sign-in-card';
import { connectionOwner, type ConnectionOwner } from '../../connections/connection';
import type { Logger } from '../../log/create-logger';
import { parseJiraLink, type JiraLink } from '../../jira/links/parse-jira-link';
import { tenantIdOf } from '../conversation-scope';
import { classifyFailure } from './classify-failure';
import type { IssueService } from './issue-service';
import { sameSiteHost } from '../../jira/site-url';
import { serializeOnce } from '../serialized-json';

export interface UnfurlDeps {
  issues: IssueService;
  /** Jira hosts besides *.atlassian.net (custom domains, the simulator). */
  siteHosts: readonly string[];
  /** A sign-in link for the user, when Atlassian sign-in is configured. */
  signInLink?: (user: ConnectionOwner, conversationId: string) => string | undefined;
  logger: Logger;
}

/** An issue's answer per cached view object (see unfurl()); serialized once (serializeOnce). */
const renderedResults = new WeakMap<object, MessagingExtensionResult>();

/**
 * Parsed links by URL, per configured host list: an issue pasted again and again is parsed once.
 * Parsing is a pure function of the URL and the hosts, with no user's data in it, so one cache
 * serves everyone. Bounded, and long URLs (JQL) are not kept.
 */
const parsedLinks = new WeakMap<readonly string[], Map<string, JiraLink | undefined>>();
const PARSED_LINKS_KEPT = 512;
const PARSED_LINK_MAX_LENGTH = 1024;

function parseLink(url: string, siteHosts: readonly string[]): JiraLink | undefined {
  if (typeof url !== 'string' || url.length > PARSED_LINK_MAX_LENGTH) return parseJiraLink(url, { siteHosts });
  let cache = parsedLinks.get(siteHosts);
  if (!cache) parsedLinks.set(siteHosts, (cache = new Map<string, JiraLink | undefined>()));
  if (cache.has(url)) return cache.get(url);
  const link = parseJiraLink(url, { siteHosts });
  if (cache.size >= PARSED_LINKS_KEPT) cache.delete(cache.keys().next().value!);
  // Frozen: every request that pastes this URL gets this very object.
  cache.set(url, link && Object.freeze(link));
  return link;
}

/** Issues shown in a filter or JQL unfurl. */
export const LIST_UNFURL_SIZE = 5;

export function userOf(context: TurnContext): ConnectionOwner {
  return connectionOwner(tenantIdOf(context.activity), context.activity.from);
}

/** `composeExtension/queryLink`: a Jira link pasted by a user of the app becomes a live card. */
export const onQueryLink =
  (deps: UnfurlDeps) =>
  async (context: TurnContext, url: string): Promise<MessagingExtensionResult> => {
    const link = parseLink(url, deps.siteHosts);
    // Not a link this app unfurls: an empty result leaves the link as the user pasted it.
    if (!link || link.kind === 'board') return result([]);
    const user = userOf(context);
    try {
      return await unfurl(deps, user, link, url);
    } catch (error) {
      const failure = classifyFailure(error);
      if (!failure) throw error;
      deps.logger.info({ kind: link.kind, failure: failure.kind }, 'unfurl answered with a failure card');
      switch (failure.kind) {
        case 'signIn': {
          const signIn = deps.signInLink?.(user, context.activity.conversation?.id ?? '');
          return signIn
            ? { type: 'auth', suggestedActions: { actions: [{ type: 'openUrl', value: signIn, title: 'Sign in to Jira' }] } }
            : result([attachment(signInCard({ key: issueKeyOf(link), url }), thumbnailPreview(issueKeyOf(link) ?? 'Jira link', 'Connect your Jira account to see it'))]);
        }
        case 'unavailable':
          return link.kind === 'issue'
            ? result([attachment(issueNoAccessCard(link.key, url), thumbnailPreview(link.key, 'Not available'))])
            : result([attachment(messageCard({ text: "That filter doesn't exist, or you can't see it.", tone: 'attention' }), thumbnailPreview('Jira filter', 'Not available'))]);
        case 'message':
          return result([attachment(messageCard({ text: failure.text, tone: 'attention' }), thumbnailPreview(issueKeyOf(link) ?? 'Jira link', failure.text))]);
        default: {
          const unknown: never = failure;
          throw new Error(`unhandled failure ${JSON.stringify(unknown)}`, { cause: error });
        }
      }
    }
  };

/** `composeExtension/anonymousQueryLink`: the app is not installed here, so no user data is read. */
export const onAnonymousQueryLink =
  (deps: Pick<UnfurlDeps, 'siteHosts'>) =>
  async (_context: TurnContext, url: string): Promise<MessagingExtensionResult> => {
    const link = parseJiraLink(url, { siteHosts: deps.siteHosts });
    if (!link || link.kind === 'board') return result([]);
    const key = issueKeyOf(link);
    return result([attachment(signInCard({ key, url }), thumbnailPreview(key ?? 'Jira link', 'Open in Jira'))]);
  };

async function unfurl(deps: UnfurlDeps, user: ConnectionOwner, link: Exclude<JiraLink, { kind: 'board' }>, url: string): Promise<MessagingExtensionResult> {
  if (link.kind === 'issue') {
    const { view } = await deps.issues.getIssue(user, link.key);
    if (!sameSiteHost(link.host, view.url, deps.siteHosts)) return result([otherSite(link, url, view.url)]);
    // The card goes to everyone in the conversation: no viewer-specific actions until each
    // viewer's client refreshes it into their own view. The cache hands out the same view
    // object (one user's copy) until the issue changes, so its rendered answer, serialized
    // once, is kept beside it.
    let rendered = renderedResults.get(view);
    if (!rendered) {
      rendered = serializeOnce(result([attachment(issueCard(view), issuePreview(view))]));
      renderedResults.set(view, rendered);
    }
    return rendered;
  }
  const filter = link.kind === 'filter' ? await deps.issues.filter(user, link.filterId) : undefined;
  const jql = filter?.jql ?? (link.kind === 'jql' ? link.jql : '');
  const page = await deps.issues.search(user, jql, { maxResults: LIST_UNFURL_SIZE });
  const siteUrl = page.issues[0]?.url;
  if (siteUrl && !sameSiteHost(link.host, siteUrl, deps.siteHosts)) return result([otherSite(link, url, siteUrl)]);
  const title = filter ? filter.name : 'Jira search';
  const card = issueListCard({ title, jql, issues: page.issues, total: page.total, hasMore: page.hasMore, url });
  const count = page.total ?? page.issues.length;
  return result([attachment(card, thumbnailPreview(title, `${count}${page.hasMore ? '+' : ''} ${count === 1 ? 'issue' : 'issues'}`))]);
}

/** A link to a Jira site other than the user's: say so, show nothing from either site. */
function otherSite(link: JiraLink, url: string, connectedUrl: string): MessagingExtensionAttachment {
  const connected = new URL(connectedUrl).host;
  const card = messageCard({
    text: `This link is to ${link.host}, but your Jira account is connected to ${connected}.`,
    tone: 'attention',
    details: ['Connect to that site to see it here, or open the link in Jira.'],
  });
  card.actions = [{ type: 'Action.OpenUrl', title: 'Open in Jira', url }];
  return attachment(card, thumbnailPreview(issueKeyOf(link) ?? 'Jira link', `On ${link.host}`));
}

function issueKeyOf(link: JiraLink): string | undefined {
  return link.kind === 'issue' ? link.key : undefined;
}

export function attachment(card: AdaptiveCard, preview: MessagingExtensionAttachment['preview']): MessagingExtensionAttachment {
  return { ...CardFactory.adaptiveCard(card), preview };
}

export function result(attachments: MessagingExtensionAttachment[]): MessagingExtensionResult {
  return { type: 'result', attachmentLayout: 'list', attachments };
}
