import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { parseJiraLink } from '../../jira/links/parse-jira-link';
import { Verb } from '../../cards/verb';
import { commandText } from '../command-text';
import { onQueryLink, type UnfurlDeps } from './on-query-link';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const URLS = /https?:\/\/[^\s<>"']+/gi;
const ISSUE_VERBS = new Set<string>(Object.values(Verb));
const MAX_CARD_DEPTH = 12;

/**
 * The Jira link a message to the bot carries on its own: a pasted link with no other words (in
 * the text or, when Teams shows it under another label, in the message's HTML), or an issue card
 * shared into the chat. A link among other words stays a message for the commands to answer.
 */
export function sharedJiraLink(activity: Partial<Activity>, siteHosts: readonly string[]): string | undefined {
  const jira = (url: string) => {
    const link = parseJiraLink(url, { siteHosts });
    return link && link.kind !== 'board' ? url : undefined;
  };
  const text = commandText(activity.text);
  if (text && text.replace(URLS, '').trim() === '') return text.match(URLS)?.map(jira).find(Boolean);

  const html = (activity.attachments ?? []).find((a) => a.contentType === 'text/html' && typeof a.content === 'string')?.content as string | undefined;
  if (html) {
    const hrefs = [...html.matchAll(/<a\s[^>]*href="([^"]+)"/gi)].map((m) => decodeEntities(m[1]));
    const rest = decodeEntities(
      html
        .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
        .replace(/<a\s[\s\S]*?<\/a>/gi, ' ')
        .replace(/<[^>]+>/g, ' '),
    );
    if (hrefs.length && rest.replace(URLS, '').trim() === '') return hrefs.map(jira).find(Boolean);
  }

  // A card with no words around it: a card shared (forwarded) into the chat.
  if (text !== '' || activity.value !== undefined) return undefined;
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType !== ADAPTIVE_CARD) continue;
    const found = issueLinkInCard(parseCard(attachment.content), siteHosts);
    if (found) return found;
  }
  return undefined;
}

/** Answers such a message as the link would unfurl: the live card for this user, or how to sign in. */
export const onSharedLink =
  (deps: UnfurlDeps) =>
  async (context: TurnContext): Promise<void> => {
    const url = sharedJiraLink(context.activity, deps.siteHosts);
    if (!url) return;
    const answer = await onQueryLink(deps)(context, url);
    const card = answer.attachments?.[0];
    if (card) {
      await context.sendActivity(MessageFactory.attachment({ contentType: card.contentType, content: card.content as unknown }));
      return;
    }
    const signIn = answer.suggestedActions?.actions?.[0];
    await context.sendActivity(signIn ? `[${signIn.title ?? 'Sign in to Jira'}](${String(signIn.value)}) to see it here.` : 'Connect your Jira account first: type **connect**.');
  };

function parseCard(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return undefined;
  }
}

/** An issue's URL in a card: an Open in Jira link, else an issue action's key on its site. */
function issueLinkInCard(card: unknown, siteHosts: readonly string[]): string | undefined {
  let fromAction: string | undefined;
  const visit = (node: unknown, depth: number): string | undefined => {
    if (depth > MAX_CARD_DEPTH || node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      for (const item of node) {
        const found = visit(item, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.OpenUrl' && typeof record.url === 'string' && parseJiraLink(record.url, { siteHosts })?.kind === 'issue') return record.url;
    const data = record.data as { key?: unknown; site?: unknown } | undefined;
    if (!fromAction && typeof record.verb === 'string' && ISSUE_VERBS.has(record.verb) && typeof data?.key === 'string' && typeof data.site === 'string') {
      fromAction = `https://${data.site}/browse/${encodeURIComponent(data.key)}`;
    }
    for (const value of Object.values(record)) {
      const found = visit(value, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(card, 0) ?? (fromAction && parseJiraLink(fromAction, { siteHosts })?.kind === 'issue' ? fromAction : undefined);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&');
}
