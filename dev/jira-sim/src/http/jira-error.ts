/** A failure answered with Jira's ErrorCollection body `{ errorMessages, errors }`. */
export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages.join(' ') || Object.values(errors).join(' ') || `HTTP ${status}`);
    this.name = 'JiraError';
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }

  static badRequest(errors: Record<string, string>, errorMessages: string[] = []): JiraError {
    return new JiraError(400, errorMessages, errors);
  }
}

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
