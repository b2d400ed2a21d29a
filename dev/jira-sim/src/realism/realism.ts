/**
 * Switches for behaviours of real Jira Cloud that a client must survive but that make tests harder
 * to write. Every switch is off by default (the simulator's historical, friendlier behaviour), so
 * existing tests keep working; REALISTIC turns them all on. README.md names the Atlassian page
 * each switch follows.
 */
export interface BurstLimit {
  enabled: boolean;
  /** Requests per second per endpoint (route) and method; Atlassian does not publish the number. */
  perSecond: number;
}

export interface IssueWriteLimit {
  enabled: boolean;
  /** Writes to one issue per window; Atlassian does not publish the number. */
  writes: number;
  windowSeconds: number;
}

export interface Realism {
  /** Webhook bodies in the REST v2 shape: wiki-markup text, /rest/api/2/ self links. */
  webhookRestV2: boolean;
  /** comment_created/comment_updated carry no `user` and only a few issue fields. */
  thinCommentEvents: boolean;
  /** issue_assigned webhooks arrive with an empty changelog (no assignee item). */
  emptyAssigneeChangelog: boolean;
  /** Changelog items of some fields name them by display name (Rank, Sprint, Attachment) in `fieldId`. */
  displayNameFieldIds: boolean;
  burstLimit: BurstLimit;
  issueWriteLimit: IssueWriteLimit;
  /** /search/jql matches against the site as it was this long ago, unless `reconcileIssues` names the issue. */
  searchLagMs: number;
  /** Per-user profile visibility: hidden emails, alternative display names. */
  privacy: boolean;
  /** Dynamic webhooks of a non-public OAuth app are delivered only when the app owner registered them. */
  privateAppOwnerOnly: boolean;
  /** clientId -> the owner's account id; an app not listed is owned by the first site admin. */
  appOwners: Record<string, string>;
}

export const DEFAULT_REALISM: Realism = {
  webhookRestV2: false,
  thinCommentEvents: false,
  emptyAssigneeChangelog: false,
  displayNameFieldIds: false,
  burstLimit: { enabled: false, perSecond: 100 },
  issueWriteLimit: { enabled: false, writes: 20, windowSeconds: 2 },
  searchLagMs: 0,
  privacy: false,
  privateAppOwnerOnly: false,
  appOwners: {},
};

export const REALISTIC: Realism = {
  webhookRestV2: true,
  thinCommentEvents: true,
  emptyAssigneeChangelog: true,
  displayNameFieldIds: true,
  burstLimit: { enabled: true, perSecond: 100 },
  issueWriteLimit: { enabled: true, writes: 20, windowSeconds: 2 },
  searchLagMs: 2000,
  privacy: true,
  privateAppOwnerOnly: true,
  appOwners: {},
};

export type RealismInput = Partial<Omit<Realism, 'burstLimit' | 'issueWriteLimit'>> & {
  burstLimit?: Partial<BurstLimit>;
  issueWriteLimit?: Partial<IssueWriteLimit>;
};

const BOOLEAN_KEYS = ['webhookRestV2', 'thinCommentEvents', 'emptyAssigneeChangelog', 'displayNameFieldIds', 'privacy', 'privateAppOwnerOnly'] as const;

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number.`);
  return value;
}

/**
 * Applies a partial change onto settings, checking every value (the /_sim control passes user input
 * straight in). Unknown keys are refused so a typo does not silently leave a switch off.
 */
export function mergeRealism(base: Realism, input: RealismInput): Realism {
  const next: Realism = { ...base, burstLimit: { ...base.burstLimit }, issueWriteLimit: { ...base.issueWriteLimit }, appOwners: { ...base.appOwners } };
  for (const [key, value] of Object.entries(input ?? {})) {
    if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new Error(`${key} must be true or false.`);
      (next as unknown as Record<string, boolean>)[key] = value;
    } else if (key === 'searchLagMs') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error('searchLagMs must be a number >= 0.');
      next.searchLagMs = value;
    } else if (key === 'burstLimit') {
      const b = (value ?? {}) as Partial<BurstLimit>;
      if (b.enabled !== undefined) next.burstLimit.enabled = Boolean(b.enabled);
      if (b.perSecond !== undefined) next.burstLimit.perSecond = positive(b.perSecond, 'burstLimit.perSecond');
    } else if (key === 'issueWriteLimit') {
      const w = (value ?? {}) as Partial<IssueWriteLimit>;
      if (w.enabled !== undefined) next.issueWriteLimit.enabled = Boolean(w.enabled);
      if (w.writes !== undefined) next.issueWriteLimit.writes = positive(w.writes, 'issueWriteLimit.writes');
      if (w.windowSeconds !== undefined) next.issueWriteLimit.windowSeconds = positive(w.windowSeconds, 'issueWriteLimit.windowSeconds');
    } else if (key === 'appOwners') {
      if (!value || typeof value !== 'object') throw new Error('appOwners maps OAuth client ids to account ids.');
      next.appOwners = { ...(value as Record<string, string>) };
    } else {
      throw new Error(`Unknown realism switch '${key}'.`);
    }
  }
  return next;
}
