import { adaptiveCard, escapeCardLine, type AdaptiveCard } from './adaptive-card';

/** A key that no longer names an issue (deleted, or moved and no longer redirected). */
export function issueNotFoundCard(key: string): AdaptiveCard {
  const card = adaptiveCard([
    { type: 'TextBlock', text: escapeCardLine(key), weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'TextBlock',
      text: "This issue doesn't exist in Jira. It may have been deleted, or the link may be mistyped.",
      wrap: true,
      spacing: 'Small',
    },
  ]);
  card.fallbackText = `${key}: not found`;
  return card;
}
