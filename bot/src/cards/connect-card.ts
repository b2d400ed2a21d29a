import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';

/** Universal Action verb of the API-token form. A wire contract with posted cards: never rename. */
export const ConnectVerb = {
  ApiToken: 'jira.connect.apiToken',
} as const;

/** Input ids of the API-token form; Teams merges their values into the action's data. */
export const ConnectInput = {
  Site: 'siteUrl',
  Email: 'email',
  Token: 'apiToken',
} as const;

export interface ConnectCardInput {
  /** The bot's sign-in link when Atlassian OAuth is set up. */
  signInUrl?: string;
  /** Shown above the form after a failed attempt. */
  problem?: string;
  /** Values to keep after a failed attempt; the token is never sent back. */
  siteUrl?: string;
  email?: string;
}

/**
 * How to connect a Jira account: "Sign in with Atlassian" when OAuth is set up, and an API-token
 * form (inline, or behind "Use an API token instead"). The token field is a password input and
 * is submitted with Action.Execute, so it never shows in the chat history.
 */
export function connectCard(input: ConnectCardInput): AdaptiveCard {
  const intro: CardElement[] = [
    { type: 'TextBlock', text: 'Connect your Jira account', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'TextBlock',
      text: 'Your connection is yours alone: what I do in Jira for you, I do with your permissions.',
      wrap: true,
      isSubtle: true,
    },
  ];
  if (input.signInUrl) {
    intro.push({ type: 'TextBlock', text: 'After you sign in, the page shows a code: send it here to finish connecting.', wrap: true, isSubtle: true });
  }
  if (input.problem) intro.push({ type: 'TextBlock', text: escapeCardLine(input.problem), wrap: true, color: 'Attention' });

  const form: CardElement[] = [
    {
      type: 'Input.Text',
      id: ConnectInput.Site,
      label: 'Jira site',
      placeholder: 'https://your-team.atlassian.net',
      style: 'url',
      isRequired: true,
      errorMessage: 'Enter your Jira site address',
      ...(input.siteUrl ? { value: input.siteUrl } : {}),
    },
    {
      type: 'Input.Text',
      id: ConnectInput.Email,
      label: 'Atlassian account email',
      style: 'email',
      isRequired: true,
      errorMessage: 'Enter the email you sign in to Jira with',
      ...(input.email ? { value: input.email } : {}),
    },
    {
      type: 'Input.Text',
      id: ConnectInput.Token,
      label: 'API token (from id.atlassian.com, Security, API tokens)',
      style: 'password',
      isRequired: true,
      errorMessage: 'Enter an API token',
    },
  ];
  const submit: CardElement = { type: 'Action.Execute', title: 'Connect with API token', verb: ConnectVerb.ApiToken, data: {} };

  if (!input.signInUrl) return adaptiveCard([...intro, ...form], [submit]);
  return adaptiveCard(intro, [
    { type: 'Action.OpenUrl', title: 'Sign in with Atlassian', url: input.signInUrl, style: 'positive' },
    { type: 'Action.ShowCard', title: 'Use an API token instead', card: adaptiveCard(form, [submit]) },
  ]);
}

/** Replaces the form once connected, so no input (or typed token) stays on screen. */
export function connectedCard(input: { siteUrl: string; displayName: string }): AdaptiveCard {
  return adaptiveCard([
    { type: 'TextBlock', text: 'Jira connected', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'TextBlock',
      text: `Connected to ${escapeCardLine(input.siteUrl)} as ${escapeCardLine(input.displayName)}.`,
      wrap: true,
    },
  ]);
}
