import { JqlError, parseJql, validateWebhookJql } from '../jql';

/**
 * Problems with a dynamic webhook's jqlFilter, as its registration result lists them: syntax errors
 * from the parser, then clauses outside the subset Jira accepts for webhooks.
 */
export function checkWebhookJql(jql: string): string[] {
  try {
    validateWebhookJql(parseJql(jql));
    return [];
  } catch (err) {
    if (err instanceof JqlError) return err.errorMessages;
    throw err;
  }
}
