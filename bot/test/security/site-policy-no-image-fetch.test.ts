import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { CHANNEL_ID, DEFAULT_TENANT_ID, invokeActivity, postActivity, type Account } from '@jira-teams/bot-connector-emu';
import { connectionOwner } from '../../src/connections/connection';
import { useAssembledBot } from '../support/use-assembled-bot';

const ANA: Account = { id: '29:ana', name: 'Ana', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };

/** Every outgoing HTTP request of this process (node:http and fetch), as origin + path. */
function recordOutgoing() {
  const seen: string[] = [];
  const onHttp = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    seen.push(`${request.protocol}//${String(request.getHeader('host'))}${request.path}`);
  };
  const onFetch = (message: unknown) => {
    const request = (message as { request: { origin: string; path: string } }).request;
    seen.push(`${request.origin}${request.path}`);
  };
  diagnostics.subscribe('http.client.request.start', onHttp);
  diagnostics.subscribe('undici:request:create', onFetch);
  return {
    seen,
    stop() {
      diagnostics.unsubscribe('http.client.request.start', onHttp);
      diagnostics.unsubscribe('undici:request:create', onFetch);
    },
  };
}

describe('security: the server never fetches avatars or icons (issue 15 item 1)', () => {
  const given = useAssembledBot(({ sim }) => ({ JIRA_BASE_URL: sim.url }));

  before(async () => {
    await given.testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, ANA), {
      siteUrl: given.sim.url,
      email: 'alice@example.com',
      apiToken: 'sim-token-alice',
    });
  });

  it('unfurls an issue whose card shows images, fetching only Jira REST calls', async () => {
    const outgoing = recordOutgoing();
    let card: string;
    try {
      const invoke = invokeActivity(
        'composeExtension/queryLink',
        { url: `${given.sim.url}/browse/PHX-1` },
        { serviceUrl: given.connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, from: ANA },
      );
      const response = await postActivity(given.testBot.messagesUrl, invoke);
      assert.equal(response.status, 200);
      card = JSON.stringify(response.body.composeExtension);
    } finally {
      outgoing.stop();
    }
    const images = [...card.matchAll(/"(?:url|iconUrl)":"(https?:[^"]+)"/g)].map((m) => m[1]).filter((u) => !u.includes('/browse/'));
    assert.ok(images.length > 0, `the card carries image URLs for the Teams client to load: ${card.slice(0, 300)}`);
    // The test itself posts the invoke to the bot from this process: that one is not the server's.
    const byServer = outgoing.seen.filter((url) => !url.startsWith(given.testBot.bot.url));
    assert.ok(
      byServer.some((url) => url.startsWith(given.sim.url)),
      'the issue was read from Jira',
    );
    for (const url of byServer) {
      assert.ok(url.startsWith(`${given.sim.url}/rest/`), `only Jira REST calls leave the server, not ${url}`);
      assert.ok(!images.includes(url), `fetched an image: ${url}`);
    }
  });
});
