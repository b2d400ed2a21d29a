import assert from 'node:assert/strict';
import type { MeetingEvent } from '../../src/meetings/backlog';
import { meetingHub } from '../../src/meetings/meeting-hub';

describe('meetingHub', () => {
  const panel = () => {
    const seen: MeetingEvent[] = [];
    let closed = false;
    return { seen, closed: () => closed, listener: { send: (e: MeetingEvent) => seen.push(e), close: () => (closed = true) } };
  };

  it('fans an event out to every open panel of that backlog only', () => {
    const hub = meetingHub();
    const [a, b, other] = [panel(), panel(), panel()];
    hub.subscribe('b1', a.listener);
    const leave = hub.subscribe('b1', b.listener);
    hub.subscribe('b2', other.listener);
    hub.publish('b1', { event: 'backlog-changed', data: {} });
    assert.equal(a.seen.length, 1);
    assert.equal(b.seen.length, 1);
    assert.equal(other.seen.length, 0);
    leave();
    hub.publish('b1', { event: 'backlog-changed', data: {} });
    assert.equal(b.seen.length, 1);
    assert.equal(hub.listenerCount('b1'), 1);
  });

  it('sends an outside change to backlogs that showed the issue on that site, whatever the URL\'s case or slash', () => {
    const hub = meetingHub();
    const [showed, didNot, otherSite] = [panel(), panel(), panel()];
    hub.subscribe('b1', showed.listener);
    hub.subscribe('b2', didNot.listener);
    hub.subscribe('b3', otherSite.listener);
    hub.noteShown('b1', 'https://Acme.atlassian.net/', ['PHX-1', 'PHX-2']);
    hub.noteShown('b2', 'https://acme.atlassian.net', ['PHX-3']);
    hub.noteShown('b3', 'https://other.atlassian.net', ['PHX-1']);
    hub.issueChanged('https://acme.atlassian.net', 'PHX-1');
    assert.deepEqual(showed.seen, [{ event: 'issue-changed', data: { key: 'PHX-1' } }]);
    assert.deepEqual(didNot.seen, []);
    assert.deepEqual(otherSite.seen, []);
    hub.issueChanged('https://acme.atlassian.net', 'PHX-9', { by: 'Bob', alsoTo: 'b2' });
    assert.deepEqual(didNot.seen, [{ event: 'issue-changed', data: { key: 'PHX-9', by: 'Bob' } }]);
  });

  it('closes every open panel on shutdown', () => {
    const hub = meetingHub();
    const a = panel();
    hub.subscribe('b1', a.listener);
    hub.close();
    assert.equal(a.closed(), true);
    assert.equal(hub.listenerCount(), 0);
  });
});
