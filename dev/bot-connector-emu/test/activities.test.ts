import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TurnContext, type Activity } from 'botbuilder';
import {
  BOT_ACCOUNT,
  cardActionValue,
  conversationUpdateBotRemoved,
  installationUpdateRemove,
  searchQueryValue,
  CHANNEL_ID,
  GROUP_CHAT_ID,
  LEGACY_CHANNEL_ID,
  TEAM_ID,
  conversationUpdateBotAdded,
  installationUpdateAdd,
  invokeActivity,
  messageActionValue,
  messageActivity,
} from '../src';

const serviceUrl = 'http://127.0.0.1:1/';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8'));
}

/** Dotted paths of every object key, arrays walked by their first element. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length ? keyPaths(value[0], `${path}[]`) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return [childPath, ...keyPaths(child, childPath)];
  });
}

function assertShapedLike(built: unknown, sample: unknown, docsOnly: string[] = []): void {
  const have = new Set(keyPaths(built));
  const missing = keyPaths(sample).filter((path) => !have.has(path) && !docsOnly.some((skip) => path.startsWith(skip)));
  assert.deepEqual(missing, [], 'fields of the published sample the builder lacks');
}

describe('activities', () => {
  describe('messageActivity', () => {
    it('mentions the bot in a channel the way Teams does, in a thread of its own', () => {
      const activity = messageActivity({ text: 'help', conversationType: 'channel', serviceUrl });
      assert.equal(activity.text, '<at>Jira</at> help');
      assert.deepEqual(activity.entities![0], { type: 'mention', text: '<at>Jira</at>', mentioned: { id: BOT_ACCOUNT.id, name: 'Jira' } });
      assert.equal(activity.conversation.id, `${CHANNEL_ID};messageid=${activity.id}`);
      assert.equal(activity.channelData.team.id, TEAM_ID);
      assert.equal(activity.channelData.channel.id, CHANNEL_ID);
      assert.equal(activity.conversation.isGroup, true);
      // botbuilder's own mention stripping finds the text the bot should act on.
      assert.equal(TurnContext.removeRecipientMention(activity as unknown as Partial<Activity>).trim(), 'help');
    });

    it('mentions the bot in a group chat, without team data', () => {
      const activity = messageActivity({ text: 'status', conversationType: 'groupChat', serviceUrl });
      assert.equal(activity.conversation.id, GROUP_CHAT_ID);
      assert.equal(activity.text, '<at>Jira</at> status');
      assert.equal(activity.channelData.team, undefined);
    });

    it('sends plain text in a personal chat, unless a mention is asked for', () => {
      const plain = messageActivity({ text: 'connect', conversationType: 'personal', serviceUrl });
      assert.equal(plain.text, 'connect');
      assert.equal(plain.conversation.conversationType, 'personal');
      assert.equal(plain.conversation.isGroup, undefined);
      assert.ok(!plain.entities!.some((e) => e.type === 'mention'));
      const mentioned = messageActivity({ text: 'connect', conversationType: 'personal', mention: true, serviceUrl });
      assert.equal(mentioned.text, '<at>Jira</at> connect');
    });

    it('keeps a thread id and supports legacy @thread.skype channels', () => {
      const reply = messageActivity({ text: 'x', conversationType: 'channel', conversationId: `${LEGACY_CHANNEL_ID};messageid=42`, serviceUrl });
      assert.equal(reply.conversation.id, `${LEGACY_CHANNEL_ID};messageid=42`);
      assert.equal(reply.channelData.teamsChannelId, LEGACY_CHANNEL_ID);
    });

    it('takes a sender and overrides', () => {
      const from = { id: '29:someone', name: 'Some One', aadObjectId: 'aad-1' };
      const activity = messageActivity({ text: 'x', from, serviceUrl, overrides: { locale: 'de-DE' } });
      assert.deepEqual(activity.from, from);
      assert.equal(activity.locale, 'de-DE');
      assert.equal(activity.serviceUrl, serviceUrl);
    });
  });

  describe('conversationUpdateBotAdded', () => {
    it('has every field of the published team sample', () => {
      const activity = conversationUpdateBotAdded({ conversationType: 'channel', serviceUrl });
      assertShapedLike(activity, fixture('conversationUpdate.bot-added-to-team.json'), ['channelData.team.aadGroupId', 'channelData.team.name', 'conversation.name']);
      assert.equal(activity.channelData.eventType, 'teamMemberAdded');
      assert.deepEqual(activity.membersAdded, [{ id: BOT_ACCOUNT.id }]);
    });

    it('has every field of the published personal-chat sample', () => {
      const activity = conversationUpdateBotAdded({ conversationType: 'personal', serviceUrl });
      assertShapedLike(activity, fixture('conversationUpdate.bot-added-to-personal-chat.json'), ['membersAdded[].aadObjectId']);
      assert.equal(activity.channelData.eventType, undefined);
    });
  });

  describe('conversationUpdateBotRemoved', () => {
    it('has every field of the published member-removed sample', () => {
      const activity = conversationUpdateBotRemoved({ conversationType: 'channel', conversationId: LEGACY_CHANNEL_ID, serviceUrl });
      assertShapedLike(activity, fixture('conversationUpdate.teamMemberRemoved.docs.json'));
      assert.deepEqual(activity.membersRemoved, [{ id: BOT_ACCOUNT.id }]);
      assert.equal(activity.channelData.eventType, 'teamMemberRemoved');
    });
  });

  describe('installationUpdateRemove', () => {
    it('is the add envelope with action remove', () => {
      const activity = installationUpdateRemove({ conversationType: 'personal', serviceUrl });
      assert.equal(activity.type, 'installationUpdate');
      assert.equal(activity.action, 'remove');
    });
  });

  describe('installationUpdateAdd', () => {
    it('has every field of the published team-channel sample', () => {
      const activity = installationUpdateAdd({ conversationType: 'channel', serviceUrl });
      assertShapedLike(activity, fixture('installationUpdate.add.team-channel.json'), ['channelData.team.aadGroupId', 'channelData.team.name', 'conversation.name']);
      assert.equal(activity.action, 'add');
    });
  });

  describe('invokeActivity', () => {
    it('builds a link unfurl like the anonymous group-chat sample', () => {
      const activity = invokeActivity('composeExtension/queryLink', { url: 'https://acme.atlassian.net/browse/KAN-1' }, { conversationType: 'groupChat', serviceUrl });
      assertShapedLike(activity, fixture('composeExtension.anonymousQueryLink.groupChat.docs.json'), ['localTimezone', 'conversation.name']);
      assertShapedLike(activity, fixture('composeExtension.queryLink.minimal.docs.json'));
      assert.equal(activity.name, 'composeExtension/queryLink');
      assert.equal(activity.channelData.source.name, 'compose');
    });

    it('builds a message action fetchTask like the channel-reply sample', () => {
      const value = messageActionValue({ commandId: 'createIssue', html: '<p>Login fails</p>', conversationId: CHANNEL_ID });
      const activity = invokeActivity('composeExtension/fetchTask', value, { conversationType: 'channel', serviceUrl });
      assertShapedLike(activity, fixture('composeExtension.fetchTask.messagePayload.channel-reply.json'), [
        // Sample-specific: the sample message mentions a webhook; the conversation name is optional.
        'value.messagePayload.mentions[]',
        'conversation.name',
      ]);
      assert.equal(value.messagePayload.linkToMessage, `https://teams.microsoft.com/l/message/${CHANNEL_ID}/${value.messagePayload.id}`);
    });

    it('builds a submitAction like the published sample', () => {
      const value = { commandId: 'createIssue', commandContext: 'message', context: { theme: 'default' }, data: { summary: 'x' } };
      const activity = invokeActivity('composeExtension/submitAction', value, { conversationType: 'channel', serviceUrl });
      assertShapedLike(activity, fixture('composeExtension.submitAction.shortened.json'), ['imdisplayname', 'value.data']);
    });

    it('builds a search query with Teams paging', () => {
      const activity = invokeActivity('composeExtension/query', searchQueryValue({ commandId: 'searchIssues', query: 'login' }), { serviceUrl });
      assert.deepEqual(activity.value, { commandId: 'searchIssues', parameters: [{ name: 'searchQuery', value: 'login' }], queryOptions: { skip: 0, count: 25 } });
    });

    it('builds an Action.Execute invoke for the card message', () => {
      const value = cardActionValue({ verb: 'jira.assign', id: 'assign', data: { key: 'KAN-1' } });
      assert.deepEqual(value, { action: { type: 'Action.Execute', id: 'assign', verb: 'jira.assign', data: { key: 'KAN-1' } }, trigger: 'manual' });
      const activity = invokeActivity('adaptiveCard/action', value, { conversationType: 'channel', replyToId: '1700000000001', serviceUrl });
      assertShapedLike(activity, fixture('adaptiveCard.action.request-format.template.json'));
      assert.equal(activity.replyToId, '1700000000001');
      assert.equal(activity.channelData.source, undefined);
    });
  });
});
