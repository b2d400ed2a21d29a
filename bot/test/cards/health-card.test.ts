import assert from 'node:assert/strict';
import { CARD_MAX_BYTES, cardBytes } from '../../src/cards/adaptive-card';
import { healthCard, type SiteHealthView } from '../../src/cards/health-card';
import { assertValidCard, cardText } from '../support/validate-card';

const NOW = Date.parse('2026-12-07T06:00:00Z');

const site = (n: number, parked: number): SiteHealthView => ({
  site: `https://site-${n}.atlassian.net`,
  webhooks: {
    state: 'silent',
    lastWebhookAt: NOW - 3_600_000,
    registration: { webhookIds: [10 + n, 20 + n], through: `712020:${'a'.repeat(60)}`, at: NOW - 7_200_000 },
    registrationFailure: { at: NOW - 60_000, code: 'JIRA_403' },
    missed: { at: NOW - 30_000, changes: 4 },
  },
  poller: { enabled: true, everyInterval: true, lease: { owner: 'b1f0c9d2-1111-4222-8333-444455556666', expiresAt: NOW + 90_000, expired: false } },
  outbox: {
    pending: 7,
    conversations: 2,
    parked: Array.from({ length: parked }, (_, i) => ({ issueKey: `PHX-${i}`, code: 'ALERT_CONVERSATION_UNKNOWN', status: 404, at: NOW - i })),
  },
  budget: { remaining: 4_200, quota: 10_000, resetAt: NOW + 1_800_000, spentThisHour: 37, shared: true, held: ['quota'] },
});

describe('health card', () => {
  it('shows each site: webhook state, registration, poller lease, outbox, parked reasons, budget', () => {
    const card = healthCard({ audience: { kind: 'team' }, sites: [site(1, 2)], now: NOW });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /https:\/\/site\\?-1\.atlassian\.net/);
    assert.match(text, /silent: webhooks are known not to arrive/);
    assert.match(text, /Last webhook\n2026\\?-12\\?-07T05:00:00Z/);
    assert.match(text, /dynamic webhook 11, 21 through Jira account 712020:a+/);
    assert.match(text, /JIRA\\?_403/);
    assert.match(text, /4 change\(s\) found by the poller/);
    assert.match(text, /polled every interval/);
    assert.match(text, /instance b1f0c9d2\\?-1111/);
    assert.match(text, /7 alert\(s\) waiting in 2 conversation\(s\)/);
    assert.match(text, /PHX\\?-0: ALERT\\?_CONVERSATION\\?_UNKNOWN \(HTTP 404\)/);
    assert.match(text, /Jira points left\n4200 of 10000 \(Jira's last answers to all instances, less what they sent since\), until 2026\\?-12\\?-07T06:30:00Z/);
    assert.match(text, /Jira points spent\n37 this hour, estimated \(all instances together\)/);
    assert.match(text, /this team's channels only/);
  });

  it('says when nothing is set up, and whose whole site an administrator sees', () => {
    const empty = healthCard({ audience: { kind: 'team' }, sites: [], now: NOW });
    assertValidCard(empty);
    assert.match(cardText(empty), /No alerts are set up here/);
    const quiet: SiteHealthView = {
      site: 'https://acme.atlassian.net',
      webhooks: { state: 'unverified' },
      poller: { enabled: false, everyInterval: false },
      outbox: { pending: 0, conversations: 0, parked: [] },
      budget: { spentThisHour: 0, shared: false, held: [] },
    };
    const admin = healthCard({ audience: { kind: 'site-admin', site: quiet.site }, sites: [quiet], now: NOW });
    assertValidCard(admin);
    const text = cardText(admin);
    assert.match(text, /The whole site https:\/\/acme\.atlassian\.net/);
    assert.match(text, /Last webhook\nnever/);
    assert.match(text, /no dynamic webhook/);
    assert.match(text, /off \(polling is switched off\)/);
    assert.match(text, /no instance holds its lease/);
    assert.match(text, /Parked\nnone/);
    assert.match(text, /not reported/);
    assert.match(text, /Jira points spent\n0 this hour, estimated \(this instance\)/);
  });

  it('stays under 28 KB with many sites and parked alerts, counting what it leaves out', () => {
    const card = healthCard({ audience: { kind: 'team' }, sites: Array.from({ length: 40 }, (_, n) => site(n, 500)), now: NOW });
    assertValidCard(card);
    assert.ok(cardBytes(card) <= CARD_MAX_BYTES, `${cardBytes(card)} bytes`);
    const text = cardText(card);
    assert.match(text, /and 490 more/);
    assert.match(text, /And 30 more site\(s\)/);
  });
});
