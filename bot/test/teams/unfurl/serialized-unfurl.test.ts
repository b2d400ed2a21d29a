import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { invokeActivity, TEAMS_USER, DEFAULT_TENANT_ID } from '../../../../dev/bot-connector-emu/src';
import { readConfig } from '../../../src/config';
import { connectionOwner } from '../../../src/connections/connection';
import type { ConnectionServices } from '../../../src/connections/create-connection-services';
import { createLogger } from '../../../src/log/create-logger';
import { startBot } from '../../../src/start-bot';
import { serializedBody, serializeOnce } from '../../../src/teams/serialized-json';
import { cachedIssueService } from '../../../src/teams/unfurl/cached-issue-service';
import { jiraIssueService } from '../../../src/teams/unfurl/jira-issue-service';
import { unfurlFeature } from '../../../src/teams/unfurl/unfurl-feature';

/** Calls of JSON.stringify on an invoke answer's `{ composeExtension }` body while `work` runs. */
async function answerSerializations(work: () => Promise<void>): Promise<number> {
  const original = JSON.stringify;
  let count = 0;
  JSON.stringify = ((value: unknown, ...rest: unknown[]) => {
    if (typeof value === 'object' && value !== null && 'composeExtension' in value) count += 1;
    return (original as (...args: unknown[]) => string)(value, ...rest);
  }) as typeof JSON.stringify;
  try {
    await work();
  } finally {
    JSON.stringify = original;
  }
  return count;
}

describe('a repeated unfurl of a cached issue is answered from text serialized once', () => {
  let sim: JiraSim;
  let bot: Awaited<ReturnType<typeof startBot>>;
  let dataDir: string;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-serialized-'));
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', JIRA_ALLOWED_SITES: sim.url });
    const logger = createLogger({ level: 'error' });
    let connections: ConnectionServices | undefined;
    const issues = cachedIssueService(jiraIssueService({ jiraFor: (owner, options) => connections!.jiraFor(owner, options) }));
    // The service's own HTTP layer and answerActivity, with the unfurl feature over the simulator.
    bot = await startBot(config, { logger, extraFeatures: [unfurlFeature({ issues, siteHosts: [new URL(sim.url).host], logger })] });
    connections = bot.connections;
    const bob = sim.state.site.users.find((u) => u.email === 'bob@example.com')!;
    await connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), { siteUrl: sim.url, email: bob.email, apiToken: bob.apiToken });
  });

  after(async () => {
    await bot?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const unfurl = async () => {
    const activity = invokeActivity('composeExtension/queryLink', { url: `${sim.url}/browse/KAN-1` }, { serviceUrl: 'http://127.0.0.1:9/', conversationType: 'channel' });
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    return { status: response.status, type: response.headers.get('content-type'), length: response.headers.get('content-length'), text: await response.text() };
  };

  it('sends the same answer without serializing the card again, as JSON', async () => {
    const first = await unfurl();
    assert.equal(first.status, 200, first.text);
    let second: Awaited<ReturnType<typeof unfurl>> | undefined;
    assert.equal(await answerSerializations(async () => void (second = await unfurl())), 0);
    assert.equal(second!.status, 200);
    assert.equal(second!.type, 'application/json');
    assert.equal(Number(second!.length), Buffer.byteLength(second!.text));
    assert.deepEqual(JSON.parse(second!.text), JSON.parse(first.text));
    const attachment = (JSON.parse(second!.text) as { composeExtension: { attachments: Array<{ content: unknown }> } }).composeExtension.attachments[0];
    assert.match(JSON.stringify(attachment.content), /KAN-1/);
  });

  it('serializes only what serializeOnce made, and freezes it so the text stays true', () => {
    const result = serializeOnce({ type: 'result', attachments: [{ content: { text: 'a' } }] });
    assert.equal(serializedBody({ composeExtension: result }), JSON.stringify({ composeExtension: result }));
    assert.equal(serializedBody({ composeExtension: { type: 'result' } }), undefined);
    assert.equal(serializedBody({ composeExtension: result, other: 1 }), undefined);
    assert.equal(serializedBody(undefined), undefined);
    assert.throws(() => {
      result.attachments[0].content.text = 'b';
    }, TypeError);
  });
});
