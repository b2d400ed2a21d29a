import { describeFailure } from '../../connections/describe-failure';

/**
 * The message to show in a dialog for a failure the user can act on (not connected, expired
 * connection, missing permission, input Jira rejected), or undefined for a bug, which should
 * propagate to the turn's error handler.
 */
export function userFacingError(error: unknown): string | undefined {
  return describeFailure(error, 'dialog')?.message;
}
