import type { CardElement } from './adaptive-card';
import { clipText } from './clip-text';

/** The issue type's 16 px icon as a leading column, or nothing when Jira gave no icon. */
export function issueTypeIconColumns(type: { name: string; iconUrl?: string } | undefined): CardElement[] {
  if (!type?.iconUrl) return [];
  return [
    {
      type: 'Column',
      width: 'auto',
      verticalContentAlignment: 'Center',
      items: [{ type: 'Image', url: type.iconUrl, altText: clipText(type.name, 40), width: '16px', height: '16px' }],
    },
  ];
}
