import assert from 'node:assert/strict';
import type { Server } from 'restify';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  TEAMS_USER,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  type BotConnector,
} from '../../../../dev/bot-connector-emu/src';
import { alertOutbox, type AlertOutbox } from '../../../src/alerts/alert-outbox';
import { subscriptionRepository, type SubscriptionRepository } from '../../../src/alerts/subscription-repository';
import { subscriptionService, type SubscriptionActor } from '../../../src/alerts/subscription-service';
import { alertCard } from '../../../src/cards/alert-card';
import { SubscriptionVerb } from '../../../src/cards/subscription-verb';
import { readConfig } from '../../../src/config';
import { createHttpServer } from '../../../src/http/create-http-server';
import { createLogger } from '../../../src/log/create-logger';
import type { Store } from '../../../src/store/store';
import { subscriptionsFeature } from '../../../src/teams/alerts/subscriptions-feature';
import { createTeamsApp } from '../../../src/teams/create-teams-app';
import { openTestStore } from '../../connections/open-test-store';
import { assertValidCard, cardText } from '../../support/validate-card';
import { issueEvent } from '../../alerts/issue-event-builder';

type Json = Record<string, any>;
const SITE = 'https://acme.atlassian.net';
const OUTSIDER = { id: '29:outsider', name: 'Olly Outsider', aadObjectId: '00000000-0000-4000-8000-0000000000aa' };

describe('subscribe and subscriptions commands', () => {
  let connector: BotConnector;
  let server: Server;
  let store: Store;
  let repository: SubscriptionRepository;
  let outbox: AlertOutbox;
  let botUrl: string;
  /** Teams user ids who own the team; Jira admins by AAD id; what the fakes answer. */
  let owners: Set<string>;
  let jiraAdmins: Set<string>;
  const permissionCalls: Array<{ kind: string; actor: SubscriptionActor; projects?: readonly string[] }> = [];

  before(async () => {
    connector = await startBotConnector();
    store = openTestStore();
    repository = subscriptionRepository(store);
    outbox = alertOutbox(store);
    const logger = createLogger({ level: 'silent' });
    const service = subscriptionService({
      repository,
      outbox,
      permissions: {
        async canManageConversation(actor) {
          permissionCalls.push({ kind: 'teams', actor });
          return owners.has(actor.userId) ? { allowed: true } : { allowed: false, reason: 'Only a team owner can change alerts in this channel.' };
        },
        async canAdministerJira(actor, _site, projects) {
          permissionCalls.push({ kind: 'jira', actor, projects });
          return jiraAdmins.has(actor.aadObjectId ?? '')
            ? { allowed: true }
            : { allowed: false, reason: `You need the Jira permission "Administer Projects" on ${projects.join(', ')}.` };
        },
      },
      jql: {
        async validate(_actor, _site, jql) {
          return /bogus/.test(jql) ? "Field 'bogus' does not exist or you do not have permission to view it." : undefined;
        },
      },
    });
    const feature = subscriptionsFeature({ service, sites: async () => [{ url: SITE, name: 'Acme' }], logger });
    const teams = createTeamsApp({ config: readConfig({ DATA_DIR: '/tmp/unused' }), logger, features: [feature] });
    server = createHttpServer({
      logger,
      processActivity: (req, res) => teams.adapter.process(req, res, (context) => teams.app.run(context).then(() => undefined)),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
    await connector?.close();
  });

  beforeEach(async () => {
    for (const item of [...(await store.list('alert-subscriptions')), ...(await store.list('alert-outbox'))]) await store.delete(item.key);
    owners = new Set([TEAMS_USER.id]);
    jiraAdmins = new Set([TEAMS_USER.aadObjectId!]);
    permissionCalls.length = 0;
    connector.clear();
  });

  const scope = (from = TEAMS_USER) => ({ serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: '19:team@thread.tacv2', from });

  const say = async (text: string, from = TEAMS_USER) => {
    const response = await postActivity(`${botUrl}/api/messages`, messageActivity({ ...scope(from), text }));
    assert.ok(response.status < 300);
    const sent = connector.activities();
    return sent[sent.length - 1].body;
  };

  const task = async (name: 'task/fetch' | 'task/submit', data: Json, from = TEAMS_USER) => {
    const response = await postActivity(`${botUrl}/api/messages`, invokeActivity('composeExtension/fetchTask', {}, { ...scope(from), overrides: { name: name, value: { data } } }));
    assert.equal(response.status, 200);
    return response.body;
  };

  const execute = async (verb: string, data: Json, from = TEAMS_USER) => {
    const response = await postActivity(
      `${botUrl}/api/messages`,
      invokeActivity('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { ...scope(from), replyToId: '1700000000001' }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.type, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(response.body.value);
    return response.body.value;
  };

  const form = {
    verb: SubscriptionVerb.Save,
    site: SITE,
    projects: 'phx, KAN',
    jql: 'priority = Highest',
    events: 'created,transitioned',
    statuses: 'Done',
    fields: '',
    twoWayThreads: 'false',
  };

  it('subscribes a channel through the dialog, for a team owner who is a Jira admin', async () => {
    const start = await say('subscribe');
    assertValidCard(start.attachments[0].content);
    assert.equal(start.attachments[0].content.actions[0].data.verb, SubscriptionVerb.Open);

    const fetched = await task('task/fetch', { verb: SubscriptionVerb.Open });
    assert.equal(fetched.task.type, 'continue');
    assertValidCard(fetched.task.value.card.content);
    assert.match(JSON.stringify(fetched.task.value.card.content), /"label":"Tell me when"/);

    const submitted = await task('task/submit', form);
    assert.equal(submitted, undefined, 'the dialog closes');
    const [saved] = await repository.forConversation(CHANNEL_ID);
    assert.deepEqual(
      { projects: saved.projects, jql: saved.jql, events: saved.eventKinds, statuses: saved.statuses, target: saved.target },
      {
        projects: ['PHX', 'KAN'],
        jql: 'priority = Highest',
        events: ['created', 'transitioned'],
        statuses: ['Done'],
        target: { tenantId: DEFAULT_TENANT_ID, conversationId: CHANNEL_ID },
      },
    );
    const confirmation = connector.activities().at(-1)!.body.attachments[0].content;
    assertValidCard(confirmation);
    assert.match(cardText(confirmation), /Subscribed/);
    assert.match(cardText(confirmation), /PHX, KAN/);
    assert.deepEqual(permissionCalls.find((c) => c.kind === 'jira')?.projects, ['PHX', 'KAN']);
  });

  it('refuses a change from someone who is not a team owner, or not a Jira admin, even without the dialog', async () => {
    const refused = await task('task/submit', form, OUTSIDER);
    assert.match(cardText(refused.task.value.card.content), /Only a team owner/);
    jiraAdmins.clear();
    const notAdmin = await task('task/submit', form);
    assert.match(cardText(notAdmin.task.value.card.content), /Administer Projects/);
    assert.deepEqual(await repository.forConversation(CHANNEL_ID), []);
    const dialog = await task('task/fetch', { verb: SubscriptionVerb.Open }, OUTSIDER);
    assert.equal(dialog.task.type, 'message');
  });

  it("shows Jira's own error for invalid JQL and keeps what was typed", async () => {
    const answer = await task('task/submit', { ...form, jql: 'bogus = 1' });
    const card = answer.task.value.card.content;
    assertValidCard(card);
    assert.match(cardText(card), /Field 'bogus' does not exist/);
    assert.match(JSON.stringify(card), /bogus = 1/);
    assert.deepEqual(await repository.forConversation(CHANNEL_ID), []);
  });

  it('lists for anyone, and lets only owners mute, test and delete', async () => {
    await task('task/submit', form);
    const [saved] = await repository.forConversation(CHANNEL_ID);

    const listed = await say('subscriptions', OUTSIDER);
    assertValidCard(listed.attachments[0].content);
    assert.match(cardText(listed.attachments[0].content), /JQL: priority = Highest/);
    assert.doesNotMatch(JSON.stringify(listed.attachments[0].content), /alerts\.subscription\.mute/, 'no buttons for a non-owner');

    const refused = await execute(SubscriptionVerb.Mute, { subscriptionId: saved.id }, OUTSIDER);
    assert.match(cardText(refused), /Only a team owner/);
    assert.equal((await repository.get(CHANNEL_ID, saved.id))?.subscription.muted, false);

    const muted = await execute(SubscriptionVerb.Mute, { subscriptionId: saved.id });
    assert.match(cardText(muted), /Muted/);
    assert.equal((await repository.get(CHANNEL_ID, saved.id))?.subscription.muted, true);

    await execute(SubscriptionVerb.SendTest, { subscriptionId: saved.id });
    const [test] = await outbox.pending(CHANNEL_ID);
    assert.equal(test.entry.event.issue.summary, 'Test alert from Jira for Teams');
    // No issue is behind a test alert: Assign to me or Comment on it could only fail.
    assert.deepEqual(alertCard(test.entry.event).actions ?? [], []);

    const deleted = await execute(SubscriptionVerb.Delete, { subscriptionId: saved.id });
    assert.match(cardText(deleted), /Deleted/);
    assert.deepEqual(await repository.forConversation(CHANNEL_ID), []);
  });

  it('shows alerts that could not be delivered, with the reason', async () => {
    await task('task/submit', form);
    const [saved] = await repository.forConversation(CHANNEL_ID);
    await outbox.enqueue(issueEvent(), [{ target: saved.target, subscriptionIds: [saved.id] }]);
    const [row] = await outbox.pending(CHANNEL_ID);
    await outbox.park(row, { code: 'TEAMS_403', status: 403, at: Date.now() });

    const listed = await say('subscriptions');
    const text = cardText(listed.attachments[0].content);
    assert.match(text, /1 alert could not be delivered \(last reason: TEAMS\\_403\)/);
    const retried = await execute(SubscriptionVerb.RetryParked, { subscriptionId: saved.id });
    assert.match(cardText(retried), /1 undelivered alert queued again/);
    assert.equal((await outbox.pending(CHANNEL_ID)).length, 1);
  });
});
