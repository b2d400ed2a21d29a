import { escapeCardLine, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';

/** Jira's three status categories, plus statuses Jira sends without one. */
export type StatusCategory = 'new' | 'indeterminate' | 'done' | 'unknown';

export interface IssueStatus {
  name: string;
  category: StatusCategory;
}

// Jira draws To Do grey, In Progress blue and Done green; the Teams host config's container
// styles emphasis, accent and good are the nearest, in light and dark themes alike.
const STYLE: Record<StatusCategory, { container: string; color: string }> = {
  new: { container: 'emphasis', color: 'Default' },
  indeterminate: { container: 'accent', color: 'Accent' },
  done: { container: 'good', color: 'Good' },
  unknown: { container: 'emphasis', color: 'Default' },
};

/** The status as a coloured label, sized to its text. */
export function statusBadge(status: IssueStatus, options: { size?: 'Small' | 'Default' } = {}): CardElement {
  const style = STYLE[status.category] ?? STYLE.unknown;
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        style: style.container,
        items: [
          {
            type: 'TextBlock',
            text: escapeCardLine(clipText(status.name.toUpperCase(), 40)),
            size: options.size ?? 'Small',
            weight: 'Bolder',
            wrap: false,
          },
        ],
      },
    ],
  };
}

/** The text colour matching a status category, for places too small for a badge. */
export function statusColor(category: StatusCategory): string {
  return (STYLE[category] ?? STYLE.unknown).color;
}
