import type { TurnContext } from 'botbuilder';
import { connectionOwner } from '../../connections/connection';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { listProjectStatuses, searchBrowsableProjects } from '../../jira/operations/projects';
import { sameSite } from '../../jira/site-url';
import { tenantIdOf } from '../conversation-scope';

export interface DialogChoices {
  projects: Array<{ key: string; name: string }>;
  /** Status names of the chosen projects' workflows, each once, for "transitioned to". */
  statuses: string[];
}

/** Projects whose statuses are asked for at once: each costs a Jira call. */
const MAX_STATUS_PROJECTS = 10;

/**
 * What the subscribe dialog offers to pick, from the person's own Jira on that site: the projects
 * they may browse and the statuses of the ones chosen. Undefined when they are not connected to
 * that site or Jira cannot answer now: the dialog then takes typed keys and names, as before.
 */
export function dialogChoices(deps: { connections: Pick<ConnectionServices, 'jiraFor'> }) {
  return async (context: TurnContext, siteUrl: string | undefined, chosen: readonly string[]): Promise<DialogChoices | undefined> => {
    try {
      const { connection, jira } = await deps.connections.jiraFor(connectionOwner(tenantIdOf(context.activity), context.activity.from));
      if (siteUrl && !sameSite(connection.siteUrl, siteUrl)) return undefined;
      const projects = await searchBrowsableProjects(jira);
      const keys = chosen.map((k) => k.toUpperCase()).filter((k) => projects.some((p) => p.key === k));
      const statuses = new Set<string>();
      for (const key of keys.slice(0, MAX_STATUS_PROJECTS)) for (const status of await listProjectStatuses(jira, key)) statuses.add(status.name);
      return { projects, statuses: [...statuses] };
    } catch {
      return undefined;
    }
  };
}
