import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { createJiraClient, type JiraClient } from '../../../src/jira/create-jira-client';
import { searchAllIssues, searchIssues, validateJql } from '../../../src/jira/operations/search';
import { RequestPipeline } from '../../../src/jira/request-pipeline';
import { SiteScheduler } from '../../../src/jira/site-scheduler';
import { systemClock } from '../../../src/jira/clock';

describe('search operations against the Jira simulator', () => {
  let sim: JiraSim;
  let jira: JiraClient;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    const user = sim.state.site.users[0];
    const pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock: systemClock }), clock: systemClock });
    jira = createJiraClient({ kind: 'apiToken', siteUrl: sim.url, email: user.email, apiToken: user.apiToken }, { pipeline, apiUrl: sim.url });
  });
  after(() => sim.close());

  const JQL = 'project = PHX ORDER BY key ASC';

  it('pages with nextPageToken by GET and by POST alike, and the last page has no token', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const keys: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await searchIssues(jira, { jql: JQL, fields: ['summary'], maxResults: 2, nextPageToken: token, method });
        keys.push(...page.issues.map((i) => i.key));
        token = page.nextPageToken;
        pages += 1;
      } while (token);
      assert.ok(pages > 1, `${method}: more than one page`);
      assert.deepEqual(
        keys,
        (await searchAllIssues(jira, { jql: JQL, fields: ['summary'], maxResults: 100 })).map((i) => i.key),
        method,
      );
    }
  });

  it('stops at the page bound it is given', async () => {
    const all = await searchAllIssues(jira, { jql: JQL, fields: ['summary'], maxResults: 1 });
    const bounded = await searchAllIssues(jira, { jql: JQL, fields: ['summary'], maxResults: 1 }, 2);
    assert.ok(all.length > 2);
    assert.deepEqual(
      bounded.map((i) => i.key),
      all.slice(0, 2).map((i) => i.key),
    );
  });

  it("returns Jira's own parse errors for bad JQL and none for good JQL", async () => {
    assert.deepEqual(await validateJql(jira, 'project = PHX'), []);
    const errors = await validateJql(jira, 'project = = PHX');
    assert.ok(errors.length > 0 && errors.every((e) => typeof e === 'string' && e !== ''), JSON.stringify(errors));
  });
});
