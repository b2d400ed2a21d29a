import assert from 'node:assert/strict';
import { matchSimpleJql } from '../../src/alerts/match-simple-jql';
import { parseSimpleJql } from '../../src/alerts/parse-simple-jql';
import { issueEvent } from './issue-event-builder';

describe('parseSimpleJql and matchSimpleJql', () => {
  it('parses equality and IN joined by AND', () => {
    assert.deepEqual(parseSimpleJql('project = PHX AND status in ("In Progress", Done) and labels != flaky AND assignee is not'), undefined);
    assert.deepEqual(parseSimpleJql('project = PHX AND status in ("In Progress", Done) and labels != flaky'), [
      { field: 'project', negated: false, values: ['phx'] },
      { field: 'status', negated: false, values: ['in progress', 'done'] },
      { field: 'labels', negated: true, values: ['flaky'] },
    ]);
    assert.deepEqual(parseSimpleJql("type not in (Bug, 'Sub-task') AND priority = EMPTY"), [
      { field: 'issuetype', negated: true, values: ['bug', 'sub-task'] },
      { field: 'priority', negated: false, values: [null] },
    ]);
  });

  it('leaves everything else to Jira', () => {
    for (const jql of [
      'project = PHX OR project = KAN',
      'assignee = currentUser()',
      'project = PHX ORDER BY created',
      'priority > Low',
      'summary ~ "crash"',
      'project = 10000',
      'project = Phoenix',
      'project = "Phoenix Platform"',
      'assignee = "Alice Smith"',
      'assignee = alice@example.com',
      'project in (PHX',
      'status = "In Progress" AND',
      '',
    ]) {
      assert.equal(parseSimpleJql(jql), undefined, jql);
    }
  });

  it('matches an issue snapshot as Jira would', () => {
    const issue = { ...issueEvent({ key: 'PHX-1' }).issue, labels: ['backend', 'urgent'], issueType: 'Bug', assignee: { accountId: 'ACC-1', displayName: 'Ada' } };
    const match = (jql: string) => matchSimpleJql(parseSimpleJql(jql)!, issue);
    assert.equal(match('project = PHX AND status = "in progress"'), true);
    assert.equal(match('project = PHX AND status = Done'), false);
    assert.equal(match('labels in (urgent, later) AND type = bug'), true);
    assert.equal(match('labels != urgent'), false);
    assert.equal(match('assignee = acc-1 AND priority in (High, Highest)'), true);
    assert.equal(match('assignee = EMPTY'), false);
    assert.equal(matchSimpleJql(parseSimpleJql('labels != urgent')!, { ...issue, labels: [] }), false, 'negation never matches EMPTY');
  });
});
