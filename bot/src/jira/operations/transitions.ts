import type { JiraClient } from '../create-jira-client';

export interface IssueTransition {
  id: string;
  name: string;
  to: { name: string; category: 'new' | 'indeterminate' | 'done' };
}

/** The transitions the client's user may make on the issue now. */
export async function listTransitions(jira: JiraClient, key: string): Promise<IssueTransition[]> {
  const result = await jira.v3.issues.getTransitions({ issueIdOrKey: key });
  return (result.transitions ?? [])
    .filter((t) => t.id)
    .map((t) => {
      const category = t.to?.statusCategory?.key;
      return {
        id: String(t.id),
        name: t.name ?? String(t.id),
        to: { name: t.to?.name ?? '', category: category === 'indeterminate' || category === 'done' ? category : 'new' },
      };
    });
}

export async function transitionIssue(jira: JiraClient, key: string, transitionId: string): Promise<void> {
  await jira.v3.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId } });
}
