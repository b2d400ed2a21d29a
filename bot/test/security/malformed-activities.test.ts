import assert from 'node:assert/strict';
import { invokeActivity, messageActivity, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startSignedBot, type SignedBot } from '../support/start-signed-bot';
import { startTestBot, type TestBot } from '../support/start-test-bot';

/** Writes to the process's own stdout/stderr while `work` runs (what bypasses the logger). */
async function rawOutputDuring(work: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const stderr = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: unknown, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (stderr as (...a: unknown[]) => boolean)(chunk, ...rest);
  };
  try {
    await work();
  } finally {
    process.stderr.write = stderr;
  }
  return written;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

/**
 * Issue #15 items 10 and 9: hostile activity shapes used to end as 500 inside botbuilder or a
 * handler, and botbuilder printed about a dozen raw stderr lines per refused activity, past the
 * redacting logger. Each shape below is a 400 now, and nothing reaches stderr.
 */
describe('security: malformed activities get 400, and botbuilder prints nothing raw', () => {
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

  const good = () => messageActivity({ serviceUrl: connector.url, conversationType: 'personal', text: 'help' }) as unknown as Record<string, any>;
  const deep = (levels: number) => {
    let value: unknown = 'x';
    for (let i = 0; i < levels; i += 1) value = { v: value };
    return value;
  };
  const shapes: Array<[string, () => unknown]> = [
    ['an array', () => [good()]],
    ['a string', () => 'message'],
    ['null', () => null],
    ['no type', () => ({ ...good(), type: undefined })],
    ['a numeric type', () => ({ ...good(), type: 7 })],
    ['an object type', () => ({ ...good(), type: { message: true } })],
    ['no conversation', () => ({ ...good(), conversation: undefined })],
    ['a string conversation', () => ({ ...good(), conversation: '19:abc' })],
    ['a conversation without id', () => ({ ...good(), conversation: { conversationType: 'personal' } })],
    ['a numeric conversation id', () => ({ ...good(), conversation: { id: 42 } })],
    ['no from', () => ({ ...good(), from: undefined })],
    ['from as a list', () => ({ ...good(), from: ['29:x'] })],
    ['no serviceUrl', () => ({ ...good(), serviceUrl: undefined })],
    ['a serviceUrl that is not a URL', () => ({ ...good(), serviceUrl: 'not a url' })],
    ['a file: serviceUrl', () => ({ ...good(), serviceUrl: 'file:///etc/passwd' })],
    ['a timestamp that is not a date', () => ({ ...good(), timestamp: 'yesterday-ish' })],
    ['numeric text', () => ({ ...good(), text: 12345 })],
    ['attachments as an object', () => ({ ...good(), attachments: { contentType: 'text/html' } })],
    ['an attachment without a content type', () => ({ ...good(), attachments: [{ content: 'x' }] })],
    ['entities of strings', () => ({ ...good(), entities: ['mention'] })],
    ['channelData.tenant as a string', () => ({ ...good(), channelData: { tenant: 'b28fdbfd' } })],
    ['membersAdded without ids', () => ({ ...good(), type: 'conversationUpdate', membersAdded: [{}] })],
    ['1,000 levels of nesting in value', () => ({ ...good(), value: deep(1000) })],
    ['a huge recipient id', () => ({ ...good(), recipient: { id: 'r'.repeat(100_000) } })],
  ];

  for (const [what, shape] of shapes) {
    it(`answers 400 to ${what}`, async () => {
      const answer = await post(testBot.messagesUrl, JSON.stringify(shape()));
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.text, /not valid JSON|malformed/);
    });
  }

  it('answers 400 to a body that is not JSON, and 415 to one that is not declared JSON', async () => {
    assert.equal((await post(testBot.messagesUrl, '{"type": "message", ')).status, 400);
    const form = await fetch(testBot.messagesUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'type=message' });
    assert.equal(form.status, 415);
  });

  it('still answers a well-formed activity, and an invoke with a hostile value without a 5xx', async () => {
    assert.equal((await post(testBot.messagesUrl, JSON.stringify(good()))).status, 200);
    const invoke = invokeActivity(
      'composeExtension/query',
      { commandId: { evil: true }, parameters: 'nope', queryOptions: [] },
      { serviceUrl: connector.url, conversationType: 'personal' },
    );
    assert.ok((await post(testBot.messagesUrl, JSON.stringify(invoke))).status < 500);
  });
});

describe('security: botbuilder console output goes through the logger', () => {
  let signed: SignedBot;
  before(async () => {
    signed = await startSignedBot();
  });
  after(() => signed?.close());

  it('writes nothing to stderr for refused tokens, and logs them as structured lines', async () => {
    const activity = messageActivity({ serviceUrl: signed.connector.url, conversationType: 'personal', text: 'help' });
    const body = JSON.stringify(activity);
    const written = await rawOutputDuring(async () => {
      const forged = await signed.botFrameworkToken({ signedBy: 'unpublished-key' });
      const otherBot = await signed.botFrameworkToken({ appId: '00000000-0000-0000-0000-0000000000ff' });
      const otherUrl = await signed.botFrameworkToken({ serviceUrl: 'https://smba.example.com/' });
      for (const token of [forged, otherBot, otherUrl, 'not-a-jwt']) {
        assert.equal((await post(signed.testBot.messagesUrl, body, { authorization: `Bearer ${token}` })).status, 401);
      }
    });
    assert.deepEqual(written, [], 'nothing raw on stderr');
    const refusals = signed.testBot.logs
      .raw()
      .split('\n')
      .filter((line) => /token refused/.test(line));
    assert.ok(refusals.length >= 3, signed.testBot.logs.raw().slice(-2000));
    for (const line of refusals) assert.doesNotThrow(() => JSON.parse(line));
  });
});
