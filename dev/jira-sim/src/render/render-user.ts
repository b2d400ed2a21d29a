import { localAvatarUrl } from './local-avatar-url';
import type { SimUser } from '../site/site-model';
import type { SiteState } from '../site/site-state';

/** Served by the simulator itself (routes/browse-pages.ts): real Jira's come from Atlassian's CDN, which a local run must not need. */
export function avatarUrls(siteUrl: string, user: SimUser): Record<'16x16' | '24x24' | '32x32' | '48x48', string> {
  return {
    '16x16': localAvatarUrl(siteUrl, user, 16),
    '24x24': localAvatarUrl(siteUrl, user, 24),
    '32x32': localAvatarUrl(siteUrl, user, 32),
    '48x48': localAvatarUrl(siteUrl, user, 48),
  };
}

/** A user as Jira renders it inside issues and lists (email shown, as for a site with public emails). */
export function renderUser(siteUrl: string, user: SimUser): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: 'atlassian',
    emailAddress: user.email,
    avatarUrls: avatarUrls(siteUrl, user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

/**
 * A user as the caller may see them. With realism.privacy, per-user profile visibility applies
 * (Atlassian's user privacy guide): a hidden email is left out (the spec: "may be returned as null";
 * the property is absent here so bodies stay valid against the spec's non-nullable string), a
 * hidden full name shows as the public name, and a withheld name is null (the worst case a client
 * must survive; the conformance check's errata allow it). People always see their own details.
 */
export function renderUserFor(state: SiteState, user: SimUser, viewerAccountId?: string | null): Record<string, unknown> {
  const rendered = renderUser(state.site.url, user);
  if (!state.realism.privacy || viewerAccountId === user.accountId) return rendered;
  if (!user.emailVisible) delete rendered.emailAddress;
  if (user.publicName) rendered.displayName = user.publicName;
  if (user.nameWithheld) rendered.displayName = null;
  return rendered;
}
