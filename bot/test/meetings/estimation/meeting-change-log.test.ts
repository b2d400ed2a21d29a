import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meetingChangeLog, type MeetingChange } from '../../../src/meetings/recap/meeting-change-log';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';

const CHAT = '19:meeting_change-log@thread.v2';
const change = (key: string): Omit<MeetingChange, 'at'> => ({ kind: 'created', key, summary: key, url: `https://acme.atlassian.net/browse/${key}`, by: 'Alice Admin' });

describe('meeting change log', () => {
  let dataDir: string;
  let store: Store;
  let now: Date;
  const keys = (changes: MeetingChange[]) => changes.map((c) => c.key);

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'change-log-'));
    store = openSqliteStore(path.join(dataDir, 'store.db'));
    now = new Date('2026-12-07T09:00:00Z');
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('recaps per chat in order, starts after the last meeting-end recap, and forgets what is over a day old', async () => {
    const log = meetingChangeLog(store, () => now);
    await log.record(CHAT, change('PHX-1'));
    now = new Date('2026-12-07T09:01:00Z');
    await log.record(CHAT, change('PHX-2'));
    await log.record('19:meeting_other@thread.v2', change('KAN-9'));
    assert.deepEqual(keys(await log.recap(CHAT, { end: false })), ['PHX-1', 'PHX-2']);
    // Asking does not end anything; the meeting's end does.
    assert.deepEqual(keys(await log.recap(CHAT, { end: true })), ['PHX-1', 'PHX-2']);
    now = new Date('2026-12-07T10:00:00Z');
    await log.record(CHAT, change('PHX-3'));
    assert.deepEqual(keys(await log.recap(CHAT, { end: false })), ['PHX-3']);

    // Next week's meeting in the same chat, with no meeting-end in between: nothing of a day ago.
    now = new Date('2026-12-14T09:00:00Z');
    await log.record(CHAT, change('PHX-4'));
    assert.deepEqual(keys(await log.recap(CHAT, { end: false })), ['PHX-4']);
    assert.deepEqual(
      (await store.list<MeetingChange>('meetingChanges')).map((item) => item.value.key).sort(),
      ['KAN-9', 'PHX-4'],
      'the old rows of the chat are gone; the other chat is untouched',
    );
  });
});
