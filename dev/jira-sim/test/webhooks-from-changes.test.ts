import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import type { WebhookEventPayload } from '../src/webhook-event';
import { adfText, simClient, simControl } from './support/sim-client';
import { startReceiver, type Receiver } from './webhooks/webhook-harness';

/** Changes made through the core's API reach an admin webhook whose JQL filter they match, and only those. */
describe('jira-sim changes reach webhooks', () => {
  let sim: JiraSim;
  let receiver: Receiver;
  before(async () => {
    sim = await startJiraSim({ webhookRetry: { attempts: 1, baseDelayMs: 5, timeoutMs: 1000 } });
    receiver = await startReceiver();
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });

  it('lets only a Jira administrator register an admin webhook', async () => {
    const hook = {
      name: 'PHX',
      url: receiver.url,
      events: ['jira:issue_created', 'jira:issue_updated', 'comment_created'],
      filters: { 'issue-related-events-section': 'project = PHX' },
    };
    const bob = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('bob@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify(hook),
    });
    assert.equal(bob.status, 403);
    const alice = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify(hook),
    });
    assert.equal(alice.status, 201);
  });

  const order = (p: WebhookEventPayload) => (p.webhookEvent === 'comment_created' ? 2 : p.issue_event_type_name === 'issue_commented' ? 1 : 0);

  it('delivers matching changes with the actor, the issue and the changelog', async () => {
    const bob = simClient(sim, { email: 'bob@example.com' });
    await bob.put('/rest/api/3/issue/KAN-1', { fields: { summary: 'Not for this webhook' } });
    await bob.put('/rest/api/3/issue/PHX-4', { fields: { summary: 'Renamed for the webhook' } });
    await bob.post('/rest/api/3/issue/PHX-4/comment', { body: adfText('Looks good') });
    await simControl(sim, 'POST', '/webhooks/idle', { timeoutMs: 3000 });
    const calls = await receiver.waitForCalls(3);
    // Deliveries run concurrently; order them as they were made.
    const payloads = calls.map((c) => JSON.parse(c.rawBody) as WebhookEventPayload).sort((a, b) => order(a) - order(b));
    assert.deepEqual(
      payloads.map((p) => [p.webhookEvent, p.issue_event_type_name, (p.issue as { key: string }).key]),
      [
        ['jira:issue_updated', 'issue_updated', 'PHX-4'],
        ['jira:issue_updated', 'issue_commented', 'PHX-4'],
        ['comment_created', undefined, 'PHX-4'],
      ],
    );
    assert.equal((payloads[0].user as { displayName: string }).displayName, 'Bob Builder');
    assert.deepEqual(
      payloads[0].changelog!.items.map((i) => [i.field, i.toString]),
      [['summary', 'Renamed for the webhook']],
    );
    assert.equal((payloads[2].comment as { body: { type: string } }).body.type, 'doc');
    assert.equal((payloads[1].comment as { id: string }).id, (payloads[2].comment as { id: string }).id);
    assert.equal(receiver.calls.length, 3, 'the KAN change was filtered out');
  });
});
