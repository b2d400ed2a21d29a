import assert from 'node:assert/strict';
import sinon from 'sinon';
import { cachedIssueService } from '../../../src/teams/unfurl/cached-issue-service';
import type { IssueService } from '../../../src/teams/unfurl/issue-service';
import { issueView } from '../../support/issue-view';

const alice = { tenantId: 't', userId: 'alice' };
const bob = { tenantId: 't', userId: 'bob' };

function fakeService(): IssueService & { getIssue: sinon.SinonStub } {
  return {
    getIssue: sinon.stub().callsFake(async (_user, key: string) => ({ view: issueView({ key }), viewerAccountId: 'acc' })),
    search: sinon.stub().resolves({ issues: [], hasMore: false }),
    filter: sinon.stub().resolves({ name: 'f', jql: 'x' }),
    assignToSelf: sinon.stub().resolves(),
    transition: sinon.stub().resolves(),
    comment: sinon.stub().resolves(),
    watch: sinon.stub().rejects(new Error('timeout')),
  };
}

describe('cachedIssueService', () => {
  it('serves one user repeated reads of an issue from memory until the TTL passes', async () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    let now = start;
    const inner = fakeService();
    const cached = cachedIssueService(inner, { ttlMs: 1000, clock: { now: () => now } });
    await Promise.all([cached.getIssue(alice, 'A-1'), cached.getIssue(alice, 'a-1')]);
    now = start + 999;
    await cached.getIssue(alice, 'A-1');
    assert.equal(inner.getIssue.callCount, 1, 'concurrent and repeated reads share one call');
    now = start + 1001;
    await cached.getIssue(alice, 'A-1');
    assert.equal(inner.getIssue.callCount, 2, 'asked Jira again once the copy was older than the TTL');
  });

  it('asks Jira for every read when the TTL is 0 (no cache), as the cold unfurl bench does', async () => {
    const inner = fakeService();
    const cached = cachedIssueService(inner, { ttlMs: 0 });
    await cached.getIssue(alice, 'A-1');
    await cached.getIssue(alice, 'A-1');
    await Promise.all([cached.getIssue(alice, 'A-1'), cached.getIssue(alice, 'A-1')]);
    assert.equal(inner.getIssue.callCount, 4);
  });

  it('never shares a copy between users', async () => {
    const inner = fakeService();
    const cached = cachedIssueService(inner);
    await cached.getIssue(alice, 'A-1');
    await cached.getIssue(bob, 'A-1');
    assert.equal(inner.getIssue.callCount, 2);
  });

  it("drops every user's copy when anyone writes to the issue, even if the write failed", async () => {
    const inner = fakeService();
    const cached = cachedIssueService(inner);
    await cached.getIssue(alice, 'A-1');
    await cached.getIssue(bob, 'A-1');
    await cached.getIssue(bob, 'A-2');
    await cached.assignToSelf(alice, 'A-1');
    await cached.getIssue(bob, 'A-1');
    await cached.getIssue(bob, 'A-2');
    assert.equal(inner.getIssue.callCount, 4);
    await assert.rejects(cached.watch(bob, 'A-2', true), /timeout/);
    await cached.getIssue(bob, 'A-2');
    assert.equal(inner.getIssue.callCount, 5);
    cached.invalidate('a-2');
    await cached.getIssue(bob, 'A-2');
    assert.equal(inner.getIssue.callCount, 6);
  });

  it('does not remember failures, and keeps at most maxEntries', async () => {
    const inner = fakeService();
    inner.getIssue.onFirstCall().rejects(new Error('down'));
    const cached = cachedIssueService(inner, { maxEntries: 2 });
    await assert.rejects(cached.getIssue(alice, 'A-1'));
    await cached.getIssue(alice, 'A-1');
    assert.equal(inner.getIssue.callCount, 2);
    await cached.getIssue(alice, 'A-2');
    await cached.getIssue(alice, 'A-3');
    await cached.getIssue(alice, 'A-1');
    assert.equal(inner.getIssue.callCount, 5, 'the least recently used entry was evicted');
    await cached.getIssue(alice, 'A-3');
    await cached.getIssue(alice, 'A-2');
    await cached.getIssue(alice, 'A-3');
    assert.equal(inner.getIssue.callCount, 6, 'A-3, read after A-1, outlived it');
  });
});
