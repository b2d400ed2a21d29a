import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { alertOutbox } from '../../src/alerts/alert-outbox';
import { subscriptionRepository } from '../../src/alerts/subscription-repository';
import { subscriptionService } from '../../src/alerts/subscription-service';
import { createJiraClient, type JiraClient } from '../../src/jira/create-jira-client';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import type { Store } from '../../src/store/store';
import { jiraJqlValidator } from '../../src/wiring/jira-jql-validator';
import { openTestStore } from '../connections/open-test-store';

export interface SimSubscriptions {
  readonly sim: JiraSim;
  readonly store: Store;
  /** The demo user's API-token client: what saving validates with and what the poller and matcher search as. */
  readonly jira: JiraClient;
  /** The subscription service as the bot builds it, asking this simulator to validate JQL, with every permission granted. */
  service(): ReturnType<typeof subscriptionService>;
}

/**
 * Mocha hooks for tests of saving and matching subscriptions against the Jira simulator: a fresh
 * simulator and store per test, and a client of one demo user (Alice unless named).
 */
export function useSimSubscriptions(user: { email: string; apiToken: string } = { email: 'alice@example.com', apiToken: 'sim-token-alice' }): SimSubscriptions {
  let sim: JiraSim;
  let store: Store;
  let jira: JiraClient;
  beforeEach(async () => {
    sim = await startJiraSim({ port: 0 });
    store = openTestStore();
    const pipeline = new RequestPipeline({ scheduler: new SiteScheduler() });
    jira = createJiraClient({ kind: 'apiToken', siteUrl: sim.url, ...user }, { pipeline, apiUrl: sim.url });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
  });
  return {
    get sim() {
      return sim;
    },
    get store() {
      return store;
    },
    get jira() {
      return jira;
    },
    service: () =>
      subscriptionService({
        repository: subscriptionRepository(store),
        outbox: alertOutbox(store),
        permissions: { canManageConversation: async () => ({ allowed: true }), canAdministerJira: async () => ({ allowed: true }) },
        jql: jiraJqlValidator({ jiraFor: async () => ({ jira, connection: undefined as never }) }),
      }),
  };
}
