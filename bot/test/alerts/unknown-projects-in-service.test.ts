import assert from 'node:assert/strict';
import type { JiraSim } from '../../../dev/jira-sim/src';
import { CHANNEL_ID, TEAM_ID, TEAMS_USER, invokeActivity, postActivity } from '../../../dev/bot-connector-emu/src';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { CONNECTION_KINDS } from '../support/connect-as';
import { cardText } from '../support/validate-card';
import { startAlertStack, type AlertStack } from './start-alert-stack';

/**
 * Jira deletes a project (its issues go with it). The simulator has no route for that, so the test
 * removes it from the simulator's state, as Jira's trash would hide it from every query.
 */
function deleteProject(sim: JiraSim, key: string): void {
  const { site } = sim.state;
  const project = sim.state.project(key)!;
  for (let i = site.issues.length - 1; i >= 0; i -= 1) {
    if (site.issues[i].projectId !== project.id) continue;
    sim.state.unindex(site.issues[i]);
    site.issues.splice(i, 1);
  }
  site.projects.splice(site.projects.indexOf(project), 1);
}

/**
 * Issue #17 defect 5 through the assembled service (startBot, the Jira simulator, the Bot Connector
 * emulation): the subscribe dialog refuses a project key Jira does not know, in Jira's words; and
 * when a saved subscription's project is deleted later, the running poller, whose one query per
 * site Jira then refuses with 400, still delivers the site's other subscriptions.
 */
for (const via of CONNECTION_KINDS)
  describe(`project keys Jira does not know, in the assembled service (${via} connections)`, function () {
    // The poller runs every 10 s (the shortest interval the configuration takes); a subscription
    // saved through the service reaches its site listing at once, not when the 30 s listing expires.
    this.timeout(60_000);
    let stack: AlertStack;

    before(async () => {
      // The admin webhook carries no issue events, so only the poller can bring the change below.
      stack = await startAlertStack({ realism: {}, events: ['comment_deleted'], env: { ALERT_POLL_INTERVAL_SECONDS: '10' }, via });
    });
    after(() => stack?.close());

    const saved = () => stack.testBot.bot.alerts.alerts.subscriptions.list(CHANNEL_ID);

    it("refuses a subscription naming a project Jira does not know, with Jira's message, and saves nothing", async () => {
      const data = { verb: SubscriptionVerb.Save, projects: 'PHX, NOPE', events: 'created', statuses: '', fields: '', twoWayThreads: 'false', site: stack.sim.url };
      const answer = await postActivity(
        stack.testBot.messagesUrl,
        invokeActivity(
          'composeExtension/fetchTask',
          {},
          {
            serviceUrl: stack.connector.url,
            conversationType: 'channel',
            conversationId: CHANNEL_ID,
            teamId: TEAM_ID,
            from: TEAMS_USER,
            overrides: { name: 'task/submit', value: { data } },
          },
        ),
      );
      assert.equal(answer.status, 200);
      const card = answer.body?.task?.value?.card?.content;
      assert.ok(card, `the dialog is shown again: ${JSON.stringify(answer.body)}`);
      assert.match(cardText(card), /The value 'NOPE' does not exist for the field 'project'\./);
      assert.deepEqual(await saved(), []);
    });

    it("keeps polling the site's other subscriptions after a subscribed project is deleted", async () => {
      const { sim, connector } = stack;
      await stack.subscribe({ projects: 'PHX', events: 'fieldChanged' });
      await stack.subscribe({ projects: 'SUP', events: 'fieldChanged' });
      assert.equal((await saved()).length, 2);
      deleteProject(sim, 'SUP');
      connector.clear();

      await stack.jira('alice', 'PUT', '/rest/api/3/issue/PHX-3', { fields: { labels: ['seen-by-the-poller'] } });
      await connector.waitFor(() => stack.channelCards().some((text) => /PHX\\?-3/.test(text)), { timeoutMs: 20_000 });
      assert.match(
        stack.channelCards().find((text) => /PHX\\?-3/.test(text))!,
        /seen\\?-by\\?-the\\?-poller/,
      );
    });
  });
