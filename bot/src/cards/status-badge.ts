import { escapeCardLine, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';

/** Jira's three status categories, plus statuses Jira sends without one. */
export type StatusCategory = 'new' | 'indeterminate' | 'done' | 'unknown';

export interface IssueStatus {
  name: string;
  category: StatusCategory;
}

// Jira draws To Do grey, In Progress blue and Done green. Text colours read well in Teams'
// light and dark themes alike; styled containers pad a one-word status into a slab.
const COLOR: Record<StatusCategory, string> = {
  new: 'Default',
  indeterminate: 'Accent',
  done: 'Good',
  unknown: 'Default',
};

/** The status in capitals, coloured by its category. */
export function statusBadge(status: IssueStatus, options: { maxLength?: number } = {}): CardElement {
  return {
    type: 'TextBlock',
    text: escapeCardLine(clipText(status.name.toUpperCase(), options.maxLength ?? 40)),
    size: 'Small',
    weight: 'Bolder',
    color: statusColor(status.category),
    wrap: false,
  };
}

/** The text colour of a status category. */
export function statusColor(category: StatusCategory): string {
  return COLOR[category] ?? COLOR.unknown;
}
