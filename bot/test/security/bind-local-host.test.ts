import assert from 'node:assert/strict';
import { readConfig } from '../../src/config';
import { startTestBot, type TestBot } from '../support/start-test-bot';

/**
 * Issue #15 item 7: local mode has Bot Framework authentication off, so anyone who can reach the
 * port can act as any user. It must listen on loopback unless HOST says otherwise.
 */
describe('security: local mode binds loopback', () => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('listens on 127.0.0.1 when BOT_ID and HOST are unset, and answers there', async () => {
    bot = await startTestBot({ HOST: '' });
    const address = bot.bot.server.address();
    assert.equal(address.address, '127.0.0.1');
    const health = await fetch(`http://127.0.0.1:${address.port}/healthz`);
    assert.equal(health.status, 200);
  });

  it('listens where HOST says, even in local mode', async () => {
    bot = await startTestBot({ HOST: '0.0.0.0' });
    assert.equal(bot.bot.server.address().address, '0.0.0.0');
  });

  it('keeps every interface by default once BOT_ID turns authentication on', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    assert.equal(readConfig({ BOT_ID: id, BOT_PASSWORD: 'secret' }).host, '0.0.0.0');
    assert.equal(readConfig({}).host, '127.0.0.1');
    assert.equal(readConfig({ HOST: ' ::1 ' }).host, '::1');
  });
});
