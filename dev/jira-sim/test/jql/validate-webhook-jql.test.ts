import assert from 'node:assert/strict';
import { JqlError, parseJql, validateWebhookJql } from '../../src/jql';

function problemsOf(jql: string): string[] {
  try {
    validateWebhookJql(parseJql(jql));
  } catch (error) {
    assert.ok(error instanceof JqlError);
    return error.errorMessages;
  }
  return [];
}

describe('validateWebhookJql', () => {
  const accepted = [
    'project = PROJ',
    'project IN (PROJ, EXP) AND status = done',
    'issueKey = PROJ-1 OR issuetype != Bug',
    'assignee not in (currentUser()) AND NOT reporter = "Bob Brown"',
    'project = PROJ ORDER BY rank',
  ];
  for (const jql of accepted) {
    it(`accepts ${jql}`, () => assert.deepEqual(problemsOf(jql), []));
  }

  const rejected: Array<[string, string[]]> = [
    ['watcher = currentUser()', ['The clause watcher is unsupported']],
    ['project = A AND (labels = x OR summary ~ y)', ['The clause labels is unsupported', 'The clause summary is unsupported']],
    ['assignee is EMPTY', ['The operator IS is unsupported']],
    ['key > A-1', ['The operator > is unsupported']],
  ];
  for (const [jql, messages] of rejected) {
    it(`rejects ${jql}`, () => assert.deepEqual(problemsOf(jql), messages));
  }
});
