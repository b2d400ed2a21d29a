import type { ConnectionServices } from '../connections/create-connection-services';
import { isConnectionError } from '../connections/connection-error';
import { isJiraError } from '../jira/jira-error';
import { jiraErrorMessage } from '../jira/jira-error-message';
import { validateJql } from '../jira/operations/search';
import type { JqlValidator } from '../alerts/subscription-service';
import { actorOwner } from '../teams/alerts/actor-owner';

/** Asks Jira, as the person saving the subscription, whether the JQL is valid (`jql/parse?validation=strict`). */
export function jiraJqlValidator(connections: Pick<ConnectionServices, 'jiraFor'>): JqlValidator {
  return {
    async validate(actor, _site, jql) {
      let jira;
      try {
        ({ jira } = await connections.jiraFor(actorOwner(actor)));
      } catch (error) {
        if (isConnectionError(error)) return 'connect your Jira account first (type connect in your chat with me).';
        if (isJiraError(error)) return jiraErrorMessage(error);
        throw error;
      }
      try {
        const errors = await validateJql(jira, jql);
        return errors.length > 0 ? errors.join(' ') : undefined;
      } catch (error) {
        // Jira answers 400 with the parser's own text when the whole request is refused.
        if (isJiraError(error) && error.detail) return error.detail;
        throw error;
      }
    },
  };
}
