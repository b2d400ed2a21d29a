import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import { StatusCodes } from 'botbuilder';

/** What jsonwebtoken throws for a token that is not good: bad signature or shape, not yet valid, expired. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder answers 401 only for its own AuthenticationError; a token with a bad signature or one not
 * valid yet surfaces as jsonwebtoken's error and became a 500, which tells a forger nothing wrong was
 * found and pages whoever watches server errors. Such failures are the caller's, so they are 401 too;
 * any other failure (the signing keys could not be fetched) stays a server error.
 */
export function refuseUnverifiableTokens(adapter: TeamsAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (...args) => {
    try {
      return await authenticate(...args);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
        throw new AuthenticationError(`Unauthorized. ${error.message}`, StatusCodes.UNAUTHORIZED);
      }
      throw error;
    }
  };
}
