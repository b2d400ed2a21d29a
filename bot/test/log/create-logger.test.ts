import assert from 'node:assert/strict';
import { createLogger } from '../../src/log/create-logger';
import { captureLogs } from '../support/capture-logs';

describe('createLogger', () => {
  it('writes structured JSON with level names', () => {
    const logs = captureLogs();
    createLogger({ level: 'info', destination: logs.stream }).info({ conversationId: '19:x@thread.tacv2' }, 'hello');
    const [line] = logs.lines();
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'hello');
    assert.equal(line.conversationId, '19:x@thread.tacv2');
  });

  it('keeps tokens, emails and message text out of the log, keeping ids', () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'debug', destination: logs.stream });
    logger.info(
      {
        accessToken: 'at-SECRET-1',
        refresh_token: 'rt-SECRET-2',
        headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-SECRET-3' },
        user: { email: 'ana@example.com', accountId: '5b10a2844c20165700ede21g' },
        activity: { id: 'act-1', text: 'my private message SECRET-4', conversation: { id: 'conv-1' } },
        note: 'contact bob@example.org or use Basic YWxpY2U6c2VjcmV0LXRva2Vu',
        apiToken: 'SECRET-5',
        client_secret: 'SECRET-6',
      },
      'user ana@example.com connected',
    );
    logger.error({ err: new Error('token Bearer abcdefghijklmnop-SECRET-7 rejected for carol@example.net') }, 'failed');
    const raw = logs.raw();
    for (const secret of ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6', 'SECRET-7', 'YWxpY2U6c2VjcmV0LXRva2Vu']) {
      assert.ok(!raw.includes(secret), `${secret} leaked: ${raw}`);
    }
    for (const email of ['ana@example.com', 'bob@example.org', 'carol@example.net']) {
      assert.ok(!raw.includes(email), `${email} leaked`);
    }
    assert.ok(raw.includes('5b10a2844c20165700ede21g'), 'account ids stay');
    assert.ok(raw.includes('act-1') && raw.includes('conv-1'), 'activity and conversation ids stay');
  });

  it('keeps Teams conversation ids, which look like addresses', () => {
    const logs = captureLogs();
    const ids = ['19:abc@thread.tacv2', '19:def@thread.skype', '19:ghi@unq.gbl.spaces'];
    createLogger({ level: 'info', destination: logs.stream }).info({ conversationIds: ids }, 'ids');
    assert.deepEqual(logs.lines()[0].conversationIds, ids);
  });
});
