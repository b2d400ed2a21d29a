import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { DEFAULT_TENANT_ID, TEAMS_USER, invokeActivity, messageActivity, postActivity, startBotConnector, type BotConnector } from '../../../../dev/bot-connector-emu/src';
import { Verb } from '../../../src/cards/verb';
import { readConfig } from '../../../src/config';
import { connectionOwner } from '../../../src/connections/connection';
import { createConnectionServices, type ConnectionServices } from '../../../src/connections/create-connection-services';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { cachedIssueService } from '../../../src/teams/unfurl/cached-issue-service';
import { jiraIssueService } from '../../../src/teams/unfurl/jira-issue-service';
import { SEARCH_COMMAND_ID } from '../../../src/teams/unfurl/on-issue-search';
import { unfurlFeature } from '../../../src/teams/unfurl/unfurl-feature';
import { captureLogs } from '../../support/capture-logs';
import { CONNECTION_KINDS, connectAs, oauthAppEnv } from '../../support/connect-as';
import { serveFeatures, type ServedFeatures } from '../../support/serve-features';
import { assertValidCard, cardText } from '../../support/validate-card';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const OTHER_USER = { id: '29:1frankTeamsId', name: 'Frank', aadObjectId: '7d0c5f1e-0000-4000-8000-00000000f4a7' };
const STRANGER = { id: '29:1strangerTeamsId', name: 'Stranger', aadObjectId: '7d0c5f1e-0000-4000-8000-000000005742' };

type Json = Record<string, any>;

/**
 * Real-shaped invokes (as in shared/ref/teams/activities) to the running bot, with the Jira
 * simulator behind it and the real jira.js client acting as each user's own connection: once
 * with API tokens, once with OAuth 2.0 (3LO) connections holding the scopes the app requests.
 */
for (const via of CONNECTION_KINDS)
  describe(`link unfurls, issue search and issue card actions over HTTP (${via} connections)`, () => {
    let connector: BotConnector;
    let sim: JiraSim;
    let served: ServedFeatures;
    let store: Store;
    let services: ConnectionServices;
    let logs: ReturnType<typeof captureLogs>;
    let botUrl: string;

    before(async () => {
      connector = await startBotConnector();
      sim = await startJiraSim({ port: 0 });
      logs = captureLogs();
      const logger = createLogger({ level: 'debug', destination: logs.stream });
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-unfurl-'));
      const config = readConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://bot.test', ATLASSIAN_API_URL: sim.url, ...(via === 'oauth' ? oauthAppEnv(sim) : {}) });
      store = openSqliteStore(path.join(dataDir, 'store.db'));
      services = await createConnectionServices(config, store);
      served = await serveFeatures({
        config,
        logger,
        features: [unfurlFeature({ issues: cachedIssueService(jiraIssueService(services)), siteHosts: [new URL(sim.url).host], logger })],
      });
      botUrl = served.url;

      await connectAs({ connections: services, sim, owner: connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), email: 'bob@example.com', via });
      await connectAs({ connections: services, sim, owner: connectionOwner(DEFAULT_TENANT_ID, OTHER_USER), email: 'frank@example.com', via });
    });

    after(async () => {
      await served?.close();
      await store?.close();
      await sim?.close();
      await connector?.close();
    });

    const bobId = () => sim.state.site.users.find((u) => u.email === 'bob@example.com')!.accountId;
    const issue = (key: string) => sim.state.site.issues.find((i) => i.key === key)!;

    async function invoke(name: Parameters<typeof invokeActivity>[0], value: unknown, from = TEAMS_USER): Promise<Json> {
      const activity = invokeActivity(name, value, { serviceUrl: connector.url, conversationType: 'channel', from });
      const response = await postActivity(`${botUrl}/api/messages`, activity);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body;
    }

    const unfurl = async (url: string, from = TEAMS_USER) => (await invoke('composeExtension/queryLink', { url }, from)).composeExtension;
    const act = async (verb: string, data: Json, from = TEAMS_USER) =>
      (await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, from)).value;

    it('unfurls an issue link for a connected user into a live issue card with a preview', async () => {
      const key = 'KAN-1';
      const result = await unfurl(`${sim.url}/browse/${key.toLowerCase()}?focusedCommentId=1#x`);
      assert.equal(result.type, 'result');
      const [attachment] = result.attachments;
      assert.equal(attachment.contentType, ADAPTIVE_CARD);
      assertValidCard(attachment.content);
      const text = cardText(attachment.content);
      assert.ok(text.includes(issue(key).values.summary as string) || text.includes(String(issue(key).values.summary).replace(/[-.()]/g, '\\$&')), text);
      assert.equal(attachment.content.refresh.action.verb, Verb.Refresh);
      assert.deepEqual(attachment.content.refresh.action.data, { key, site: new URL(sim.url).host });
      assert.equal(attachment.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
      assert.match(attachment.preview.content.title, new RegExp(`^${key}: `));
    });

    it('unfurls a JQL link into a list card with the first issues', async () => {
      const result = await unfurl(`${sim.url}/issues/?jql=${encodeURIComponent('project = KAN ORDER BY key ASC')}`);
      const [attachment] = result.attachments;
      assertValidCard(attachment.content);
      const text = cardText(attachment.content);
      assert.match(text, /Jira search/);
      assert.match(text, /KAN\\-1\b/);
      assert.equal(attachment.content.body.filter((e: Json) => e.type === 'ColumnSet').length, 5);
    });

    it('unfurls a saved filter link into a list card with its name, JQL and first issues', async () => {
      const result = await unfurl(`${sim.url}/issues/?filter=10001`);
      const [attachment] = result.attachments;
      assertValidCard(attachment.content);
      const text = cardText(attachment.content);
      assert.match(text, /Filter for KAN board/);
      assert.match(text, /KAN\\?-1/);
    });

    it('answers a filter link it cannot read with a card that says so', async () => {
      const result = await unfurl(`${sim.url}/issues/?filter=99999`);
      const [attachment] = result.attachments;
      assertValidCard(attachment.content);
      // Jira answers an unknown or hidden filter with 400 and its own words; the card carries them.
      assert.match(cardText(attachment.content), /filter is not available to you|filter doesn't exist, or you can't see it/);
    });

    it('asks a user who is not connected to sign in, without issue data', async () => {
      const result = await unfurl(`${sim.url}/browse/KAN-1`, STRANGER);
      assert.equal(result.type, 'result');
      const card = result.attachments[0].content;
      assertValidCard(card);
      assert.match(cardText(card), /Connect your Jira account/);
      assert.ok(!cardText(card).includes(String(issue('KAN-1').values.summary)), 'no issue data');
    });

    it('tells a user without permission that they cannot see the issue, and leaks nothing', async () => {
      const result = await unfurl(`${sim.url}/browse/KAN-2`, OTHER_USER);
      const card = result.attachments[0].content;
      assertValidCard(card);
      assert.match(cardText(card), /can't see this issue/);
      assert.ok(!JSON.stringify(card).includes(String(issue('KAN-2').values.summary)), 'no summary');
    });

    it('answers unknown and deleted keys the same way Jira does', async () => {
      const unknown = (await unfurl(`${sim.url}/browse/KAN-99999`)).attachments[0].content;
      assert.match(cardText(unknown), /KAN\\-99999[^]*can't see this issue/);

      const admin = sim.state.site.users.find((u) => u.email === 'alice@example.com')!;
      const doomed = 'KAN-4';
      const removed = await fetch(`${sim.url}/rest/api/3/issue/${doomed}`, {
        method: 'DELETE',
        headers: { Authorization: `Basic ${Buffer.from(`${admin.email}:${admin.apiToken}`).toString('base64')}` },
      });
      assert.equal(removed.status, 204);
      const deleted = (await unfurl(`${sim.url}/browse/${doomed}`)).attachments[0].content;
      assert.match(cardText(deleted), /can't see this issue/);
    });

    it('leaves malformed and foreign links alone', async () => {
      for (const url of ['not a url', 'https://example.com/browse/KAN-1', `${sim.url}/browse/KAN`]) {
        const result = await unfurl(url);
        assert.deepEqual(result, { type: 'result', attachmentLayout: 'list', attachments: [] }, url);
      }
    });

    it('answers zero-install unfurls with the key and a sign-in prompt only', async () => {
      const body = await invoke('composeExtension/anonymousQueryLink', { url: `${sim.url}/browse/KAN-1` }, STRANGER);
      const card = body.composeExtension.attachments[0].content;
      assertValidCard(card);
      assert.match(cardText(card), /Jira issue KAN\\-1/);
      assert.ok(!cardText(card).includes(String(issue('KAN-1').values.summary)));
    });

    it('searches issues from the compose box, by text, key and JQL, and reports bad JQL', async () => {
      const search = async (query: string) =>
        (await invoke('composeExtension/query', { commandId: SEARCH_COMMAND_ID, parameters: [{ name: 'query', value: query }], queryOptions: { skip: 0, count: 5 } }))
          .composeExtension;
      const byKey = await search('kan-3');
      assert.equal(byKey.attachments.length, 1);
      assert.match(byKey.attachments[0].preview.content.title, /^KAN-3: /);
      assertValidCard(byKey.attachments[0].content);

      const byJql = await search('jql: project = KAN ORDER BY key ASC');
      assert.equal(byJql.attachments.length, 5);

      const bad = await search('jql: project = = KAN');
      assert.equal(bad.type, 'message');
      assert.match(bad.text, /Jira rejected the request/);

      const initial = (
        await invoke('composeExtension/query', { commandId: SEARCH_COMMAND_ID, parameters: [{ name: 'initialRun', value: 'true' }], queryOptions: { skip: 0, count: 5 } })
      ).composeExtension;
      assert.equal(initial.type, 'result');
    });

    it('assigns to me, transitions, comments and watches through card actions, and shows the result', async () => {
      const key = 'KAN-3';
      const site = new URL(sim.url).host;

      const assigned = await act(Verb.Assign, { key, site });
      assertValidCard(assigned);
      assert.equal(issue(key).values.assignee, bobId());
      assert.match(cardText(assigned), /KAN\\-3 is assigned to you/);
      assert.ok(!(assigned.actions ?? []).some((a: Json) => a.verb === Verb.Assign), 'no Assign to me on my own issue');

      const choice = JSON.stringify(assigned).match(/"choices":(\[[^\]]*\])/);
      assert.ok(choice, 'the card offers transitions');
      const [first] = JSON.parse(choice[1]) as Array<{ title: string; value: string }>;
      const before = issue(key).statusId;
      const moved = await act(Verb.Transition, { key, site, transitionId: first.value });
      assertValidCard(moved);
      assert.notEqual(issue(key).statusId, before);
      assert.match(cardText(moved), /KAN\\-3 is now /);

      const comments = issue(key).comments.length;
      const commented = await act(Verb.Comment, { key, site, comment: 'Looks **fine** <b>to me</b>' });
      assert.equal(issue(key).comments.length, comments + 1);
      assert.match(cardText(commented), /Your comment was added/);
      assert.ok(!logs.raw().includes('Looks **fine**'), 'comment text is not logged');

      const watching = await act(Verb.Watch, { key, site });
      assert.ok(issue(key).watchers.includes(bobId()));
      assert.ok(watching.actions.some((a: Json) => a.verb === Verb.Unwatch));
      const unwatched = await act(Verb.Unwatch, { key, site });
      assert.ok(!issue(key).watchers.includes(bobId()));
      assert.ok(unwatched.actions.some((a: Json) => a.verb === Verb.Watch));

      const refreshed = await act(Verb.Refresh, { key, site });
      assertValidCard(refreshed);
      assert.equal(refreshed.body[0].type, 'ColumnSet', 'a refresh shows no notice');
    });

    it('refuses actions the user may not do, naming the permission, and keeps the card', async () => {
      const key = 'PHX-2';
      const refused = await act(Verb.Assign, { key, site: new URL(sim.url).host }, OTHER_USER);
      assertValidCard(refused);
      assert.equal(refused.body[0].style, 'attention');
      assert.match(cardText(refused), /permission/i);
      assert.notEqual(issue(key).values.assignee, sim.state.site.users.find((u) => u.email === 'frank@example.com')!.accountId);
    });

    it('refreshes into a no-access card for a viewer who may not see the issue', async () => {
      const card = await act(Verb.Refresh, { key: 'KAN-1', site: new URL(sim.url).host }, OTHER_USER);
      assert.match(cardText(card), /can't see this issue/);
    });

    it('never shows or changes an issue of the same key on another site', async () => {
      const result = await unfurl('https://other-team.atlassian.net/browse/KAN-1');
      const card = result.attachments[0].content;
      assertValidCard(card);
      assert.match(cardText(card), /other\\?-team\\?\.atlassian\\?\.net, but your Jira account is connected to/);
      assert.ok(!JSON.stringify(card).includes(String(issue('KAN-1').values.summary)));

      const comments = issue('KAN-1').comments.length;
      const refused = await act(Verb.Comment, { key: 'KAN-1', site: 'other-team.atlassian.net', comment: 'hello' });
      assert.match(cardText(refused), /Nothing was changed/);
      assert.equal(issue('KAN-1').comments.length, comments);
    });

    it('answers show and find in chat with the same cards', async () => {
      connector.clear();
      await postActivity(`${botUrl}/api/messages`, messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'show kan-1' }));
      await postActivity(`${botUrl}/api/messages`, messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'find jql: project = KAN' }));
      const [shown, found] = await connector.waitForActivities(2);
      assertValidCard(shown.body.attachments[0].content);
      assert.equal(shown.body.attachments[0].content.refresh.action.data.key, 'KAN-1');
      assertValidCard(found.body.attachments[0].content);
      assert.match(cardText(found.body.attachments[0].content), /KAN\\-\d+/);
    });
  });
