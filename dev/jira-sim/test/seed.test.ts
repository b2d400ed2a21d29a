import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { seedDemo } from '../src/site/seed-demo';
import { parseSiteJql } from '../src/search/search-issues';
import { SiteState } from '../src/site/site-state';

const IDENTITY = { cloudId: 'c', name: 'sim', url: 'http://127.0.0.1:1' };
const ADF_SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'shared', 'ref', 'jira', 'adf-schema.json'), 'utf8'));

describe('jira-sim demo seed', () => {
  const site = seedDemo(IDENTITY);
  const state = new SiteState(site, () => 0);

  it('has 3 projects (Scrum, Kanban, service desk), 9 users and 200+ issues', () => {
    assert.deepEqual(
      site.projects.map((p) => [p.key, p.projectTypeKey]),
      [
        ['PHX', 'software'],
        ['KAN', 'software'],
        ['SUP', 'service_desk'],
      ],
    );
    assert.equal(site.users.length, 9);
    assert.equal(new Set(site.users.map((u) => u.apiToken)).size, 9);
    assert.ok(site.issues.length >= 200, `${site.issues.length} issues`);
    assert.deepEqual(
      site.boards.map((b) => b.type),
      ['scrum', 'kanban'],
    );
    assert.deepEqual(
      site.sprints.map((s) => s.state),
      ['closed', 'closed', 'active', 'future'],
    );
  });

  it('is the same on every start', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(seedDemo(IDENTITY))), JSON.parse(JSON.stringify(site)));
  });

  it('has ADF descriptions and comments that the ADF schema accepts', () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    const validate = ajv.compile(ADF_SCHEMA);
    let docs = 0;
    for (const issue of site.issues) {
      for (const doc of [issue.values.description, ...issue.comments.map((c) => c.body)]) {
        assert.ok(validate(doc), `${issue.key}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
        docs += 1;
      }
    }
    assert.ok(docs > site.issues.length, 'comments were checked too');
  });

  it('keeps every issue in a status of its workflow, with history that ends there', () => {
    for (const issue of site.issues) {
      const workflow = state.workflowOf(state.projectOf(issue));
      assert.ok(workflow.statusIds.includes(issue.statusId), issue.key);
      const statusChanges = issue.changelog.flatMap((e) => e.items).filter((i) => i.field === 'status');
      if (statusChanges.length) assert.equal(statusChanges.at(-1)!.to, issue.statusId, issue.key);
      else assert.equal(issue.statusId, workflow.initialStatusId, issue.key);
      const done = state.status(issue.statusId).categoryId === 3;
      assert.equal(issue.resolutionDate !== null, done, issue.key);
    }
  });

  it('has unique ranks, watchers, remote links, comments and sprint members', () => {
    assert.equal(new Set(site.issues.map((i) => i.rank)).size, site.issues.length);
    assert.ok(site.issues.every((i) => i.watchers.length > 0));
    assert.ok(site.issues.filter((i) => i.remoteLinks.length).length >= 30);
    assert.ok(site.issues.filter((i) => i.comments.length).length >= 100);
    const inActiveSprint = site.issues.filter((i) => ((i.values.customfield_10020 as number[] | undefined) ?? []).includes(3));
    assert.ok(inActiveSprint.length >= 10);
  });

  it("has saved filters, the boards' among them, whose JQL the engine accepts", () => {
    assert.deepEqual(
      site.boards.map((b) => site.filters.some((f) => f.id === b.filterId)),
      [true, true],
    );
    for (const filter of site.filters) assert.doesNotThrow(() => parseSiteJql(state, filter.jql), filter.name);
  });

  it('gives users different rights, so tests can hit 403 and 404', () => {
    const victor = state.userByEmail('victor@example.com')!;
    const [phx, kan, sup] = site.projects;
    assert.equal(state.can(victor.accountId, phx, 'BROWSE_PROJECTS'), true);
    assert.equal(state.can(victor.accountId, phx, 'CREATE_ISSUES'), false);
    assert.equal(state.can(victor.accountId, kan, 'ADD_COMMENTS'), true);
    assert.equal(state.can(victor.accountId, sup, 'BROWSE_PROJECTS'), false);
    assert.equal(state.can(state.userByEmail('alice@example.com')!.accountId, null, 'ADMINISTER'), true);
  });
});
