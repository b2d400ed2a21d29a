import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { alertIntake, type AlertIntake } from '../../src/alerts/alert-intake';
import { alertOutbox, type AlertOutbox } from '../../src/alerts/alert-outbox';
import { startEventRouter } from '../../src/alerts/event-router';
import { issueSnapshot } from '../../src/alerts/normalize-jira-webhook';
import { subscriptionMatcher, type JqlKeySearch } from '../../src/alerts/subscription-matcher';
import type { Subscription } from '../../src/alerts/subscription';
import { alertCard } from '../../src/cards/alert-card';
import { createLogger } from '../../src/log/create-logger';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { settle } from '../support/manual-clock';
import { assertValidCard, cardText } from '../support/validate-card';
import { subscription } from './subscription-builder';

const SITE = 'https://some-instance-test.atlassian.net';
const DIR = path.join(__dirname, '../fixtures/jira-webhooks/recorded');
const CHANNEL = { tenantId: 't', conversationId: '19:recorded@thread.tacv2' };
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, any>;

interface Expected {
  id: string;
  kinds: string[];
  /** The card's first line. */
  headline: string;
  /** Other lines the card must show, in order. */
  lines: string[];
}

/**
 * What a user should see for each webhook Jira Cloud really sent (fixtures/jira-webhooks/recorded,
 * see its README): the v2 shape, thin comment events, display-name field ids. Every file in the
 * folder must be in this table, so a new recording cannot go unchecked.
 */
const EXPECTED: Record<string, Expected> = {
  'webhook-cloud-comment-created.json': { id: '10040:comment:10019', kinds: ['commented'], headline: 'Test User commented on TES\\-41', lines: ['Added a comment'] },
  'webhook-cloud-comment-updated.json': {
    id: '10040:comment:10019:2019-02-15T19:12:08.432-0800',
    kinds: ['commented'],
    headline: 'Test User commented on TES\\-41',
    lines: ['Added a comment, then edited it'],
  },
  'webhook-cloud-issue-created-many-fields.json': { id: '10509:created', kinds: ['created'], headline: 'Sample User created KT\\-22', lines: ['Lots of fields selected'] },
  'webhook-cloud-issue-updated-custom-field.json': {
    id: '10368:changelog:11479',
    kinds: ['fieldChanged'],
    headline: 'Sample User updated TES\\-14',
    lines: ['MJK \\- Number Field', '1 → 12'],
  },
  'webhook-issue-created.json': { id: '10040:created', kinds: ['created'], headline: 'Test User created TES\\-41', lines: ['Unit test summary'] },
  'webhook-issue-deleted.json': { id: '10303:deleted', kinds: ['deleted'], headline: 'Test User deleted IDT\\-19', lines: ['hey'] },
  'webhook-issue-updated-assigned.json': {
    id: '10040:changelog:10230',
    kinds: ['assigned'],
    headline: 'Test User changed the assignee of TES\\-41',
    lines: ['Assignee', 'None → Test User'],
  },
  'webhook-issue-updated-attachments.json': {
    id: '10040:changelog:10233',
    kinds: ['fieldChanged'],
    headline: 'Test User updated TES\\-41',
    lines: ['Attachment', 'test.json test.xml → test.gif test.xml'],
  },
  'webhook-issue-updated-labels.json': {
    id: '10040:changelog:10233',
    kinds: ['fieldChanged'],
    headline: 'Test User updated TES\\-41',
    lines: ['Labels', 'bad test\\-label → sad test\\-label'],
  },
  'webhook-issue-updated-rank.json': { id: '10040:changelog:10233', kinds: ['fieldChanged'], headline: 'Test User updated TES\\-41', lines: ['Rank', '→ ranked higher'] },
  'webhook-issue-updated-resolved.json': {
    id: '10040:changelog:10228',
    kinds: ['resolved', 'transitioned'],
    headline: 'Test User resolved TES\\-41',
    lines: ['DONE', 'Resolution', 'None → Done', 'Status', 'In Progress → Done'],
  },
  'webhook-issue-updated-sprint.json': { id: '10040:changelog:10233', kinds: ['fieldChanged'], headline: 'Test User updated TES\\-41', lines: ['Sprint', 'Sprint 1 → Sprint 2'] },
};

/** The issue_updated (issue_commented) Jira sends with the same comment: the full issue, the comment, no changelog. */
function commentedUpdate(): Record<string, any> {
  const update = read('webhook-issue-updated-labels.json');
  update.issue_event_type_name = 'issue_commented';
  delete update.changelog;
  update.comment = read('webhook-cloud-comment-created.json').comment;
  return update;
}

describe('recorded Jira Cloud webhooks as a contract (issue #17)', () => {
  let store: Store | undefined;
  let intake: AlertIntake;
  let outbox: AlertOutbox;
  let stopRouter: (() => Promise<void>) | undefined;
  const completions: string[][] = [];

  /** Intake, the router and the subscription matcher over one store, as createAlerts wires them. */
  const start = (subscriptions: Subscription[]) => {
    store = openTestStore();
    intake = alertIntake(store);
    outbox = alertOutbox(store);
    // Jira as the matcher sees it: the issue as the full update webhook describes it.
    const search: JqlKeySearch = {
      keysMatching: async () => new Set(),
      async currentIssues(site, ids) {
        completions.push([...ids]);
        return [issueSnapshot(commentedUpdate().issue, site)!];
      },
    };
    const matcher = subscriptionMatcher({ subscriptions: { forSite: async () => subscriptions }, search, logger: createLogger({ level: 'silent' }) });
    const router = startEventRouter({ intake, outbox, matcher, logger: createLogger({ level: 'silent' }) });
    stopRouter = () => router.stop();
  };
  /** Waits until the router has emptied the inbox: every accepted event is routed. */
  const routed = async () => {
    while ((await intake.received()).length > 0) await settle(5);
  };
  const cards = async () => (await outbox.pending(CHANNEL.conversationId)).map((row) => row.entry.event);

  afterEach(async () => {
    await stopRouter?.();
    await store?.close();
    stopRouter = undefined;
    store = undefined;
    completions.length = 0;
  });

  it('has an expected alert for every recorded webhook', () => {
    assert.deepEqual(
      fs
        .readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
      Object.keys(EXPECTED).sort(),
    );
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: accepted, normalized and posted as "${expected.headline.replace(/\\/g, '')}"`, async () => {
      const payload = read(file);
      const project = String(payload.issue.fields.project?.key ?? payload.issue.key.split('-')[0]);
      start([subscription({ site: SITE, target: CHANNEL, projects: [project] })]);
      assert.equal(await intake.receiveWebhook(SITE, payload), 'accepted');
      await routed();
      const [event, ...more] = await cards();
      assert.equal(more.length, 0);
      assert.equal(event.id, expected.id);
      assert.deepEqual(event.kinds, expected.kinds);
      const card = alertCard(event);
      assertValidCard(card);
      const text = cardText(card);
      assert.equal(text.split('\n')[0], expected.headline);
      let from = 0;
      for (const line of expected.lines) {
        const at = text.indexOf(line, from);
        assert.ok(at >= 0, `"${line}" after position ${from} in:\n${text}`);
        from = at + line.length;
      }
      // Emails in the payload never reach the card.
      assert.doesNotMatch(text, /@/);
      assert.equal(await intake.receiveWebhook(SITE, payload), 'duplicate', 'a retry of the same webhook adds nothing');
    });
  }

  for (const order of ['comment_created first', 'issue_updated first']) {
    it(`one comment announced twice, ${order}: one alert, judged on the full issue`, async () => {
      // A label only the full issue carries: the thin comment_created does not name labels.
      start([subscription({ site: SITE, target: CHANNEL, projects: ['TES'], jql: 'labels = sad' })]);
      const [first, second] =
        order === 'comment_created first' ? [read('webhook-cloud-comment-created.json'), commentedUpdate()] : [commentedUpdate(), read('webhook-cloud-comment-created.json')];
      assert.equal(await intake.receiveWebhook(SITE, first), 'accepted');
      assert.equal(await intake.receiveWebhook(SITE, second), 'duplicate');
      await routed();
      const events = await cards();
      assert.deepEqual(
        events.map((e) => e.id),
        ['10040:comment:10019'],
      );
      assert.deepEqual(events[0].issue.labels, ['sad', 'test-label']);
      assert.equal(events[0].thin, undefined);
      // Only the thin copy needed the issue read from Jira.
      assert.deepEqual(completions, order === 'comment_created first' ? [['10040']] : []);
      assert.match(cardText(alertCard(events[0])), /Test User commented on TES\\-41[\s\S]*Added a comment/);
    });
  }
});
