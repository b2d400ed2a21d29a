import assert from 'node:assert/strict';
import { parseJiraLink, type JiraLink } from '../../../src/jira/links/parse-jira-link';

const options = { siteHosts: ['jira.example.com', 'localhost:4010'] };
const site = 'acme.atlassian.net';

const cases: Array<[string, JiraLink | undefined]> = [
  // issues
  [`https://${site}/browse/PROJ-123`, { kind: 'issue', host: site, key: 'PROJ-123' }],
  [`https://${site}/browse/proj-7`, { kind: 'issue', host: site, key: 'PROJ-7' }],
  [`https://${site}/browse/PROJ-123/`, { kind: 'issue', host: site, key: 'PROJ-123' }],
  [`https://${site}/browse/PROJ-123?focusedCommentId=10010#comment-10010`, { kind: 'issue', host: site, key: 'PROJ-123' }],
  [`https://${site}/browse/PROJ-123#top`, { kind: 'issue', host: site, key: 'PROJ-123' }],
  [`https://ACME.Atlassian.NET/browse/AB_2-9`, { kind: 'issue', host: site, key: 'AB_2-9' }],
  [`https://${site}/browse/PROJ%2D5`, { kind: 'issue', host: site, key: 'PROJ-5' }],
  [`https://${site}/jira/software/projects/PROJ/issues/PROJ-42`, { kind: 'issue', host: site, key: 'PROJ-42' }],
  [`https://${site}/jira/software/c/projects/PROJ/issues/PROJ-42?jql=project%3DPROJ`, { kind: 'issue', host: site, key: 'PROJ-42' }],
  [`https://${site}/jira/software/c/projects/PROJ/boards/1?selectedIssue=proj-8`, { kind: 'issue', host: site, key: 'PROJ-8' }],
  [`https://${site}/jira/software/c/projects/PROJ/boards/1/backlog?selectedIssue=PROJ-9#x`, { kind: 'issue', host: site, key: 'PROJ-9' }],
  [`https://${site}/jira/software/projects/PROJ/boards/3/backlog?epics=visible&selectedIssue=PROJ-10`, { kind: 'issue', host: site, key: 'PROJ-10' }],
  [`https://${site}/secure/RapidBoard.jspa?rapidView=5&view=planning&selectedIssue=PROJ-11`, { kind: 'issue', host: site, key: 'PROJ-11' }],
  [`https://${site}/jira/servicedesk/projects/HELP/queues/custom/1/HELP-3`, { kind: 'issue', host: site, key: 'HELP-3' }],
  [`https://${site}/jira/servicedesk/projects/HELP/queue/custom/12/help-4?sla=x`, { kind: 'issue', host: site, key: 'HELP-4' }],
  [`https://${site}/jira/servicedesk/projects/HELP/issues/HELP-5`, { kind: 'issue', host: site, key: 'HELP-5' }],
  [`https://${site}/jira/core/projects/BIZ/issues/BIZ-6`, { kind: 'issue', host: site, key: 'BIZ-6' }],
  [`https://${site}/issues/?jql=project%20%3D%20PROJ&selectedIssue=PROJ-12`, { kind: 'issue', host: site, key: 'PROJ-12' }],
  // configured hosts, with and without ports, any case
  ['https://JIRA.example.com/browse/PROJ-1', { kind: 'issue', host: 'jira.example.com', key: 'PROJ-1' }],
  ['http://localhost:4010/browse/SIM-1', { kind: 'issue', host: 'localhost:4010', key: 'SIM-1' }],
  // filters and searches
  [`https://${site}/issues/?filter=10001`, { kind: 'filter', host: site, filterId: '10001' }],
  [`https://${site}/issues/?filter=10001&jql=`, { kind: 'filter', host: site, filterId: '10001' }],
  [`https://${site}/issues/?filter=10001&jql=project%3DX`, { kind: 'filter', host: site, filterId: '10001' }],
  [`https://${site}/jira/filters/123`, { kind: 'filter', host: site, filterId: '123' }],
  [`https://${site}/issues/?jql=assignee%20%3D%20currentUser()%20ORDER%20BY%20updated`, { kind: 'jql', host: site, jql: 'assignee = currentUser() ORDER BY updated' }],
  [`https://${site}/issues?jql=project+%3D+PROJ#results`, { kind: 'jql', host: site, jql: 'project = PROJ' }],
  [`https://${site}/jira/software/c/projects/PROJ/issues?jql=status%3DDone`, { kind: 'jql', host: site, jql: 'status=Done' }],
  // boards
  [`https://${site}/jira/software/c/projects/PROJ/boards/7`, { kind: 'board', host: site, boardId: '7' }],
  [`https://${site}/jira/software/projects/PROJ/boards/7/backlog`, { kind: 'board', host: site, boardId: '7' }],
  [`https://${site}/secure/RapidBoard.jspa?rapidView=8`, { kind: 'board', host: site, boardId: '8' }],
  // not Jira, or not anything we unfurl
  ['https://example.com/browse/PROJ-1', undefined],
  ['https://acme.atlassian.net.evil.com/browse/PROJ-1', undefined],
  ['https://acme.atlassian.net@evil.com/browse/PROJ-1', undefined],
  ['https://evil.com/?next=acme.atlassian.net/browse/PROJ-1', undefined],
  ['https://.atlassian.net/browse/PROJ-1', undefined],
  ['ftp://acme.atlassian.net/browse/PROJ-1', undefined],
  ['javascript:alert(1)//acme.atlassian.net/browse/PROJ-1', undefined],
  ['not a url', undefined],
  ['', undefined],
  [`https://${site}/browse/PROJ`, undefined],
  [`https://${site}/browse/PROJ-0`, undefined],
  [`https://${site}/browse/1PROJ-2`, undefined],
  [`https://${site}/browse/PROJ-1/extra`, undefined],
  [`https://${site}/browse/PROJ-1%`, undefined],
  [`https://${site}/issues/?jql=`, undefined],
  [`https://${site}/issues/?filter=abc`, undefined],
  [`https://${site}/jira/filters/abc`, undefined],
  [`https://${site}/jira/software/c/projects/PROJ/boards/1?selectedIssue=<script>`, { kind: 'board', host: site, boardId: '1' }],
  [`https://${site}/jira/your-work`, undefined],
  [`https://${site}/wiki/spaces/X/pages/1`, undefined],
  [`https://${site}/`, undefined],
];

describe('parseJiraLink', () => {
  for (const [url, expected] of cases) {
    it(`${url || '(empty)'} -> ${expected ? `${expected.kind}` : 'undefined'}`, () => {
      assert.deepEqual(parseJiraLink(url, options), expected);
    });
  }

  it('rejects non-strings and absurdly long URLs', () => {
    assert.equal(parseJiraLink(undefined as unknown as string, options), undefined);
    assert.equal(parseJiraLink(`https://${site}/browse/PROJ-1?x=${'a'.repeat(9000)}`, options), undefined);
  });

  it('recognises a configured host only when configured', () => {
    assert.equal(parseJiraLink('https://jira.example.com/browse/PROJ-1', { siteHosts: [] }), undefined);
  });
});
