import assert from 'node:assert/strict';
import type { BacklogIssue } from '../src/api/types';
import { emptyList, isRankOrdered, listReducer, type BacklogList } from '../src/backlog/backlog-state';

const issue = (key: string, rank: string | null, updated = '2026-11-28T10:00:00.000Z'): BacklogIssue => ({
  key,
  id: key,
  url: `https://x.example/browse/${key}`,
  summary: key,
  issueType: { name: 'Task' },
  status: { name: 'To Do', category: 'new' },
  priority: null,
  assignee: null,
  estimate: null,
  rank,
  updated,
});

const listOf = (...issues: BacklogIssue[]): BacklogList => listReducer(emptyList, { type: 'replace', issues });

describe('tab: backlog list state', () => {
  it('knows a list in rank order from one that is not', () => {
    assert.equal(isRankOrdered(listOf(issue('A-1', '0|a'), issue('A-2', '0|b'), issue('A-3', '0|c'))), true);
    assert.equal(isRankOrdered(listOf(issue('A-1', '0|b'), issue('A-2', '0|a'))), false);
    assert.equal(isRankOrdered(listOf(issue('A-1', '0|a'), issue('A-2', null))), false);
  });

  it('places a moved or new issue where its rank puts it, and flashes it', () => {
    const list = listOf(issue('A-1', '0|b'), issue('A-2', '0|d'), issue('A-3', '0|f'));
    const moved = listReducer(list, { type: 'place', issue: issue('A-3', '0|a', '2026-11-28T11:00:00.000Z'), flash: true });
    assert.deepEqual(moved.order, ['A-3', 'A-1', 'A-2']);
    assert.equal(moved.flashes.get('A-3'), 1);
    const created = listReducer(moved, { type: 'place', issue: issue('A-9', '0|c'), flash: false });
    assert.deepEqual(created.order, ['A-3', 'A-1', 'A-9', 'A-2']);
    assert.equal(created.flashes.has('A-9'), false);
  });

  it('ignores a copy older than the row (a refetch that raced an edit)', () => {
    const list = listOf(issue('A-1', '0|b', '2026-11-28T12:00:00.000Z'));
    const stale = { ...issue('A-1', '0|b', '2026-11-28T11:00:00.000Z'), summary: 'old' };
    assert.equal(listReducer(list, { type: 'upsert', issue: stale, flash: true }), list);
    assert.equal(listReducer(list, { type: 'place', issue: stale, flash: true }), list);
  });
});
