import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import { issueCard } from '../../cards/issue-card';
import { issueNoAccessCard } from '../../cards/issue-no-access-card';
import { messageCard } from '../../cards/message-card';
import type { CardNotice } from '../../cards/notice-banner';
import { signInCard } from '../../cards/sign-in-card';
import { Verb, type IssueActionPayload } from '../../cards/verb';
import type { ConnectionOwner } from '../../connections/connection';
import { classifyFailure } from './classify-failure';
import type { IssueService } from './issue-service';
import { userOf, type UnfurlDeps } from './on-query-link';
import { browseUrl, sameSiteHost } from '../../jira/site-url';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;
const MAX_COMMENT = 32_000;

/**
 * `adaptiveCard/action` for an issue card verb: do it as the user, then answer that user with
 * the issue as it is now (and a line saying what happened). The answer goes to the person who
 * acted only; everyone else's client refreshes the card into their own view.
 */
export const onIssueAction =
  (deps: Pick<UnfurlDeps, 'issues' | 'logger' | 'siteHosts'>, verb: Verb) =>
  async (context: TurnContext, data: Partial<IssueActionPayload>): Promise<AdaptiveCard> => {
    const card = await cardFor(deps, verb, userOf(context), data);
    await answerInvoker(context, card);
    return card;
  };

async function cardFor(deps: Pick<UnfurlDeps, 'issues' | 'logger' | 'siteHosts'>, verb: Verb, user: ConnectionOwner, data: Partial<IssueActionPayload>): Promise<AdaptiveCard> {
  const key = typeof data.key === 'string' ? data.key.trim().toUpperCase() : '';
  if (!ISSUE_KEY.test(key)) return messageCard({ text: 'This card is out of date. Paste the Jira link again for a fresh one.', tone: 'attention' });
  const url = browseUrlOf(data.site, key);

  let notice: CardNotice | undefined;
  try {
    // The card's site must be the user's: the same key on another site is another issue.
    // (A read served from the issue cache when the service has one.)
    const { view } = await deps.issues.getIssue(user, key);
    if (typeof data.site !== 'string' || !sameSiteHost(data.site, view.url, deps.siteHosts)) {
      return messageCard({
        text: `This card is from ${String(data.site ?? 'another site')}, but your Jira account is connected to ${new URL(view.url).host}. Nothing was changed.`,
        tone: 'attention',
      });
    }
    notice = await perform(deps.issues, verb, user, key, data);
  } catch (error) {
    const failure = classifyFailure(error);
    if (!failure) throw error;
    deps.logger.info({ verb, key, failure: failure.kind }, 'issue card action failed');
    if (failure.kind === 'signIn') return signInCard({ key, url: url ?? '' });
    if (failure.kind === 'unavailable') return issueNoAccessCard(key, url);
    notice = { text: failure.text, tone: 'attention' };
  }
  try {
    const { view, viewerAccountId } = await deps.issues.getIssue(user, key);
    if (verb === Verb.Transition && notice?.tone === 'good' && view.status) notice = { text: `${key} is now ${view.status.name}.`, tone: 'good' };
    return issueCard(view, { viewerAccountId, notice });
  } catch (error) {
    const failure = classifyFailure(error);
    if (!failure) throw error;
    if (failure.kind === 'signIn') return signInCard({ key, url: url ?? '' });
    if (failure.kind === 'unavailable') return issueNoAccessCard(key, url);
    return messageCard({ text: notice?.tone === 'attention' ? notice.text : failure.text, tone: 'attention' });
  }
}

/** Does what the verb asks; returns the line to show, or undefined for a plain refresh. */
async function perform(issues: IssueService, verb: Verb, user: ConnectionOwner, key: string, data: Partial<IssueActionPayload>): Promise<CardNotice | undefined> {
  switch (verb) {
    case Verb.Refresh:
      return undefined;
    case Verb.Assign:
      await issues.assignToSelf(user, key);
      return { text: `${key} is assigned to you.`, tone: 'good' };
    case Verb.Transition: {
      const transitionId = typeof data.transitionId === 'string' ? data.transitionId.trim() : '';
      if (!/^[0-9]+$/.test(transitionId)) return { text: 'Choose a status first.', tone: 'attention' };
      await issues.transition(user, key, transitionId);
      return { text: `${key} moved.`, tone: 'good' };
    }
    case Verb.Comment: {
      const text = typeof data.comment === 'string' ? data.comment.trim() : '';
      if (!text) return { text: 'Write a comment first.', tone: 'attention' };
      if (text.length > MAX_COMMENT) return { text: `That comment is too long for Jira; keep it under ${MAX_COMMENT} characters.`, tone: 'attention' };
      await issues.comment(user, key, text);
      return { text: 'Your comment was added.', tone: 'good' };
    }
    case Verb.Watch:
      await issues.watch(user, key, true);
      return { text: `You are watching ${key}.`, tone: 'good' };
    case Verb.Unwatch:
      await issues.watch(user, key, false);
      return { text: `You stopped watching ${key}.`, tone: 'good' };
    default: {
      const unknown: never = verb;
      throw new Error(`unhandled verb ${String(unknown)}`);
    }
  }
}

function browseUrlOf(site: unknown, key: string): string | undefined {
  if (typeof site !== 'string' || !/^[a-z0-9.-]+(:[0-9]+)?$/i.test(site)) return undefined;
  // The simulator and local sites run on plain http with a port; Jira Cloud is https.
  const scheme = /:[0-9]+$/.test(site) && !site.endsWith(':443') ? 'http' : 'https';
  return browseUrl(`${scheme}://${site}`, key);
}

/**
 * Answers the Action.Execute invoke with the card for the invoker only. teams-ai would otherwise
 * edit the message for everyone whenever the card has a refresh section, on every viewer's
 * automatic refresh; and a card a user unfurled is their message, not the bot's, to edit.
 */
async function answerInvoker(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
  });
}
