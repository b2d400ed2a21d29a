import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { CHANNEL_ID, TEAM_ID, TEAMS_USER, invokeActivity, messageActivity, postActivity, type Account } from '../../../dev/bot-connector-emu/src';
import { AlertPreferencesVerb } from '../../src/cards/alert-preferences-card';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { INBOX_TABLE, SEEN_TABLE } from '../../src/alerts/alert-intake';
import { createdEventId } from '../../src/alerts/normalize-jira-webhook';
import { storeKeyPart } from '../../src/store/store-key-part';
import { SENT_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { cardText } from '../support/validate-card';
import { waitForRecordedCard } from '../support/wait-for-recorded-card';
import { BOB, BOB_CHAT, startAlertStack, type AlertStack } from './start-alert-stack';

// Bob (start-alert-stack) works in PHX but administers nothing in Jira; he owns the team here, as Alice and Carol do.
/** Carol administers the PHX project only. */
const CAROL: Account = { id: '29:carol-product', name: 'Carol Product', aadObjectId: '0c0c0c0c-0000-4000-8000-000000000003' };
/** A guest in the team, and someone not in it, both connected as the Jira site admin. */
const GUEST: Account = { id: '29:guest-user', name: 'Gus Guest', aadObjectId: '0d0d0d0d-0000-4000-8000-000000000004' };
const STRANGER: Account = { id: '29:not-a-member', name: 'Stan Stranger', aadObjectId: '0e0e0e0e-0000-4000-8000-000000000005' };
const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';

/**
 * Alerts through the service as `npm start` builds it: the subscribe dialog, Jira's admin webhook
 * signed with the shared secret, the event router, the outbox and the delivery worker, into the
 * emulated Bot Connector.
 */
describe('alerts in the assembled service', () => {
  let stack: AlertStack;
  let sim: AlertStack['sim'];
  let connector: AlertStack['connector'];
  let testBot: AlertStack['testBot'];
  let webhookUrl: string;
  const jira: AlertStack['jira'] = (...args) => stack.jira(...args);
  const scope = (from: Account) => ({ serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: TEAM_ID, from });
  const submit = async (from: Account, data: Record<string, unknown>) => {
    const invoke = invokeActivity('composeExtension/fetchTask', {}, { ...scope(from), overrides: { name: 'task/submit', value: { data } } });
    const response = await postActivity(testBot.messagesUrl, invoke);
    assert.equal(response.status, 200);
    return response.body;
  };
  const unfurl = async (key: string) => {
    const invoke = invokeActivity('composeExtension/queryLink', { url: `${sim.url}/browse/${key}` }, scope(TEAMS_USER));
    const response = await postActivity(testBot.messagesUrl, invoke);
    return cardText(response.body.composeExtension.attachments[0].content);
  };
  /**
   * Whether the router put an alert about `key` into the conversation's outbox (pending or
   * already sent). Routing enqueues every target of an event in one step, so once a later
   * change or another target's alert has arrived, this is the whole answer: no waiting for
   * an absence.
   */
  const routedTo = async (conversationId: string, key: string) => {
    const rows = [...(await testBot.bot.alerts.alerts.outbox.pending(conversationId)).map((row) => row.entry)];
    rows.push(...(await testBot.bot.store.list<OutboxEntry>(SENT_TABLE)).map((item) => item.value).filter((entry) => entry.target.conversationId === conversationId));
    return rows.some((entry) => entry.event.issue.key === key);
  };
  const channelCards = () =>
    connector
      .activities(CHANNEL_ID)
      .flatMap((call) => (call.body?.attachments ?? []) as Array<{ content: unknown }>)
      .map((a) => cardText(a.content as never));

  before(async () => {
    // The app is in the channel (its reference stored); Alice (site admin), Bob and Carol own the team.
    stack = await startAlertStack({
      realism: {},
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
      people: [
        { account: TEAMS_USER, jira: 'alice', team: 'owner' },
        { account: BOB, jira: 'bob', team: 'owner' },
        { account: CAROL, jira: 'carol', team: 'owner' },
        { account: GUEST, jira: 'alice', team: 'guest' },
        { account: STRANGER, jira: 'alice', team: 'none' },
      ],
    });
    ({ sim, connector, testBot, webhookUrl } = stack);
  });
  after(() => stack?.close());

  const form = { verb: SubscriptionVerb.Save, projects: 'PHX', events: 'commented,fieldChanged,transitioned', statuses: '', fields: '', twoWayThreads: 'false' };

  it('refuses a subscription from a team owner who is not a Jira administrator, on the server', async () => {
    const refused = await submit(BOB, { ...form, site: sim.url });
    assert.equal(refused.task.type, 'continue', 'the dialog stays open with the reason');
    assert.match(cardText(refused.task.value.card.content), /Administer Projects.*PHX/);
    assert.deepEqual(await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID), []);
  });

  it('refuses a Jira administrator who is a guest in the team, or not in it, on the server', async () => {
    const guest = await submit(GUEST, { ...form, site: sim.url });
    assert.match(cardText(guest.task.value.card.content), /Guests cannot set up or change alerts/);
    const stranger = await submit(STRANGER, { ...form, site: sim.url });
    assert.match(cardText(stranger.task.value.card.content), /could not find you among the members of this team/);
    assert.deepEqual(await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID), []);
  });

  it('lets a project administrator subscribe to that project only', async () => {
    const elsewhere = await submit(CAROL, { ...form, projects: 'PHX, KAN', site: sim.url });
    assert.match(cardText(elsewhere.task.value.card.content), /Administer Projects.*KAN/);
    assert.doesNotMatch(cardText(elsewhere.task.value.card.content), /Administer Projects" permission in PHX/);
    assert.deepEqual(await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID), []);
    assert.equal(await submit(CAROL, { ...form, projects: 'PHX', site: sim.url }), undefined);
    const [mine] = await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID);
    await testBot.bot.alerts.alerts.repository.remove(CHANNEL_ID, mine.subscription.id);
  });

  it("shows Jira's own error for invalid JQL", async () => {
    const answer = await submit(TEAMS_USER, { ...form, jql: 'nosuchfield = 1', site: sim.url });
    assert.match(cardText(answer.task.value.card.content), /Jira does not accept this JQL: .*nosuchfield/i);
    assert.deepEqual(await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID), []);
  });

  it('delivers a change made in Jira to the subscribed channel as an alert card, through the signed admin webhook', async () => {
    const saved = await submit(TEAMS_USER, { ...form, site: sim.url });
    assert.equal(saved, undefined, 'the dialog closes');
    const [summary] = await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID);
    assert.deepEqual(summary.subscription.projects, ['PHX']);
    connector.clear();

    await jira('bob', 'POST', '/rest/api/3/issue/PHX-3/comment', {
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Reproduced on staging' }] }] },
    });
    await connector.waitFor(() => channelCards().some((text) => /PHX-3/.test(text)), { timeoutMs: 15_000 });
    const card = channelCards().find((text) => /PHX-3/.test(text))!;
    assert.match(card, /Bob Builder/);
    assert.match(card, /Reproduced on staging/);
    const delivered = sim.webhooks.deliveries().filter((d) => d.url === webhookUrl);
    assert.ok(delivered.length > 0 && delivered.every((d) => d.status === 'delivered'), JSON.stringify(delivered.map((d) => d.status)));
  });

  it('does not alert for a project the channel did not subscribe to', async () => {
    connector.clear();
    await jira('bob', 'POST', '/rest/api/3/issue/KAN-2/comment', {
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Not for Phoenix' }] }] },
    });
    await sim.webhooks.idle(5_000);
    // A PHX change after it proves the pipeline ran past the KAN event.
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-4', { fields: { summary: 'Later Phoenix change' } });
    await connector.waitFor(() => channelCards().some((text) => /PHX-4/.test(text)), { timeoutMs: 15_000 });
    assert.ok(!channelCards().some((text) => /KAN-2/.test(text)));
    assert.equal(await routedTo(CHANNEL_ID, 'PHX-4'), true, 'the outbox records what it sent');
    assert.equal(await routedTo(CHANNEL_ID, 'KAN-2'), false);
  });

  it('answers 401 to a forged or unsigned webhook and to an unknown site, and sends nothing', async () => {
    connector.clear();
    const body = JSON.stringify({ webhookEvent: 'jira:issue_created', timestamp: Date.now(), issue: { id: '1', key: 'PHX-999', fields: {} } });
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const post = (url: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const answers = await Promise.all([
      post(webhookUrl, { 'x-hub-signature': sign('not-the-secret') }),
      post(webhookUrl, {}),
      post(`${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', 'elsewhere.atlassian.net')}`, { 'x-hub-signature': sign(stack.secret) }),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [401, 401, 401],
    );
    // The routes refuse before the intake sees the body, and answer only then: nothing of it
    // was stored, so nothing can be routed or sent later.
    const intake = [...(await testBot.bot.store.list(INBOX_TABLE)), ...(await testBot.bot.store.list(SEEN_TABLE))];
    const forgedId = storeKeyPart(createdEventId('1'));
    assert.ok(!intake.some((item) => item.key.row === forgedId || JSON.stringify(item.value).includes('PHX-999')), 'the intake kept nothing of the refused webhooks');
    assert.equal(await routedTo(CHANNEL_ID, 'PHX-999'), false);
  });

  it('lists the subscription for anyone in the channel and names the alert commands in help', async () => {
    connector.clear();
    const say = (text: string, from: Account) => postActivity(testBot.messagesUrl, messageActivity({ ...scope(from), text }));
    await say('subscriptions', BOB);
    await say('help', BOB);
    const [list, help] = connector.activities(CHANNEL_ID).map((c) => cardText(c.body.attachments[0].content));
    assert.match(list, /PHX/);
    assert.match(help, /\*\*subscribe\*\*/);
    assert.match(help, /\*\*subscriptions\*\*/);
  });

  it('turns a reply in an alert thread into a Jira comment by the replying user, when the subscription threads', async () => {
    const [current] = await testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID);
    assert.equal(await submit(TEAMS_USER, { ...form, site: sim.url, twoWayThreads: 'true', subscriptionId: current.subscription.id }), undefined);
    connector.clear();
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-8', { fields: { summary: 'Threaded issue' } });
    await connector.waitFor(() => channelCards().some((text) => /PHX-8/.test(text)), { timeoutMs: 15_000 });
    const posted = connector.activities(CHANNEL_ID).find((c) => /PHX-8/.test(JSON.stringify(c.body)))!;
    const rootId = (posted.response as { id: string }).id;
    await waitForRecordedCard(testBot.bot.store, rootId);

    await postActivity(testBot.messagesUrl, messageActivity({ ...scope(BOB), conversationId: `${CHANNEL_ID};messageid=${rootId}`, text: 'Deployed the fix to staging' }));
    await connector.waitFor(() => connector.activities(CHANNEL_ID).some((c) => /Added to PHX-8/.test(JSON.stringify(c.body))), { timeoutMs: 10_000 });
    const comments = (await jira('alice', 'GET', '/rest/api/3/issue/PHX-8/comment')) as { comments: Array<{ author: { displayName: string }; body: unknown }> };
    const mine = comments.comments.filter((c) => JSON.stringify(c.body).includes('Deployed the fix to staging'));
    assert.deepEqual(
      mine.map((c) => c.author.displayName),
      ['Bob Builder'],
    );
  });

  it('notifies a connected user in their personal chat when an issue is assigned to them', async () => {
    connector.clear();
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-6/assignee', { accountId: BOB_ACCOUNT_ID });
    await connector.waitFor(() => connector.activities(BOB_CHAT).length > 0, { timeoutMs: 15_000 });
    const [call] = connector.activities(BOB_CHAT);
    assert.match(cardText(call.body.attachments[0].content), /PHX-6/);
    assert.equal(await routedTo(BOB_CHAT, 'PHX-6'), true);
    assert.equal(await routedTo(CHANNEL_ID, 'PHX-6'), false, 'the channel did not subscribe to assignments');
  });

  it('tells a user about changes to issues they watch once they switch that on in notifications', async () => {
    const personal = { serviceUrl: connector.url, conversationType: 'personal' as const, conversationId: BOB_CHAT, from: BOB };
    await jira('bob', 'POST', '/rest/api/3/issue/PHX-9/watchers', BOB_ACCOUNT_ID);
    const saved = await postActivity(
      testBot.messagesUrl,
      invokeActivity(
        'adaptiveCard/action',
        {
          action: { type: 'Action.Execute', verb: AlertPreferencesVerb.Save, data: { assigned: 'true', mentioned: 'true', watching: 'true', reported: 'true' } },
          trigger: 'manual',
        },
        personal,
      ),
    );
    assert.match(cardText(saved.body.value), /Saved/);
    connector.clear();
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-9', { fields: { summary: 'Watched by Bob' } });
    await connector.waitFor(() => connector.activities(BOB_CHAT).some((c) => /PHX-9/.test(JSON.stringify(c.body))), { timeoutMs: 15_000 });
  });

  it('drops the cached unfurl card of an issue when its change arrives', async () => {
    assert.doesNotMatch(await unfurl('PHX-5'), /Renamed while unfurled/);
    connector.clear();
    await jira('alice', 'PUT', '/rest/api/3/issue/PHX-5', { fields: { summary: 'Renamed while unfurled' } });
    await connector.waitFor(() => channelCards().some((text) => /PHX-5/.test(text)), { timeoutMs: 15_000 });
    // Well inside the cache's 60 s: only the event's invalidation makes the new summary show.
    assert.match(await unfurl('PHX-5'), /Renamed while unfurled/);
  });
});
