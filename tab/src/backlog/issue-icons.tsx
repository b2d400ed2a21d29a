import {
  BookmarkFilled,
  BugFilled,
  CheckboxCheckedFilled,
  ChevronDoubleDownRegular,
  ChevronDoubleUpRegular,
  ChevronDownRegular,
  ChevronUpRegular,
  CircleFilled,
  FlashFilled,
  SubtractRegular,
  TaskListSquareLtrFilled,
} from '@fluentui/react-icons';
import type { Priority } from '../api/types';

/**
 * Icons drawn here rather than Jira's iconUrl: those live on the Jira site, often behind its
 * sign-in, and would cost one request each in a list of hundreds.
 */
export function TypeIcon({ name }: { name: string }) {
  const type = name.toLowerCase();
  const [Icon, tone] =
    type.includes('bug') || type.includes('incident') ? [BugFilled, 'red']
    : type.includes('story') ? [BookmarkFilled, 'green']
    : type.includes('epic') ? [FlashFilled, 'purple']
    : type.includes('sub') ? [TaskListSquareLtrFilled, 'teal']
    : type.includes('task') ? [CheckboxCheckedFilled, 'blue']
    : [CircleFilled, 'grey'];
  return <Icon className={`type-icon tone-${tone}`} aria-label={name} role="img" />;
}

export function PriorityIcon({ priority }: { priority: Priority | null }) {
  if (!priority) return <SubtractRegular className="priority-icon tone-grey" aria-hidden />;
  const name = priority.name.toLowerCase();
  const [Icon, tone] =
    name.includes('highest') || name.includes('blocker') || name.includes('critical') ? [ChevronDoubleUpRegular, 'red']
    : name.includes('high') || name.includes('major') ? [ChevronUpRegular, 'orange']
    : name.includes('lowest') || name.includes('trivial') ? [ChevronDoubleDownRegular, 'blue']
    : name.includes('low') || name.includes('minor') ? [ChevronDownRegular, 'blue']
    : [SubtractRegular, 'yellow'];
  return <Icon className={`priority-icon tone-${tone}`} aria-hidden />;
}

/** Initials in a circle; the avatar image on top when Jira gives one it can load. */
export function UserBadge({ name, avatarUrl }: { name: string; avatarUrl?: string }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
  return (
    <span className="user-badge" aria-hidden>
      {initials}
      {avatarUrl ? <img src={avatarUrl} alt="" loading="lazy" onError={(e) => e.currentTarget.remove()} /> : null}
    </span>
  );
}
