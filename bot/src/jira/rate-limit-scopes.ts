/**
 * The hold keys one Jira request is subject to, one per independent Jira limit (Atlassian "Rate
 * limiting"): the app's points quota (the whole site, for the connection's kind of traffic), the
 * per-second burst limit (one endpoint and method), and for writes the per-issue write limit. A 429
 * holds only the key of the limit that refused it, so it never stalls calls that limit does not cover.
 */
export interface RateLimitScopes {
  quota: string;
  burst: string;
  /** Writes to one issue (any method but GET/HEAD under /issue/{idOrKey}). */
  issueWrite?: string;
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]*$/;

export function rateLimitScopes(method: string, path: string): RateLimitScopes {
  const verb = method.toUpperCase();
  const segments = path.split('?')[0].split('/');
  let issueRef: string | undefined;
  // Jira meters bursts per endpoint (its route template), so ids and keys become placeholders.
  const template = segments.map((segment, index) => {
    // '', 'rest', 'api' or 'agile', and the version ('3', '1.0') name the API, not an object.
    if (index < 4) return segment;
    const previous = segments[index - 1];
    if (previous === 'issue' && (ISSUE_KEY.test(segment) || /^\d+$/.test(segment))) {
      issueRef ??= segment.toUpperCase();
      return '{issueIdOrKey}';
    }
    if (/^\d+$/.test(segment) || ISSUE_KEY.test(segment)) return '{id}';
    if (previous === 'project' && PROJECT_KEY.test(segment)) return '{projectIdOrKey}';
    return segment;
  });
  const scopes: RateLimitScopes = { quota: 'quota', burst: `burst ${verb} ${template.join('/')}` };
  if (issueRef && verb !== 'GET' && verb !== 'HEAD') scopes.issueWrite = `issue-write ${issueRef}`;
  return scopes;
}
