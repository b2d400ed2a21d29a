import assert from 'node:assert/strict';
import type { MeetingEvent } from '../../src/meetings/backlog';
import { meetingHub } from '../../src/meetings/meeting-hub';
import type { TabUser } from '../../src/meetings/verify-tab-token';

const user = (userId: string, name = userId): TabUser => ({ owner: { tenantId: 't', userId }, name });
const ANN = user('ann');
const BEN = user('ben');
const SITE = 'https://acme.atlassian.net';

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

  it("sends an outside change to backlogs that showed the issue on that site, whatever the URL's case or slash", () => {
    const hub = meetingHub();
    const [showed, didNot, otherSite] = [panel(), panel(), panel()];
    hub.subscribe('b1', showed.listener, { siteUrl: SITE, user: ANN });
    hub.subscribe('b2', didNot.listener, { siteUrl: SITE, user: ANN });
    hub.subscribe('b3', otherSite.listener, { siteUrl: 'https://other.atlassian.net', user: ANN });
    hub.noteShown('b1', 'https://Acme.atlassian.net/', ['PHX-1', 'PHX-2'], ANN);
    hub.noteShown('b2', 'https://acme.atlassian.net', ['PHX-3'], ANN);
    hub.noteShown('b3', 'https://other.atlassian.net', ['PHX-1'], ANN);
    hub.issueChanged('https://acme.atlassian.net', 'PHX-1');
    assert.deepEqual(showed.seen, [{ event: 'issue-changed', data: { key: 'PHX-1' } }]);
    assert.deepEqual(didNot.seen, []);
    assert.deepEqual(otherSite.seen, []);
    // The editor's own edit: the service notes the issue as shown to them first.
    hub.noteShown('b2', SITE, ['PHX-9'], ANN);
    hub.issueChanged('https://acme.atlassian.net', 'PHX-9', { by: 'Bob', alsoTo: 'b2' });
    assert.deepEqual(didNot.seen, [{ event: 'issue-changed', data: { key: 'PHX-9', by: 'Bob' } }]);
  });

  it('tells each panel only of issues its own user was shown, and names the editor only to them', () => {
    const hub = meetingHub();
    const [ann, ben, anonymous] = [panel(), panel(), panel()];
    hub.subscribe('b1', ann.listener, { siteUrl: SITE, user: ANN });
    hub.subscribe('b1', ben.listener, { siteUrl: SITE, user: BEN });
    hub.subscribe('b1', anonymous.listener);
    hub.noteShown('b1', SITE, ['PHX-1', 'SEC-1'], ANN);
    hub.noteShown('b1', SITE, ['PHX-1'], BEN);

    hub.issueChanged(SITE, 'SEC-1', { by: 'Ann', alsoTo: 'b1' });
    hub.publish('b1', { event: 'issue-created', data: { key: 'SEC-2', by: 'Ann' } });
    hub.publish('b1', { event: 'ranked', data: { keys: ['SEC-1', 'PHX-1'], by: 'Ann' } });
    hub.publish('b1', { event: 'ranked', data: { keys: ['SEC-1'], by: 'Ann' } });
    hub.publish('b1', { event: 'backlog-changed', data: {} });

    assert.deepEqual(ann.seen, [
      { event: 'issue-changed', data: { key: 'SEC-1', by: 'Ann' } },
      { event: 'ranked', data: { keys: ['SEC-1', 'PHX-1'], by: 'Ann' } },
      { event: 'ranked', data: { keys: ['SEC-1'], by: 'Ann' } },
      { event: 'backlog-changed', data: {} },
    ]);
    assert.deepEqual(ben.seen, [
      { event: 'ranked', data: { keys: ['PHX-1'], by: 'Ann' } },
      { event: 'backlog-changed', data: {} },
    ]);
    assert.deepEqual(anonymous.seen, [{ event: 'backlog-changed', data: {} }]);
    assert.equal(hub.hasShown('b1', 'SEC-1', BEN), false);

    hub.noteShown('b1', SITE, ['SEC-2'], BEN);
    hub.noteShown('b1', SITE, ['SEC-2'], ANN);
    hub.publish('b1', { event: 'issue-created', data: { key: 'SEC-2' } }, { to: [BEN] });
    assert.deepEqual(ben.seen.at(-1), { event: 'issue-created', data: { key: 'SEC-2' } });
    assert.notDeepEqual(ann.seen.at(-1), { event: 'issue-created', data: { key: 'SEC-2' } });
    assert.deepEqual(hub.openBacklogs(SITE), [{ backlogId: 'b1', users: [ANN, BEN] }]);
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
