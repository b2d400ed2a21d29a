import assert from 'node:assert/strict';
import type { MeetingEvent } from '../../src/meetings/backlog';
import { meetingHub, type HubBus, type HubMessage } from '../../src/meetings/meeting-hub';
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

  /** Two instances' hubs on one in-memory bus, which keeps every message sent. */
  const twoInstances = () => {
    const sent: HubMessage[] = [];
    const handlers: Array<(message: HubMessage) => void> = [];
    const busOf = (index: number): HubBus => ({
      send: (message) => {
        sent.push(message);
        handlers.forEach((handler, i) => i !== index && handler(message));
      },
      onMessage: (handler) => void (handlers[index] = handler),
    });
    return { a: meetingHub({ bus: busOf(0) }), b: meetingHub({ bus: busOf(1) }), sent };
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

  it("drops Jira's echo of a change made through a panel, and still sends a later change of the issue made in Jira", () => {
    let now = 1_790_000_000_000;
    const hub = meetingHub({ now: () => now });
    const ann = panel();
    hub.subscribe('b1', ann.listener, { siteUrl: SITE, user: ANN });
    hub.noteShown('b1', SITE, ['PHX-1', 'PHX-2'], ANN);
    // Ben's edit through a panel; his Jira answered with the issue as it is after it (ISO).
    hub.issueChanged(SITE, 'PHX-1', { by: 'Ben', alsoTo: 'b1', updated: '2026-03-02T10:00:00.000Z' });
    // Jira's webhooks about it (Jira's own time format): the edit itself, and an earlier write of the same request.
    hub.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    hub.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T11:59:59.500+0200' });
    // A change made in Jira after it, another issue, and a change whose time is unknown all go out.
    hub.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:04.000+0000' });
    hub.issueChanged(SITE, 'PHX-2', { updated: '2026-03-02T09:00:00.000+0000' });
    hub.issueChanged(SITE, 'PHX-1');
    // Past the window, an old time is news again (a panel change is not remembered for ever).
    now += 11 * 60_000;
    hub.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    assert.deepEqual(ann.seen, [
      { event: 'issue-changed', data: { key: 'PHX-1', by: 'Ben' } },
      { event: 'issue-changed', data: { key: 'PHX-1' } },
      { event: 'issue-changed', data: { key: 'PHX-2' } },
      { event: 'issue-changed', data: { key: 'PHX-1' } },
      { event: 'issue-changed', data: { key: 'PHX-1' } },
    ]);
  });

  it('drops the echo on every instance, and sends none over the bus', () => {
    const { a, b, sent } = twoInstances();
    const onB = panel();
    b.subscribe('b1', onB.listener, { siteUrl: SITE, user: ANN });
    a.noteShown('b1', SITE, ['PHX-1'], ANN);
    a.issueChanged(SITE, 'PHX-1', { by: 'Ben', alsoTo: 'b1', updated: '2026-03-02T10:00:00.000Z' });
    // The webhook reaches either instance.
    a.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    b.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    assert.deepEqual(onB.seen, [{ event: 'issue-changed', data: { key: 'PHX-1', by: 'Ben' } }]);
    assert.deepEqual(
      sent.map((m) => m.kind),
      ['shown', 'issue-changed'],
    );
  });

  it("drops the echo of a rank change told of as 'ranked', on every instance, with no extra bus message", () => {
    const { a, b, sent } = twoInstances();
    const onB = panel();
    b.subscribe('b1', onB.listener, { siteUrl: SITE, user: ANN });
    a.noteShown('b1', SITE, ['PHX-1', 'PHX-2'], ANN);
    const changed = { siteUrl: SITE, issues: [{ key: 'PHX-1', updated: '2026-03-02T10:00:00.000Z' }] };
    a.publish('b1', { event: 'ranked', data: { keys: ['PHX-1'], by: 'Ben' } }, { changed });
    // Jira's webhook about the rank change reaches either instance; a later change in Jira still goes out.
    a.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    b.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:00.000+0000' });
    b.issueChanged(SITE, 'PHX-1', { updated: '2026-03-02T10:00:03.000+0000' });
    assert.deepEqual(onB.seen, [
      { event: 'ranked', data: { keys: ['PHX-1'], by: 'Ben' } },
      { event: 'issue-changed', data: { key: 'PHX-1' } },
    ]);
    assert.deepEqual(
      sent.map((m) => m.kind),
      ['shown', 'publish', 'issue-changed'],
    );
  });

  it('remembers who was shown what in the 1000 most recently listed backlogs', () => {
    const hub = meetingHub();
    for (let n = 0; n < 1000; n++) hub.noteShown(`b${n}`, SITE, ['A-1'], ANN);
    // b0 listed again: b1 is now the least recently listed, and a new backlog pushes it out.
    hub.noteShown('b0', SITE, ['A-2'], ANN);
    hub.noteShown('b1000', SITE, ['A-1'], ANN);
    assert.equal(hub.hasShown('b0', 'A-1', ANN), true, 'listed again, kept');
    assert.equal(hub.hasShown('b1', 'A-1', ANN), false, 'least recently listed, forgotten');
    assert.equal(hub.hasShown('b2', 'A-1', ANN), true);
    assert.equal(hub.hasShown('b1000', 'A-1', ANN), true);
  });

  it('remembers the last 10,000 issues changed through panels, so the echo of an older one goes out', () => {
    const { a, sent } = twoInstances();
    const updated = '2026-01-01T10:00:00.000+0000';
    for (let n = 0; n < 10_000; n++) a.issueChanged(SITE, `A-${n}`, { by: 'Ann', updated });
    // A-0 changed again through a panel: A-1 is now the oldest, and one more change pushes it out.
    a.issueChanged(SITE, 'A-0', { by: 'Ann', updated });
    a.issueChanged(SITE, 'A-10000', { by: 'Ann', updated });
    sent.length = 0;
    a.issueChanged(SITE, 'A-0', { updated });
    a.issueChanged(SITE, 'A-2', { updated });
    assert.equal(sent.length, 0, "Jira's echoes of remembered changes are dropped");
    a.issueChanged(SITE, 'A-1', { updated });
    assert.deepEqual(
      sent.map((message) => message.kind === 'issue-changed' && message.key),
      ['A-1'],
    );
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
