import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';
import { httpUrl } from './http-url';

export interface SignInCardInput {
  /** The issue key in the link, if the link names one. */
  key?: string;
  /** The Jira link that was pasted. */
  url: string;
  /** Where the user connects their Jira account, when the caller has one to offer. */
  signInUrl?: string;
}

/**
 * For links the bot may not read for this user (zero-install unfurls, no connection yet): what
 * the link is, and how to see more. Carries no issue data.
 */
export function signInCard(input: SignInCardInput): AdaptiveCard {
  const link = httpUrl(input.url);
  const signIn = httpUrl(input.signInUrl);
  const host = link ? new URL(link).host.toLowerCase() : undefined;
  const title = input.key ? `Jira issue ${escapeCardLine(input.key)}` : 'Jira link';
  const body: CardElement[] = [
    { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
    ...(host ? [{ type: 'TextBlock', text: escapeCardLine(host), isSubtle: true, size: 'Small', spacing: 'None', wrap: true }] : []),
    {
      type: 'TextBlock',
      text: signIn
        ? 'Connect your Jira account to see details and act on issues here. After you sign in, send the code the page shows to the Jira app in a personal chat.'
        : 'Connect your Jira account to see details here: open a chat with the Jira app and type **connect**.',
      wrap: true,
      spacing: 'Small',
    },
  ];
  const card = adaptiveCard(body, [
    ...(signIn ? [{ type: 'Action.OpenUrl', title: 'Sign in to Jira', url: signIn }] : []),
    ...(link ? [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: link }] : []),
  ]);
  card.fallbackText = input.key ? `Jira issue ${input.key}` : 'Jira link';
  return card;
}
