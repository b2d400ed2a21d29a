import { useState } from 'react';
import type { Priority } from '../api/types';

/**
 * Glyphs drawn with CSS and a character, not SVG icon components: a list of hundreds of rows
 * renders them in a fraction of the time. Not Jira's iconUrl either: those live on the Jira site,
 * often behind its sign-in, and would cost one request each.
 */
export function TypeIcon({ name }: { name: string }) {
  const type = name.toLowerCase();
  const [letter, tone] =
    type.includes('bug') || type.includes('incident')
      ? ['B', 'red']
      : type.includes('story')
        ? ['S', 'green']
        : type.includes('epic')
          ? ['E', 'purple']
          : type.includes('sub')
            ? ['s', 'teal']
            : type.includes('task')
              ? ['T', 'blue']
              : [name.charAt(0).toUpperCase() || '?', 'grey'];
  return (
    <span className={`type-icon tone-${tone}`} role="img" aria-label={name} title={name}>
      {letter}
    </span>
  );
}

export function PriorityIcon({ priority }: { priority: Priority | null }) {
  const name = priority?.name.toLowerCase() ?? '';
  const [glyph, tone] = !priority
    ? ['–', 'grey']
    : name.includes('highest') || name.includes('blocker') || name.includes('critical')
      ? ['⇈', 'red']
      : name.includes('high') || name.includes('major')
        ? ['↑', 'orange']
        : name.includes('lowest') || name.includes('trivial')
          ? ['⇊', 'blue']
          : name.includes('low') || name.includes('minor')
            ? ['↓', 'blue']
            : ['=', 'yellow'];
  return (
    <span className={`priority-icon tone-${tone}`} aria-hidden>
      {glyph}
    </span>
  );
}

/** Initials in a circle; the avatar image on top when Jira gives one it can load. */
export function UserBadge({ name, avatarUrl }: { name: string; avatarUrl?: string }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0].toUpperCase())
    .join('');
  return (
    <span className="user-badge" aria-hidden>
      {initials}
      {avatarUrl ? <AvatarImage key={avatarUrl} src={avatarUrl} /> : null}
    </span>
  );
}

/**
 * The avatar over the initials; hidden through state when it cannot load. Removing the element
 * from the DOM by hand would break React's next update of the badge (another assignee), which
 * then tries to remove a node that is no longer there and unmounts the whole tab.
 */
function AvatarImage({ src }: { src: string }) {
  const [failed, setFailed] = useState(false);
  return failed ? null : <img src={src} alt="" loading="lazy" onError={() => setFailed(true)} />;
}
