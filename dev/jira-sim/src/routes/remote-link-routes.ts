import { JiraError } from '../http/jira-error';
import { queryString } from '../http/jira-route';
import { recordChange } from '../issues/record-change';
import { visibleIssue } from '../issues/visible-issue';
import type { Issue, RemoteLink } from '../site/site-model';
import type { RouteDeps } from './route-deps';

const LINKS = '/rest/api/3/issue/:issueIdOrKey/remotelink';

function renderLink(siteUrl: string, issue: Issue, link: RemoteLink): Record<string, unknown> {
  return {
    id: link.id,
    self: `${siteUrl}/rest/api/3/issue/${issue.key}/remotelink/${link.id}`,
    ...(link.globalId ? { globalId: link.globalId } : {}),
    ...(link.application ? { application: link.application } : {}),
    ...(link.relationship ? { relationship: link.relationship } : {}),
    object: link.object,
  };
}

/** A remote link with the same globalId is updated in place (200), a new one is created (201). */
export function mountRemoteLinkRoutes({ router, state, emit }: RouteDeps): void {
  router.get(LINKS, 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const globalId = queryString(query.globalId);
    const links = issue.remoteLinks.filter((l) => !globalId || l.globalId === globalId);
    return { status: 200, body: links.map((l) => renderLink(state.site.url, issue, l)), objects: links.length };
  });

  router.post(LINKS, 'write:jira-work', ({ auth, params, body }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    if (!state.can(auth.accountId, state.projectOf(issue), 'LINK_ISSUES')) {
      throw new JiraError(403, ['You do not have permission to link issues.']);
    }
    const input = (body ?? {}) as Partial<RemoteLink>;
    const object = input.object;
    const errors: Record<string, string> = {};
    if (!object || typeof object !== 'object' || typeof object.url !== 'string' || !object.url) errors.url = 'Url is required';
    if (!object || typeof object !== 'object' || typeof object.title !== 'string' || !object.title) errors.title = 'Title is required';
    if (Object.keys(errors).length) throw JiraError.badRequest(errors);
    const existing = input.globalId ? issue.remoteLinks.find((l) => l.globalId === input.globalId) : undefined;
    const link: RemoteLink = {
      id: existing?.id ?? ++state.site.counters.remoteLink,
      ...(input.globalId ? { globalId: String(input.globalId) } : {}),
      ...(input.application ? { application: input.application } : {}),
      ...(input.relationship ? { relationship: String(input.relationship) } : {}),
      object: object!,
    };
    issue.remoteLinks = existing ? issue.remoteLinks.map((l) => (l === existing ? link : l)) : [...issue.remoteLinks, link];
    // Jira's history shows a new remote link as a RemoteIssueLink change.
    const changelog = recordChange(state, issue, auth.accountId, [
      {
        field: 'RemoteIssueLink',
        fieldtype: 'jira',
        fieldId: 'RemoteIssueLink',
        from: existing ? String(existing.id) : null,
        fromString: existing ? `This issue links to "${existing.object.title}"` : null,
        to: String(link.id),
        toString: `This issue links to "${link.object.title}"`,
      },
    ]);
    emit({ event: 'jira:issue_updated', eventTypeName: 'issue_generic', issue, actorAccountId: auth.accountId, changelog });
    return {
      status: existing ? 200 : 201,
      body: { id: link.id, self: `${state.site.url}/rest/api/3/issue/${issue.key}/remotelink/${link.id}` },
    };
  });
}
