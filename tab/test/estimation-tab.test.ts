import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { messageActivity, postActivity } from '../../dev/bot-connector-emu/src';
import { DEFAULT_MEETING_CHAT_ID } from '../../dev/teams-host-emu/src';
import { attendee, startTabStack, TENANT, waitForTabFrame, type OpenTab, type TabStack } from './support/start-tab-stack';

/** `TAB_SCREENSHOTS=1`: keep a picture of the reveal for people (docs/images/estimation-round.png comes from it); never a check. */
const SCREENSHOTS = path.resolve(__dirname, '../../screenshots/tab');
const KEEP_SCREENSHOTS = process.env.TAB_SCREENSHOTS === '1';

const ALICE = attendee('Alice Admin', 1, 'alice');
const BOB = attendee('Bob Builder', 2, 'bob');
const VICTOR = attendee('Victor Viewer', 8, 'victor');

/**
 * Every answer of the tab API and every byte of its event stream, as the tab's own fetch received
 * them, kept in `window.__wire` of the tab's frame: what the wire carried is checked there.
 */
const RECORD_WIRE = `(() => {
  if (!location.pathname.startsWith('/tab/')) return;
  const wire = (window.__wire = []);
  const original = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await original(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (url.includes('/api/tab/') && response.body) {
      const reader = response.clone().body.getReader();
      const decoder = new TextDecoder();
      (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            wire.push(decoder.decode(value, { stream: true }));
          }
        } catch {}
      })();
    }
    return response;
  };
})();`;

async function eventually(check: () => Promise<unknown>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const panel = (tab: Frame) => tab.locator('section.estimation');
const panelText = async (tab: Frame) => (await panel(tab).textContent()) ?? '';
const wireOf = (tab: Frame) => tab.evaluate<string>('(window.__wire || []).join("")');

/**
 * Planning poker through the Teams host emulation: Alice and Bob vote in their side panels,
 * Victor observes on the stage; the bot, the Jira simulator and the SSO emulation are real.
 */
describe('estimation rounds in Chromium', function () {
  this.timeout(90_000);
  let stack: TabStack;

  before(async () => {
    stack = await startTabStack();
    for (const who of [ALICE, BOB, VICTOR]) await stack.connect(who);
  });
  after(async () => {
    await stack?.close();
  });

  it('hides votes from everyone until the reveal, reaches all three, survives a reload, re-votes, writes the accepted value to the board field, and recaps it in the meeting chat', async () => {
    const id = await stack.createBacklog(ALICE, 'Poker', 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
    const open = (who: typeof ALICE, context: 'sidePanel' | 'meetingStage') => stack.open(who, `/tab/?view=backlog&backlog=${id}`, { context, initScript: RECORD_WIRE });
    const alice = await open(ALICE, 'sidePanel');
    let bob: OpenTab = await open(BOB, 'sidePanel');
    const victor = await open(VICTOR, 'meetingStage');
    for (const { tab } of [alice, bob, victor]) await tab.locator('.live-live').waitFor();
    const key = (await alice.tab.locator('li.row').first().getAttribute('data-key'))!;

    // Alice starts the round from the row; every panel shows it.
    await alice.tab.getByRole('button', { name: `Estimate ${key} together` }).click();
    for (const { tab } of [alice, bob, victor]) await eventually(async () => assert.match(await panelText(tab), new RegExp(`${key}.*Pick a card`)));

    // Victor observes: his cards are off.
    await victor.tab.getByRole('checkbox', { name: 'Observe without voting' }).click();
    await eventually(async () => assert.match(await panelText(alice.tab), /Observing: Victor Viewer/));
    assert.equal(await victor.tab.getByRole('button', { name: 'Vote 5', exact: true }).isDisabled(), true);

    // Bob clicks, Alice uses the keyboard.
    await bob.tab.getByRole('button', { name: 'Vote 5', exact: true }).click();
    await alice.tab.getByRole('button', { name: 'Vote 8', exact: true }).focus();
    await alice.page.keyboard.press('Enter');
    for (const { tab } of [alice, bob, victor]) await eventually(async () => assert.match(await panelText(tab), /Voted: Bob Builder, Alice Admin\./));
    assert.equal(await alice.tab.getByRole('button', { name: 'Vote 8', exact: true }).getAttribute('aria-pressed'), 'true');

    // Nothing any of the three received so far names a card: not the answers, not the event stream.
    for (const { tab } of [alice, bob, victor]) {
      const wire = await wireOf(tab);
      assert.match(wire, /event: estimation/, 'the stream carried the round');
      assert.doesNotMatch(wire, /"card"|"result"|"votes"/);
    }

    // Bob reloads mid-round: the round, and that he voted, are still there.
    await bob.page.reload();
    bob = { page: bob.page, tab: await waitForTabFrame(bob.page) };
    await eventually(async () => assert.match(await panelText(bob.tab), /Voted: Bob Builder, Alice Admin\..*You voted/));

    // The observer reveals; all three see the votes and the numbers.
    await victor.tab.getByRole('button', { name: 'Reveal votes' }).click();
    for (const { tab } of [alice, bob, victor]) {
      await eventually(async () => assert.match(await panelText(tab), /Bob Builder\s*5.*Alice Admin\s*8.*Median 6\.5, average 6\.5\. No consensus\./));
    }

    if (KEEP_SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await alice.page.screenshot({ path: path.join(SCREENSHOTS, 'estimation-side-panel.png') });
      await victor.page.screenshot({ path: path.join(SCREENSHOTS, 'estimation-stage.png') });
    }

    // A re-vote clears the votes everywhere; then both say 5.
    await bob.tab.getByRole('button', { name: 'Re-vote' }).click();
    for (const { tab } of [alice, bob, victor]) await eventually(async () => assert.match(await panelText(tab), /Re-vote 1\. Nobody has voted yet\./));
    await alice.tab.getByRole('button', { name: 'Vote 5', exact: true }).click();
    await bob.tab.getByRole('button', { name: 'Vote 5', exact: true }).click();
    await eventually(async () => assert.match(await panelText(alice.tab), /Voted: (Alice Admin, Bob Builder|Bob Builder, Alice Admin)\./));
    await alice.tab.getByRole('button', { name: 'Reveal votes' }).click();
    await eventually(async () => assert.match(await panelText(bob.tab), /Median 5, average 5\. Consensus\./));

    // Bob accepts the suggested value; the simulator's board field (Story Points) has it.
    assert.equal(await bob.tab.getByRole('textbox', { name: 'Value to accept' }).inputValue(), '5');
    await bob.tab.getByRole('button', { name: 'Accept into Jira' }).click();
    await eventually(async () => assert.equal((await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}`)).body.fields.customfield_10016, 5));
    for (const { tab } of [alice, bob, victor]) await eventually(async () => assert.match(await panelText(tab), /Bob Builder accepted 5 \(Story Points\)/));
    await eventually(async () => assert.equal(await alice.tab.locator(`li.row[data-key="${key}"] .c-estimate`).textContent(), '5'));

    // Teams ends the meeting: the recap card in the meeting chat names the issue and the value.
    const cards = () =>
      stack.connector
        .activities(DEFAULT_MEETING_CHAT_ID)
        .map((call) => call.body?.attachments?.[0])
        .filter((a) => a?.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => JSON.stringify(a.content));
    const ended = messageActivity({
      serviceUrl: stack.connector.url,
      conversationType: 'groupChat',
      conversationId: DEFAULT_MEETING_CHAT_ID,
      tenantId: TENANT,
      from: { id: `29:${ALICE.aadObjectId}`, name: ALICE.name, aadObjectId: ALICE.aadObjectId },
      text: '',
      overrides: { type: 'event', name: 'application/vnd.microsoft.meetingEnd', text: undefined, attachments: undefined, entities: undefined, value: { Title: 'Grooming' } },
    });
    assert.ok((await postActivity(stack.bot.messagesUrl, ended)).status < 300);
    await stack.connector.waitFor(() => cards().some((card) => card.includes('Meeting recap')));
    const recap = cards().find((card) => card.includes('Meeting recap'))!;
    assert.match(recap, new RegExp(`Estimated \\(1\\).*${key.replace('-', '\\\\\\\\-')}.*→ 5 \\(Story Points\\)`));
    assert.ok(recap.includes(`"url":"${stack.sim.url}/browse/${key}"`), recap);
  });
});
