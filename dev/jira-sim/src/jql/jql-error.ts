/**
 * A rejected JQL query, shaped like Jira's ErrorCollection so the simulator can answer
 * `400 { errorMessages, errors }` with the object as it is.
 */
export class JqlError extends Error {
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;

  constructor(errorMessages: string[], errors: Record<string, string> = {}) {
    super(errorMessages.join(' '));
    this.name = 'JqlError';
    this.errorMessages = errorMessages;
    this.errors = errors;
  }

  /** A syntax error; Jira prefixes these and points at the offending token (1-based line and character). */
  static syntax(detail: string, text: string, offset: number): JqlError {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const character = offset - before.lastIndexOf('\n');
    return new JqlError([`Error in the JQL Query: ${detail} (line ${line}, character ${character})`]);
  }
}
