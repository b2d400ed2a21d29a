import type { JiraPermission } from './jira-error';

/**
 * Names the Jira project permission an operation needs, from its method and REST path, so a
 * 403 can tell the user which permission to ask for. Reads fall back to Browse Projects.
 */
export function permissionForRequest(method: string, path: string): JiraPermission {
  const verb = method.toUpperCase();
  const p = path.replace(/\?.*$/, '').replace(/\/+$/, '');
  const issue = /\/rest\/api\/[23]\/issue\/[^/]+/;

  if (verb === 'GET' || verb === 'HEAD') return 'Browse Projects';
  if (/\/rest\/api\/[23]\/issue(\/bulk)?$/.test(p) && verb === 'POST') return 'Create Issues';
  if (new RegExp(`${issue.source}/transitions$`).test(p)) return 'Transition Issues';
  if (new RegExp(`${issue.source}/comment(/[^/]+)?$`).test(p)) return verb === 'POST' ? 'Add Comments' : 'Edit Issues';
  if (new RegExp(`${issue.source}/assignee$`).test(p)) return 'Assign Issues';
  if (new RegExp(`${issue.source}$`).test(p) && verb === 'DELETE') return 'Delete Issues';
  if (new RegExp(`${issue.source}(/[a-z]+)?$`).test(p)) return 'Edit Issues';
  // Agile rank and sprint moves edit issues; searches sent as POST only read.
  if (/\/rest\/agile\/1\.0\/(issue\/rank|backlog\/issue|sprint\/[^/]+\/issue)$/.test(p)) return 'Edit Issues';
  return 'Browse Projects';
}
