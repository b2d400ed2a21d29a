import type { SimUser } from '../site/site-model';

/** Where the simulator serves a user's avatar (`size` in pixels): on the site itself (routes/browse-pages.ts), so nothing leaves the machine. */
export function localAvatarUrl(siteUrl: string, user: Pick<SimUser, 'accountId'>, size: number): string {
  return `${siteUrl}/sim-avatars/user/${encodeURIComponent(user.accountId)}.png?size=${size}`;
}
