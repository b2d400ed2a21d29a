import type { IssueCardView } from '../../../src/cards/issue-card';
import type { AdfDoc } from '../../../src/jira/adf/adf-node';
import type { CreateMetaField } from '../../../src/jira/fields/create-meta-field';
import type { CreatedIssue, IssueWriter, RemoteLinkInput } from '../../../src/teams/compose/issue-writer';
import { createMetaSample } from '../../jira/fields/create-meta-sample';

/** An in-memory Jira for the compose handlers: two projects, recorded writes, injectable failures. */
export class FakeIssueWriter implements IssueWriter {
  created: Array<Record<string, unknown>> = [];
  links: Array<{ issueKey: string; link: RemoteLinkInput }> = [];
  comments: Array<{ issueKey: string; body: AdfDoc }> = [];
  /** Thrown by the next create, then cleared. */
  failCreate?: Error;

  /** Thrown by the next issueView, then cleared. */
  failIssueView?: Error;

  async projects(query?: string) {
    const all = [
      { key: 'OPS', name: 'Operations' },
      { key: 'WEB', name: 'Website' },
    ];
    const text = query?.toLowerCase();
    return text ? all.filter((p) => p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)) : all;
  }

  async issueTypes(projectKey: string) {
    return projectKey === 'WEB'
      ? [
          { id: '10001', name: 'Bug' },
          { id: '10002', name: 'Task' },
          { id: '10003', name: 'Sub-task', subtask: true },
        ]
      : [{ id: '10002', name: 'Task' }];
  }

  async createMeta(projectKey: string): Promise<CreateMetaField[]> {
    const all = createMetaSample();
    // OPS has a plain create screen; WEB requires one custom field of each type.
    return projectKey === 'WEB' ? all.filter((f) => f.fieldId !== 'customfield_10020') : all.filter((f) => ['summary', 'description', 'priority'].includes(f.fieldId));
  }

  async assignableUsers(_projectKey: string, query?: string) {
    const all = [
      { accountId: 'acc-ann', displayName: 'Ann Lee' },
      { accountId: 'acc-bob', displayName: 'Bob Stone' },
    ];
    return query ? all.filter((u) => u.displayName.toLowerCase().includes(query.toLowerCase())) : all;
  }

  async create(fields: Record<string, unknown>): Promise<CreatedIssue> {
    if (this.failCreate) {
      const error = this.failCreate;
      this.failCreate = undefined;
      throw error;
    }
    this.created.push(fields);
    const key = `${(fields.project as { key: string }).key}-${this.created.length}`;
    return { id: String(10000 + this.created.length), key, url: `https://acme.atlassian.net/browse/${key}` };
  }

  async addComment(issueKey: string, body: AdfDoc) {
    this.comments.push({ issueKey, body });
    return { id: '20001', url: `https://acme.atlassian.net/browse/${issueKey}?focusedCommentId=20001` };
  }

  async addRemoteLink(issueKey: string, link: RemoteLinkInput) {
    this.links.push({ issueKey, link });
  }

  async findIssues(query?: string) {
    const all = [
      { key: 'WEB-7', summary: 'Checkout fails on Safari' },
      { key: 'OPS-2', summary: 'Rotate the signing keys' },
    ];
    return query ? all.filter((i) => i.key === query.toUpperCase() || i.summary.toLowerCase().includes(query.toLowerCase())) : all;
  }

  async issueView(issueKey: string) {
    if (this.failIssueView) {
      const error = this.failIssueView;
      this.failIssueView = undefined;
      throw error;
    }
    const index = Number(issueKey.split('-')[1]) - 1;
    const fields = this.created[index] ?? {};
    const view: IssueCardView = {
      key: issueKey,
      url: `https://acme.atlassian.net/browse/${issueKey}`,
      summary: String(fields.summary ?? ''),
      status: { name: 'To Do', category: 'new' },
      labels: [],
      transitions: [],
    };
    return { view, viewerAccountId: 'acc-ann' };
  }

  async issue(issueKey: string) {
    const found = (await this.findIssues()).find((i) => i.key === issueKey) ?? { key: issueKey, summary: 'Unknown' };
    return { ...found, url: `https://acme.atlassian.net/browse/${issueKey}` };
  }
}
