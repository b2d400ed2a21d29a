import assert from 'node:assert/strict';
import { CHANNEL_ID, TEAM_ID, TEAMS_USER, invokeActivity, messageActivity, postActivity } from '../../../dev/bot-connector-emu/src';
import { Verb } from '../../src/cards/verb';
import { BOB, BOB_CHAT, startAlertStack, type AlertStack } from '../alerts/start-alert-stack';
import { CONNECTION_KINDS } from '../support/connect-as';
import { cardText } from '../support/validate-card';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Well below HOLD_S: a call held with the refused one would take longer. */
const PROMPT_MS = 5_000;
/** Retry-After of the 429s below: within an interactive call's 15 s deadline, so the call waits it out. */
const HOLD_S = 9;

/**
 * Issue #17 defect 1 through the assembled service (startBot, the Jira simulator, the Bot Connector
 * emulation): a 429 holds only what its limit covers. Before, any 429 held the whole site for its
 * Retry-After, so one search refused for 60 s made every unfurl and `show` of the site wait 15 s
 * and fail, and a per-issue write limit stopped every read.
 */
for (const via of CONNECTION_KINDS)
  describe(`a 429 from Jira in the assembled service holds only what its limit covers (${via} connections)`, function () {
    let stack: AlertStack;
    // Each case waits out one Retry-After, and the write case first waits for the start of a window.
    this.timeout(60_000);

    before(async () => {
      stack = await startAlertStack({ realism: {}, events: ['comment_deleted'], via });
    });
    after(() => stack?.close());
    afterEach(() => {
      stack.sim.faults.clear();
      stack.sim.setRealism({ issueWriteLimit: { enabled: false } });
    });

    const summaryOf = (key: string) => String(stack.sim.state.issue(key)!.values.summary);
    const host = () => new URL(stack.sim.url).host;

    /** Alice's invoke in the team's channel; resolves the bot's answer and how long it took. */
    async function invoke(name: Parameters<typeof invokeActivity>[0], value: unknown): Promise<{ body: any; ms: number }> {
      const started = Date.now();
      const answer = await postActivity(
        stack.testBot.messagesUrl,
        invokeActivity(name, value, { serviceUrl: stack.connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, teamId: TEAM_ID, from: TEAMS_USER }),
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return { body: answer.body, ms: Date.now() - started };
    }

    const unfurl = async (url: string) => {
      const { body, ms } = await invoke('composeExtension/queryLink', { url });
      return { text: cardText(body.composeExtension.attachments[0].content), ms };
    };

    /** Bob's `show KEY` in his chat with the bot. */
    async function show(key: string): Promise<{ text: string; ms: number }> {
      stack.connector.clear();
      const started = Date.now();
      const sent = await postActivity(
        stack.testBot.messagesUrl,
        messageActivity({ serviceUrl: stack.connector.url, conversationType: 'personal', conversationId: BOB_CHAT, from: BOB, text: `show ${key}` }),
      );
      assert.equal(sent.status, 200);
      const [reply] = await stack.connector.waitForActivities(1, { conversationId: BOB_CHAT, timeoutMs: 20_000 });
      const card = reply.body.attachments?.find((a: { contentType: string }) => a.contentType === ADAPTIVE_CARD)?.content;
      return { text: card ? cardText(card) : String(reply.body.text ?? ''), ms: Date.now() - started };
    }

    const assertServed = (answer: { text: string; ms: number }, key: string) => {
      assert.ok(answer.text.includes(summaryOf(key).slice(0, 12)), `${key} is shown: ${answer.text}`);
      assert.doesNotMatch(answer.text, /Jira is busy/);
      assert.ok(answer.ms < PROMPT_MS, `${key} took ${answer.ms} ms`);
    };

    /** Resolves once `check` holds, polling every 20 ms. */
    async function until(check: () => boolean): Promise<void> {
      const deadline = Date.now() + 5_000;
      while (!check()) {
        assert.ok(Date.now() < deadline, 'timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('while a search waits out a 429 on its endpoint, an unfurl and `show` of the same site are served at once', async () => {
      // A 429 naming no limit is taken as the endpoint's burst limit. Its wait fits within an
      // interactive call's deadline, so the search waits it out rather than failing.
      stack.sim.faults.add({ status: 429, count: 1, pathPrefix: '/rest/api/3/search/jql', retryAfterSeconds: HOLD_S });
      const search = unfurl(`${stack.sim.url}/issues/?jql=${encodeURIComponent('project = PHX ORDER BY key ASC')}`);
      await until(() => stack.sim.faults.pending().length === 0);

      assertServed(await unfurl(`${stack.sim.url}/browse/PHX-11`), 'PHX-11');
      assertServed(await show('PHX-12'), 'PHX-12');

      const searched = await search;
      assert.ok(searched.ms >= (HOLD_S - 1) * 1000, `the search waited out Retry-After (${searched.ms} ms)`);
      assert.match(searched.text, /PHX\\-1\b/);
    });

    it("a write waiting out its issue's write limit holds neither reads of that issue nor writes to other issues", async () => {
      const { sim } = stack;
      sim.setRealism({ issueWriteLimit: { enabled: true, writes: 1, windowSeconds: HOLD_S } });
      // The simulator counts an issue's writes in windows aligned to the clock: start at one's beginning,
      // so the bot's write is held for nearly the whole window.
      await new Promise((resolve) => setTimeout(resolve, HOLD_S * 1000 - (Date.now() % (HOLD_S * 1000)) + 50));
      // Someone else's edit uses PHX-5's one write of the window.
      await stack.jira('carol', 'PUT', '/rest/api/3/issue/PHX-5', { fields: { labels: ['edited-in-jira'] } });

      const alice = sim.state.userByEmail('alice@example.com')!.accountId;
      const assign = (key: string) => invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: Verb.Assign, data: { key, site: host() } }, trigger: 'manual' });
      const held = assign('PHX-5');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.notEqual(sim.state.issue('PHX-5')!.values.assignee, alice, 'the write to PHX-5 is held');

      assertServed(await show('PHX-5'), 'PHX-5');
      const other = await assign('PHX-6');
      assert.doesNotMatch(cardText(other.body.value), /Jira is busy/);
      assert.ok(other.ms < PROMPT_MS, `the write to another issue took ${other.ms} ms`);
      assert.equal(sim.state.issue('PHX-6')!.values.assignee, alice);

      const done = await held;
      assert.match(cardText(done.body.value), /PHX\\-5 is assigned to you\./);
      assert.ok(done.ms >= PROMPT_MS, `the held write waited for the next window (${done.ms} ms)`);
      assert.equal(sim.state.issue('PHX-5')!.values.assignee, alice);
    });
  });
