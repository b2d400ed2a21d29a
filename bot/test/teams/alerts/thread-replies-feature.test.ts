import assert from 'node:assert/strict';
import type { Server } from 'restify';
import { CHANNEL_ID, messageActivity, postActivity, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { alertThreads, type AlertThreads } from '../../../src/alerts/alert-threads';
import { readConfig } from '../../../src/config';
import { ConnectionError, ConnectionErrorCode } from '../../../src/connections/connection-error';
import { createHttpServer } from '../../../src/http/create-http-server';
import { createLogger } from '../../../src/log/create-logger';
import type { Store } from '../../../src/store/store';
import { threadRepliesFeature } from '../../../src/teams/alerts/thread-replies-feature';
import { createTeamsApp } from '../../../src/teams/create-teams-app';
import { openTestStore } from '../../connections/open-test-store';
import { issueEvent } from '../../alerts/issue-event-builder';

describe('two-way alert threads: replies become Jira comments', () => {
  let connector: BotConnector;
  let server: Server;
  let store: Store;
  let threads: AlertThreads;
  let botUrl: string;
  let connected: boolean;
  const comments: Array<{ site: string; key: string; text: string; user?: string }> = [];

  before(async () => {
    connector = await startBotConnector();
    store = openTestStore();
    threads = alertThreads(store);
    const logger = createLogger({ level: 'silent' });
    const feature = threadRepliesFeature({
      threads,
      logger,
      comments: {
        async addComment(context, site, key, text) {
          if (!connected) throw new ConnectionError(ConnectionErrorCode.NotConnected);
          comments.push({ site, key, text, user: context.activity.from.aadObjectId });
          return `c-${comments.length}`;
        },
      },
    });
    const teams = createTeamsApp({ config: readConfig({ DATA_DIR: '/tmp/unused' }), logger, features: [feature] });
    server = createHttpServer({
      logger,
      processActivity: (req, res) => teams.adapter.process(req, res, (context) => teams.app.run(context).then(() => undefined)),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${server.address().port}/api/messages`;
    const event = issueEvent({ key: 'OPS-5', issueId: '5005' });
    await threads.record(CHANNEL_ID, { issueId: '5005', issueKey: 'OPS-5', site: event.site, threaded: true, activityId: '1700000000100', postedAt: Date.now(), events: [event] });
    await threads.record(CHANNEL_ID, { issueId: '5006', issueKey: 'OPS-6', site: event.site, threaded: false, activityId: '1700000000200', postedAt: Date.now(), events: [event] });
  });
  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
    await connector?.close();
  });
  beforeEach(() => {
    connected = true;
    comments.length = 0;
    connector.clear();
  });

  const reply = (rootId: string, text: string) =>
    postActivity(botUrl, messageActivity({ serviceUrl: connector.url, conversationType: 'channel', conversationId: `${CHANNEL_ID};messageid=${rootId}`, text }));

  it('adds the reply as a comment by the replying user, and says so in the thread', async () => {
    await reply('1700000000100', 'Deploying the fix now');
    assert.deepEqual(comments, [{ site: 'https://acme.atlassian.net', key: 'OPS-5', text: 'Deploying the fix now', user: 'eddfa9d4-346e-4cce-a18f-fa6261ad776b' }]);
    const [answer] = connector.activities();
    assert.equal(answer.conversationId, `${CHANNEL_ID};messageid=1700000000100`);
    assert.match(answer.body.text, /Added to OPS-5/);
    assert.equal(await threads.isOwnComment(CHANNEL_ID, 'c-1'), true, 'remembered so the webhook does not echo it');
  });

  it('tells a user without a Jira connection how to connect, and adds nothing', async () => {
    connected = false;
    await reply('1700000000100', 'Hello');
    assert.deepEqual(comments, []);
    assert.match(connector.activities()[0].body.text, /could not add this to OPS-5/);
  });

  it('leaves replies to cards without two-way threads alone', async () => {
    await reply('1700000000200', 'Just chatting');
    await reply('1699999999999', 'Not an alert');
    assert.deepEqual(comments, []);
  });
});
