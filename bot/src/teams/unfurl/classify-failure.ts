import { describeFailure, needsSignIn } from '../../connections/describe-failure';

/** What an unfurl or card handler shows when a Jira call fails. */
export type Failure =
  /** No usable connection: offer sign-in. */
  | { kind: 'signIn' }
  /** Jira's 404: the issue does not exist or the user may not see it (Jira does not say which). */
  | { kind: 'unavailable' }
  /** Anything else Jira said no to, in one sentence for the user. */
  | { kind: 'message'; text: string };

/** The card's three answers over the one failure mapper; anything else (a bug) is undefined and should be rethrown. */
export function classifyFailure(error: unknown): Failure | undefined {
  const failure = describeFailure(error, 'chat');
  if (!failure) return undefined;
  if (needsSignIn(failure)) return { kind: 'signIn' };
  if (failure.kind === 'notFound') return { kind: 'unavailable' };
  return { kind: 'message', text: failure.message };
}
