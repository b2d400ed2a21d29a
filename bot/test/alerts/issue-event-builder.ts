import type { IssueEvent } from '../../src/alerts/issue-event';

let sequence = 0;

/** An IssueEvent with sensible defaults; each call is a new change unless `id` is given. */
export function issueEvent(overrides: Partial<IssueEvent> & { key?: string; issueId?: string } = {}): IssueEvent {
  sequence += 1;
  const { key = `ALERT-${sequence}`, issueId = String(10_000 + sequence), ...rest } = overrides;
  return {
    id: `${issueId}:changelog-${sequence}`,
    site: 'https://acme.atlassian.net',
    kinds: ['transitioned'],
    changes: [{ field: 'status', fieldId: 'status', from: 'To Do', to: 'In Progress' }],
    issue: {
      id: issueId,
      key,
      summary: `Summary of ${key}`,
      url: `https://acme.atlassian.net/browse/${key}`,
      projectKey: key.split('-')[0],
      status: { name: 'In Progress', category: 'indeterminate' },
      priority: 'High',
      labels: [],
    },
    actor: { accountId: 'acc-1', displayName: 'Ada Lovelace' },
    occurredAt: new Date(1_780_000_000_000 + sequence * 1000).toISOString(),
    source: 'webhook',
    ...rest,
  };
}
