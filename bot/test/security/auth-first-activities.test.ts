import assert from 'node:assert/strict';
import http from 'node:http';
import { messageActivity, postActivity, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { MAX_ACTIVITY_BYTES } from '../../src/http/read-activity';
import { startSignedBot, type SignedBot } from '../support/start-signed-bot';
import { startTestBot, type TestBot } from '../support/start-test-bot';

/**
 * Sends the headers and only the first part of a large body, and reports what the server answers
 * while the rest is still owed. A server that reads (and parses) the body before checking the
 * token cannot answer at all until the body is complete.
 */
function postUnfinished(url: string, headers: Record<string, string>, declaredBytes: number, sentBytes: number): Promise<number | 'no answer'> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declaredBytes), ...headers } });
    const giveUp = setTimeout(() => {
      request.destroy();
      resolve('no answer');
    }, 5_000);
    request.on('response', (response) => {
      clearTimeout(giveUp);
      response.resume();
      request.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', (error) => {
      clearTimeout(giveUp);
      // The server may close while we are still writing: the answer already came or never will.
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE') resolve('no answer');
      else reject(error);
    });
    request.write(`{"type":"message","text":"${'x'.repeat(sentBytes)}`);
  });
}

/**
 * Issue #15 item 6: /api/messages read and parsed up to 4 MB before checking the token. Now, with
 * BOT_ID set, the token is checked from the header first, and an activity may be 512 KB at most.
 */
describe('security: /api/messages authenticates before reading the body', () => {
  let signed: SignedBot;

  before(async () => {
    signed = await startSignedBot();
  });
  after(() => signed?.close());

  it('answers 401 to a request without a token while its 3 MB body is still unsent', async () => {
    assert.equal(await postUnfinished(signed.testBot.messagesUrl, {}, 3 * 1024 * 1024, 64 * 1024), 401);
  });

  it('answers 401 to a forged token while its body is still unsent', async () => {
    const forged = await signed.botFrameworkToken({ signedBy: 'unpublished-key' });
    assert.equal(await postUnfinished(signed.testBot.messagesUrl, { authorization: `Bearer ${forged}` }, 3 * 1024 * 1024, 64 * 1024), 401);
  });

  it('takes a genuine activity, and refuses one over 512 KB with 413 even with a good token', async () => {
    const token = await signed.botFrameworkToken();
    const fine = messageActivity({ serviceUrl: signed.connector.url, conversationType: 'personal', text: `help ${'y'.repeat(90_000)}` });
    assert.notEqual((await postActivity(signed.testBot.messagesUrl, fine, { token })).status, 413);
    const huge = messageActivity({ serviceUrl: signed.connector.url, conversationType: 'personal', text: 'z'.repeat(MAX_ACTIVITY_BYTES) });
    assert.equal((await postActivity(signed.testBot.messagesUrl, huge, { token })).status, 413);
  });
});

describe('security: activity body limit in local mode', () => {
  let connector: BotConnector;
  let testBot: TestBot;
  before(async () => {
    connector = await startBotConnector();
    testBot = await startTestBot();
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
  });

  it('refuses a 1 MB activity with 413 (the old limit was 4 MB)', async () => {
    const huge = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'z'.repeat(1024 * 1024) });
    assert.equal((await postActivity(testBot.messagesUrl, huge)).status, 413);
  });

  it('keeps the tab API and pages at 64 KB', async () => {
    const response = await fetch(`${testBot.bot.url}/auth/atlassian/site`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ choice: 'c'.repeat(100 * 1024), cloudId: 'x' }),
    });
    assert.equal(response.status, 413);
  });
});
