import assert from 'node:assert/strict';
import sinon from 'sinon';
import { alertIntake, INBOX_TABLE } from '../../src/alerts/alert-intake';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { issueEvent } from './issue-event-builder';

describe('alert intake group commit', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(async () => {
    sinon.restore();
    await store.close();
  });

  it('writes events accepted together in one putAll and resolves each only once it is stored', async () => {
    const putAll = sinon.spy(store, 'putAll');
    const intake = alertIntake(store);
    const events = [issueEvent(), issueEvent(), issueEvent()];
    const outcomes = await Promise.all(events.map((event) => intake.accept(event)));
    assert.deepEqual(outcomes, [true, true, true]);
    assert.equal(putAll.callCount, 1);
    assert.equal(putAll.firstCall.args[0].length, 3);
    assert.equal((await store.list(INBOX_TABLE)).length, 3);
  });

  it('tells a duplicate in the same batch from its original, and stores the rest of the batch', async () => {
    const intake = alertIntake(store);
    const accepted: string[] = [];
    intake.onAccepted((received) => accepted.push(received.event.id));
    const original = issueEvent();
    const other = issueEvent();
    const outcomes = await Promise.all([intake.accept(original), intake.accept({ ...original }), intake.accept(other)]);
    assert.deepEqual(outcomes, [true, false, true]);
    assert.deepEqual(accepted, [original.id, other.id]);
    assert.equal((await store.list(INBOX_TABLE)).length, 2);
  });

  it('rejects every caller of a batch whose write failed, so none answers 202', async () => {
    sinon.stub(store, 'putAll').rejects(new Error('disk full'));
    const intake = alertIntake(store);
    const results = await Promise.allSettled([intake.accept(issueEvent()), intake.accept(issueEvent())]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal((await store.list(INBOX_TABLE)).length, 0);
  });
});
