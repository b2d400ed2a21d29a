/**
 * Valid JQL that the simulator cannot evaluate (a Jira function over data the simulator does not
 * model, such as groups or issue links). Kept apart from JqlError on purpose: answering "invalid JQL"
 * for a query Jira accepts would make a client refuse a good filter. The site answers 501 with these
 * messages, which name the simulator.
 */
export class JqlUnsupportedError extends Error {
  readonly errorMessages: string[];

  constructor(errorMessages: string[]) {
    super(errorMessages.join(' '));
    this.name = 'JqlUnsupportedError';
    this.errorMessages = errorMessages;
  }
}
