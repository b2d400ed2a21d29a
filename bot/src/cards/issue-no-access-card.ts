import { adaptiveCard, escapeCardLine, type AdaptiveCard } from './adaptive-card';
import { httpUrl } from './http-url';

/**
 * An issue the user may not see. Jira answers 404 alike for a missing issue and a hidden one,
 * and the card must not leak which, nor anything about the issue beyond the key in the link.
 */
export function issueNoAccessCard(key: string, url?: string): AdaptiveCard {
  const link = httpUrl(url);
  const card = adaptiveCard(
    [
      { type: 'TextBlock', text: escapeCardLine(key), weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'TextBlock',
        text: "You can't see this issue with your Jira account. It may be in a project you don't have the **Browse projects** permission for, or it may not exist.",
        wrap: true,
        spacing: 'Small',
      },
    ],
    link ? [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: link }] : undefined,
  );
  card.fallbackText = `${key}: not available`;
  return card;
}
