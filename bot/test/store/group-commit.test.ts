import assert from 'node:assert/strict';
import { groupCommit } from '../../src/store/group-commit';
import { openSqliteStore } from '../../src/store/sqlite-store';

/** A write that answers when the test says so, recording what each write carried. */
function heldWrites() {
  const writes: Array<{ inputs: number[]; answer(): void; fail(error: Error): void }> = [];
  const write = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      writes.push({ inputs, answer: () => resolve(inputs.map((n) => `r${n}`)), fail: reject });
    });
  return { writes, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes the calls of one turn of the event loop together, each caller told its own result', async () => {
    const { writes, write } = heldWrites();
    const commit = groupCommit(write);
    const calls = [1, 2, 3].map((n) => commit(n));
    await turn();
    assert.deepEqual(
      writes.map((w) => w.inputs),
      [[1, 2, 3]],
    );
    writes[0].answer();
    assert.deepEqual(await Promise.all(calls), ['r1', 'r2', 'r3']);
  });

  it('with no in-flight limit, starts the next turn’s write without waiting for the last', async () => {
    const { writes, write } = heldWrites();
    const commit = groupCommit(write);
    const first = commit(1);
    await turn();
    const second = commit(2);
    await turn();
    assert.deepEqual(
      writes.map((w) => w.inputs),
      [[1], [2]],
    );
    writes.forEach((w) => w.answer());
    assert.deepEqual(await Promise.all([first, second]), ['r1', 'r2']);
  });

  it('under an in-flight limit, merges the calls made while writes run into one write when one ends, within maxSize', async () => {
    const { writes, write } = heldWrites();
    const commit = groupCommit(write, { inFlight: 1, maxSize: 5, size: (n) => n });
    const first = commit(1);
    await turn();
    const waiting = [2, 2, 2, 4].map((n) => commit(n));
    await turn();
    assert.deepEqual(
      writes.map((w) => w.inputs),
      [[1]],
      'nothing more while one runs',
    );
    writes[0].answer();
    await first;
    await turn();
    // 2 + 2 fit in 5, the third 2 does not: the rest waits for that write.
    assert.deepEqual(
      writes.map((w) => w.inputs),
      [[1], [2, 2]],
    );
    writes[1].answer();
    await turn();
    await turn();
    assert.deepEqual(writes[2].inputs, [2]);
    writes[2].answer();
    await turn();
    await turn();
    // A call bigger than maxSize alone still goes, whole.
    assert.deepEqual(writes[3].inputs, [4]);
    writes[3].answer();
    assert.deepEqual(await Promise.all(waiting), ['r2', 'r2', 'r2', 'r4']);
  });

  it('rejects every caller of a write that failed, and goes on with the next', async () => {
    const { writes, write } = heldWrites();
    const commit = groupCommit(write, { inFlight: 1 });
    const failed = [commit(1), commit(2)];
    await turn();
    const later = commit(3);
    writes[0].fail(new Error('store down'));
    for (const call of failed) await assert.rejects(call, /store down/);
    await turn();
    writes[1].answer();
    assert.equal(await later, 'r3');
  });

  it('is how SQLite writes the insertNew calls of one turn: one transaction, all or nothing', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const key = (row: string) => ({ table: 'inbox', partition: 'site', row });
      // A value JSON cannot hold fails the one commit both calls are in.
      const outcomes = await Promise.allSettled([store.insertNew([{ key: key('a'), value: 1 }]), store.insertNew([{ key: key('b'), value: 10n }])]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['rejected', 'rejected'],
      );
      assert.equal(await store.get(key('a')), undefined);
      assert.deepEqual((await store.insertNew([{ key: key('a'), value: 1 }]))[0]?.value, 1);
    } finally {
      await store.close();
    }
  });
});
