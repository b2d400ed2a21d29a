import assert from 'node:assert/strict';
import { expandSavedFilters } from '../../src/search/expand-saved-filters';

const FILTERS: Record<string, string> = {
  '10000': 'project = PHX ORDER BY Rank ASC',
  'Open bugs': 'issuetype = Bug AND resolution = Unresolved ORDER BY priority DESC',
  '10010': 'filter = 10000 AND assignee is EMPTY',
  '10011': 'filter = 10011',
};
const find = (ref: string) => FILTERS[ref];

describe('expandSavedFilters', () => {
  it("replaces filter = id or name by the filter's query without its order, where a clause starts", () => {
    assert.equal(expandSavedFilters('filter = 10000', find), '(project = PHX)');
    assert.equal(
      expandSavedFilters('filter = "Open bugs" AND statusCategory != Done ORDER BY Rank', find),
      '(issuetype = Bug AND resolution = Unresolved) AND statusCategory != Done ORDER BY Rank',
    );
    assert.equal(expandSavedFilters('savedFilter = 10010', find), '((project = PHX) AND assignee is EMPTY)', 'a filter naming a filter');
    assert.equal(expandSavedFilters('summary ~ "filter = 10000"', find), 'summary ~ "filter = 10000"', 'text inside a string is left alone');
    assert.equal(expandSavedFilters('project = PHX', find), 'project = PHX');
  });

  it("refuses an unknown filter with Jira's message, and a filter that names itself", () => {
    assert.throws(() => expandSavedFilters('filter = 99', find), /The value '99' does not exist for the field 'filter'/);
    assert.throws(() => expandSavedFilters('filter = 10011', find), /refers to itself/);
  });
});
