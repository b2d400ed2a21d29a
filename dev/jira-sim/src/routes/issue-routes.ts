import { JiraError } from '../http/jira-error';
import { queryBool, queryList, queryString } from '../http/jira-route';
import { createIssue } from '../issues/create-issue';
import { deleteIssue } from '../issues/delete-issue';
import { assignIssue, editIssue } from '../issues/edit-issue';
import { transitionIssue } from '../issues/transition-issue';
import { visibleIssue } from '../issues/visible-issue';
import { renderFieldMeta } from '../render/render-field-meta';
import { renderIssue } from '../render/render-issue';
import { availableTransitions, renderTransition } from '../render/render-transitions';
import type { RouteDeps } from './route-deps';

const ISSUE = '/rest/api/3/issue/:issueIdOrKey';

export function mountIssueRoutes({ router, state, emit }: RouteDeps): void {
  router.get(ISSUE, 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const body = renderIssue(state, issue, {
      fields: queryList(query.fields),
      defaultFields: '*all',
      expand: new Set(queryList(query.expand) ?? []),
      viewerAccountId: auth.accountId,
    });
    return { status: 200, body, objects: 1 };
  });

  router.get(`${ISSUE}/editmeta`, 'read:jira-work', ({ auth, params }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const project = state.projectOf(issue);
    // Jira lists no fields to a caller who may not edit the issue.
    const screen = state.can(auth.accountId, project, 'EDIT_ISSUES') ? (project.screens[issue.issueTypeId] ?? []).filter((f) => f.fieldId !== 'project') : [];
    const fields = Object.fromEntries(screen.map((f) => [f.fieldId, renderFieldMeta(state, project, f, 'edit')]));
    return { status: 200, body: { fields }, objects: 1 };
  });

  router.post('/rest/api/3/issue', 'write:jira-work', ({ auth, body }) => {
    if (!body || typeof body !== 'object') throw JiraError.badRequest({}, ['Request body is missing or is not a JSON object.']);
    const change = createIssue(state, auth.accountId, body);
    emit(change);
    const issue = change.issue;
    return { status: 201, body: { id: issue.id, key: issue.key, self: `${state.site.url}/rest/api/3/issue/${issue.id}` } };
  });

  router.put(ISSUE, 'write:jira-work', ({ auth, params, query, body }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    if (!body || typeof body !== 'object') throw JiraError.badRequest({}, ['Request body is missing or is not a JSON object.']);
    const change = editIssue(state, auth.accountId, issue, body);
    if (change) emit(change);
    if (queryBool(query.returnIssue, false)) {
      const view = { defaultFields: '*all' as const, expand: new Set(queryList(query.expand) ?? []), viewerAccountId: auth.accountId };
      return { status: 200, body: renderIssue(state, issue, view) };
    }
    return { status: 204 };
  });

  router.del(ISSUE, 'write:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const changes = deleteIssue(state, auth.accountId, issue, queryBool(query.deleteSubtasks, false));
    changes.forEach(emit);
    return { status: 204 };
  });

  router.put(`${ISSUE}/assignee`, 'write:jira-work', ({ auth, params, body }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const accountId = (body as { accountId?: unknown } | undefined)?.accountId;
    if (accountId !== null && typeof accountId !== 'string') {
      throw JiraError.badRequest({ accountId: 'Specify an accountId, or null to unassign.' });
    }
    const change = assignIssue(state, auth.accountId, issue, accountId);
    if (change) emit(change);
    return { status: 204 };
  });

  router.get(`${ISSUE}/transitions`, 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const mayTransition = state.can(auth.accountId, state.projectOf(issue), 'TRANSITION_ISSUES');
    const wanted = queryString(query.transitionId);
    const transitions = mayTransition
      ? availableTransitions(state, issue)
          .filter((t) => !wanted || t.id === wanted)
          .map((t) => renderTransition(state, t))
      : [];
    return {
      status: 200,
      body: { expand: 'transitions', transitions },
      objects: transitions.length,
    };
  });

  router.post(`${ISSUE}/transitions`, 'write:jira-work', ({ auth, params, body }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const change = transitionIssue(state, auth.accountId, issue, body ?? {});
    emit(change);
    return { status: 204 };
  });
}
