import assert from 'node:assert/strict';
import { DEFAULT_TENANT_ID, invokeActivity, postActivity, teamsMember, type Account } from '../../../../dev/bot-connector-emu/src';
import { SubscriptionVerb } from '../../../src/cards/subscription-verb';
import { connectionOwner } from '../../../src/connections/connection';
import { CONNECTION_KINDS, connectAs, oauthAppEnv, type ConnectionKind } from '../../support/connect-as';
import { assertValidCard } from '../../support/validate-card';
import { useAssembledBot } from '../../support/use-assembled-bot';

type Json = Record<string, any>;

/**
 * Per connection kind, a team and its owner, who administers PHX in Jira (the simulator's carol):
 * connected by API token in one team, by OAuth 2.0 (3LO) in the other, on the one service.
 */
const TEAMS: Record<ConnectionKind, { owner: Account; teamId: string }> = {
  token: {
    owner: { id: '29:owen-owner', name: 'Owen Owner', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000b1' },
    teamId: '19:pickerteam000000000000000000000@thread.tacv2',
  },
  oauth: {
    owner: { id: '29:olga-owner', name: 'Olga Owner', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000b2' },
    teamId: '19:pickerteamoauth0000000000000000@thread.tacv2',
  },
};

/** The input of the dialog card with this id. */
const inputOf = (card: Json, id: string): Json => card.body.find((element: Json) => element.id === id);

/**
 * The subscribe dialog's project picker and the chosen projects' statuses for "transitioned to",
 * through the assembled service: Teams' dialog invokes from the Bot Connector emulation, Jira as
 * the person's own connection to the simulator, an API token or OAuth with the scopes the app
 * requests (the simulator answers a missing scope 401).
 */
describe('subscribe dialog: pick projects and the statuses they can move into', () => {
  const given = useAssembledBot(({ sim, connector }) => ({ GRAPH_BASE_URL: connector.graphUrl, JIRA_BASE_URL: sim.url, ALERT_POLL_INTERVAL_SECONDS: '0', ...oauthAppEnv(sim) }));

  before(async () => {
    for (const via of CONNECTION_KINDS) {
      const { owner, teamId } = TEAMS[via];
      await connectAs({ connections: given.testBot.bot.connections, sim: given.sim, owner: connectionOwner(DEFAULT_TENANT_ID, owner), email: 'carol@example.com', via });
      const [givenName, surname] = owner.name!.split(' ');
      given.connector.seedTeam({
        id: teamId,
        name: `Pickers (${via})`,
        members: [teamsMember({ id: owner.id, aadObjectId: owner.aadObjectId, givenName, surname })],
        owners: [owner.aadObjectId!],
      });
    }
  });

  const task = async (via: ConnectionKind, name: 'task/fetch' | 'task/submit', data: Json) => {
    const { owner, teamId } = TEAMS[via];
    const invoke = invokeActivity(
      'composeExtension/fetchTask',
      {},
      {
        serviceUrl: given.connector.url,
        conversationType: 'channel',
        conversationId: teamId,
        teamId,
        from: owner,
        overrides: { name, value: { data } },
      },
    );
    const response = await postActivity(given.testBot.messagesUrl, invoke);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const dialogCard = (answer: Json): Json => {
    assert.equal(answer?.task?.type, 'continue', JSON.stringify(answer));
    const card = answer.task.value.card.content;
    assertValidCard(card);
    return card;
  };
  const simJson = async (path: string): Promise<any> =>
    (await fetch(`${given.sim.url}${path}`, { headers: { authorization: given.sim.basicAuth('carol@example.com'), accept: 'application/json' } })).json();

  for (const via of CONNECTION_KINDS)
    it(`offers the person's projects, then the chosen project's statuses, and saves the picks (${via} connection)`, async () => {
      const opened = dialogCard(await task(via, 'task/fetch', { verb: SubscriptionVerb.Open }));
      const projects = inputOf(opened, 'projects');
      assert.equal(projects.type, 'Input.ChoiceSet');
      assert.equal(projects.isMultiSelect, true);
      const simProjects = (await simJson('/rest/api/3/project/search?maxResults=100')).values.map((p: Json) => p.key);
      assert.deepEqual(projects.choices.map((c: Json) => c.value).sort(), [...simProjects].sort());
      assert.equal(inputOf(opened, 'statuses').type, 'Input.Text', 'no project chosen yet: no statuses to offer');
      assert.ok(opened.actions.some((a: Json) => a.data?.verb === SubscriptionVerb.Refresh));

      const form = { site: given.sim.url, projects: 'PHX', jql: '', events: 'transitioned', statuses: '', fields: '', twoWayThreads: 'false' };
      const refreshed = dialogCard(await task(via, 'task/submit', { verb: SubscriptionVerb.Refresh, ...form }));
      assert.equal(inputOf(refreshed, 'projects').value, 'PHX');
      assert.equal(inputOf(refreshed, 'events').value, 'transitioned', 'what was filled in stays');
      const statuses = inputOf(refreshed, 'statuses');
      assert.equal(statuses.type, 'Input.ChoiceSet');
      const simStatuses = [...new Set((await simJson('/rest/api/3/project/PHX/statuses')).flatMap((t: Json) => t.statuses.map((s: Json) => s.name)))];
      assert.ok(simStatuses.length >= 3);
      assert.deepEqual(
        statuses.choices.map((c: Json) => c.value),
        simStatuses,
      );

      assert.equal(await task(via, 'task/submit', { verb: SubscriptionVerb.Save, ...form, statuses: 'Done,In Review' }), undefined, 'the dialog closes on save');
      const [saved] = await given.testBot.bot.alerts.alerts.subscriptions.list(TEAMS[via].teamId);
      assert.deepEqual(saved.subscription.projects, ['PHX']);
      assert.deepEqual(saved.subscription.statuses, ['Done', 'In Review']);

      // Edit: the dialog opens with the project's statuses already offered and the saved ones chosen.
      const edit = dialogCard(await task(via, 'task/fetch', { verb: SubscriptionVerb.Open, subscriptionId: saved.subscription.id }));
      assert.equal(inputOf(edit, 'statuses').type, 'Input.ChoiceSet');
      assert.equal(inputOf(edit, 'statuses').value, 'Done,In Review');
    });
});
