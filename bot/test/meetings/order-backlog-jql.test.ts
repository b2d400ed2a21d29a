import assert from 'node:assert/strict';
import { orderBacklogJql } from '../../src/meetings/order-backlog-jql';
import { splitJqlOrderBy } from '../../src/meetings/split-jql-order-by';

describe('splitJqlOrderBy and orderBacklogJql', () => {
  it('finds ORDER BY in any case and spacing, at the end of the query', () => {
    assert.deepEqual(splitJqlOrderBy('project = PHX ORDER BY priority DESC'), { where: 'project = PHX', orderBy: 'ORDER BY priority DESC' });
    assert.deepEqual(splitJqlOrderBy('project = PHX order\n  by rank'), { where: 'project = PHX', orderBy: 'order\n  by rank' });
    assert.deepEqual(splitJqlOrderBy('(project = PHX)ORDER BY key'), { where: '(project = PHX)', orderBy: 'ORDER BY key' });
    assert.deepEqual(splitJqlOrderBy('ORDER BY created'), { where: '', orderBy: 'ORDER BY created' });
  });

  it('does not take ORDER BY inside a string literal or a longer word for the clause', () => {
    assert.deepEqual(splitJqlOrderBy('summary ~ "order by date" AND project = PHX'), { where: 'summary ~ "order by date" AND project = PHX' });
    assert.deepEqual(splitJqlOrderBy("summary ~ 'it\\'s order by' "), { where: "summary ~ 'it\\'s order by'" });
    assert.deepEqual(splitJqlOrderBy('reorder by = 1'), { where: 'reorder by = 1' });
    assert.deepEqual(splitJqlOrderBy('labels = orderbylabel'), { where: 'labels = orderbylabel' });
  });

  it('orders by rank only when the query sets no order', () => {
    assert.equal(orderBacklogJql('project = PHX'), 'project = PHX ORDER BY Rank ASC');
    assert.equal(orderBacklogJql('summary ~ "order by" '), 'summary ~ "order by" ORDER BY Rank ASC');
    assert.equal(orderBacklogJql('project = KAN ORDER BY key DESC'), 'project = KAN ORDER BY key DESC');
  });
});
