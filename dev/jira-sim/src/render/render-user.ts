import type { SimUser } from '../site/site-model';

function initials(user: SimUser): string {
  return user.displayName
    .split(' ')
    .map((part) => part[0])
    .join('')
    .toUpperCase();
}

export function avatarUrls(user: SimUser): Record<'16x16' | '24x24' | '32x32' | '48x48', string> {
  const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${initials(user)}-5.png`;
  return {
    '16x16': `${base}?size=16&s=16`,
    '24x24': `${base}?size=24&s=24`,
    '32x32': `${base}?size=32&s=32`,
    '48x48': `${base}?size=48&s=48`,
  };
}

/** A user as Jira renders it inside issues and lists (email shown, as for a site with public emails). */
export function renderUser(siteUrl: string, user: SimUser): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: 'atlassian',
    emailAddress: user.email,
    avatarUrls: avatarUrls(user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}
