import assert from 'node:assert/strict';
import { messageActivity, postActivity, TEAMS_USER } from '../../../dev/bot-connector-emu/src';
import { oauthAppEnvWithCallback } from '../support/connect-as';
import { useAssembledBot } from '../support/use-assembled-bot';

const BOB_TEAMS = { id: '29:bob-builder', name: 'Bob Builder', aadObjectId: 'b0b00000-0000-4000-8000-000000000002' };
const ALICE_CHAT = 'a:alice-personal-chat';
const BOB_CHAT = 'a:bob-personal-chat';

/**
 * Issue #15 item 2: the assembled service, the Bot Connector emulation and the simulator's
 * Atlassian authorization server. Alice (Megan, the emulation's default user) asks for a sign-in
 * link; Bob Builder opens it and consents with his own Atlassian account. Before the fix Alice's
 * status then said "Connected as Bob Builder". Now consent only yields a code, and only the
 * asker sending it connects; anyone else sending it connects nobody and the asker is told.
 */
describe('security: a sign-in link connects only the Teams user who asked for it', () => {
  const given = useAssembledBot(async ({ sim }) => ({ ...(await oauthAppEnvWithCallback(sim)), ALERT_POLL_INTERVAL_SECONDS: '0' }));

  async function say(text: string, who: 'alice' | 'bob' = 'alice') {
    const conversationId = who === 'alice' ? ALICE_CHAT : BOB_CHAT;
    const activity = messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', conversationId, text, ...(who === 'bob' ? { from: BOB_TEAMS } : {}) });
    const before = given.connector.activities().filter((a) => a.conversationId === conversationId).length;
    assert.equal((await postActivity(given.testBot.messagesUrl, activity)).status, 200);
    const all = await given.connector.waitForActivities(before + 1, { conversationId });
    return all[all.length - 1].body;
  }

  /** Opens a start link in a browser and consents as a simulator user; returns the final page. */
  async function consentAs(startLink: string, simUser: string): Promise<{ status: number; page: string }> {
    const start = await fetch(startLink, { redirect: 'manual' });
    if (start.status !== 302) return { status: start.status, page: await start.text() };
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('account_id', given.sim.state.site.users.find((u) => u.displayName === simUser)!.accountId);
    const consent = await fetch(authorize, { redirect: 'manual' });
    const callback = await fetch(consent.headers.get('location')!);
    return { status: callback.status, page: await callback.text() };
  }

  const codeOn = (page: string) => /id="sign-in-code">([A-Z2-9]{4}-[A-Z2-9]{4})</.exec(page)?.[1];
  const signInLinkIn = (card: any): string => card.attachments[0].content.actions.find((a: { type: string }) => a.type === 'Action.OpenUrl').url;

  it('a link Bob opens and consents to connects nobody, even when Bob sends the code, and Alice is told', async () => {
    const link = signInLinkIn(await say('connect'));
    const { status, page } = await consentAs(link, 'Bob Builder');
    assert.equal(status, 200);
    assert.doesNotMatch(page, /You are connected/);
    const code = codeOn(page);
    assert.ok(code, 'the page shows a code to send in Teams');

    // Alice hears of it at once, whether or not Bob ever sends the code.
    const aliceMessages = () => given.connector.activities().filter((a) => a.conversationId === ALICE_CHAT);
    await given.connector.waitFor(() => aliceMessages().some((a) => /signed in to Atlassian from your sign-in link/.test(String(a.body?.text))));
    const heads = aliceMessages().find((a) => /signed in to Atlassian from your sign-in link/.test(String(a.body?.text)))!;
    assert.match(heads.body.text, /as \*\*Bob Builder\*\*.*If it was not you, do nothing: nothing is connected/);

    // Nothing is connected by consent alone: this is where the old flow said "Connected as Bob Builder".
    assert.doesNotMatch((await say('status')).text, /Connected/);

    const toBob = await say(code, 'bob');
    assert.match(toBob.text, /nothing was connected/);
    const [toAlice] = given.connector
      .activities()
      .filter((a) => a.conversationId === ALICE_CHAT)
      .slice(-1);
    assert.match(toAlice.body.text, /Someone else finished the Atlassian sign-in/);
    assert.doesNotMatch((await say('status')).text, /Connected/);
    assert.doesNotMatch((await say('status', 'bob')).text, /Connected/);
    // The code is spent: Alice cannot be talked into sending it afterwards either.
    assert.match((await say(code)).text, /expired or was already used/);
  });

  it('a start link works once: a forwarded copy opened later starts nothing', async () => {
    const link = signInLinkIn(await say('connect'));
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
    const forwarded = await consentAs(link, 'Bob Builder');
    assert.equal(forwarded.status, 400);
    assert.match(forwarded.page, /already opened/);
  });

  it('the asker sending the code connects the account that consented', async () => {
    const { page } = await consentAs(signInLinkIn(await say('connect')), 'Alice Admin');
    const code = codeOn(page)!;
    assert.match((await say(code)).text, /You are connected to .+ as \*\*Alice Admin\*\*/);
    assert.match((await say('status')).text, /as \*\*Alice Admin\*\*/);
    assert.equal(TEAMS_USER.name, 'Megan Bowen', 'the Teams user is the emulation default, not the Jira account');
  });
});
