import type { JiraClient } from '../create-jira-client';

/** Whether the client's user holds the permission (a global one, or in the project when given). */
export async function hasPermission(jira: JiraClient, permission: string, projectKey?: string): Promise<boolean> {
  const answer = await jira.v3.permissions.getMyPermissions<{ permissions?: Record<string, { havePermission?: boolean }> }>({
    permissions: permission,
    ...(projectKey ? { projectKey } : {}),
  });
  return answer.permissions?.[permission]?.havePermission === true;
}
