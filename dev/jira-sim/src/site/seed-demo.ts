/**
 * The deterministic demo site: three projects (Scrum, Kanban, service desk), nine users with
 * different rights, 220 issues with ADF descriptions, comments, history, watchers, remote
 * links, ranks, a Scrum board with sprints and a backlog.
 */
import { type AdfDoc, adfParagraphs } from './adf';
import { ADMIN, COMMENT, demoUsers, VIEW, WORK } from './demo-users';
import { FieldId } from './field-ids';
import { initialRank } from './lexo-rank';
import { seededRandom } from './seeded-random';
import { DONE_RESOLUTION_ID, fields, IssueTypeId, issueTypes, priorities, resolutions, StatusId, statusCategories, statuses, workflows } from './site-catalog';
import type { Board, ChangeItem, Issue, PermissionKey, Project, ScreenField, Site, SimUser, Sprint } from './site-model';

export interface SiteIdentity {
  cloudId: string;
  name: string;
  url: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Seed history starts here so ids and dates never depend on when the sim starts. */
const SEED_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

export function emptySite(identity: SiteIdentity): Site {
  return {
    ...identity,
    users: demoUsers(),
    issueTypes: issueTypes(identity.url),
    priorities: priorities(identity.url),
    statusCategories: statusCategories(),
    statuses: statuses(),
    resolutions: resolutions(),
    workflows: workflows(),
    fields: fields(),
    projects: [],
    issues: [],
    boards: [],
    sprints: [],
    filters: [],
    counters: { issue: 10000, comment: 10000, changelog: 10000, remoteLink: 10000, sprint: 0 },
  };
}

function softwareScreen(typeId: string, withSprint: boolean): ScreenField[] {
  const base: ScreenField[] = [
    { fieldId: 'project', required: true },
    { fieldId: 'issuetype', required: true },
    { fieldId: 'summary', required: true },
    { fieldId: 'description', required: false },
    { fieldId: 'priority', required: false },
    { fieldId: 'assignee', required: false },
    { fieldId: 'reporter', required: true },
    { fieldId: 'labels', required: false },
    { fieldId: 'duedate', required: false },
    { fieldId: FieldId.StartDate, required: false },
    { fieldId: FieldId.Platforms, required: false },
    { fieldId: FieldId.Area, required: false },
    { fieldId: FieldId.Reviewer, required: false },
    { fieldId: FieldId.DeployedAt, required: false },
  ];
  if (typeId !== IssueTypeId.Epic) base.push({ fieldId: 'parent', required: typeId === IssueTypeId.Subtask });
  if (typeId !== IssueTypeId.Bug && typeId !== IssueTypeId.Subtask) base.push({ fieldId: FieldId.StoryPoints, required: false });
  if (typeId === IssueTypeId.Bug) {
    base.push({ fieldId: FieldId.Environment, required: false }, { fieldId: FieldId.AffectedUsers, required: false });
  }
  if (withSprint) base.push({ fieldId: FieldId.Sprint, required: false });
  return base;
}

function serviceScreen(typeId: string): ScreenField[] {
  return [
    { fieldId: 'project', required: true },
    { fieldId: 'issuetype', required: true },
    { fieldId: 'summary', required: true },
    { fieldId: 'description', required: false },
    { fieldId: 'priority', required: false },
    { fieldId: 'assignee', required: false },
    { fieldId: 'reporter', required: true },
    { fieldId: 'labels', required: false },
    { fieldId: 'duedate', required: false },
    { fieldId: FieldId.Environment, required: typeId === IssueTypeId.Incident },
    { fieldId: FieldId.AffectedUsers, required: false },
    { fieldId: FieldId.CustomerTags, required: false },
    { fieldId: FieldId.DeployedAt, required: false },
  ];
}

function grant(users: SimUser[], byHandle: Record<string, PermissionKey[]>): Record<string, PermissionKey[]> {
  const out: Record<string, PermissionKey[]> = {};
  for (const u of users) {
    const handle = u.email.split('@')[0];
    const perms = u.siteAdmin ? ADMIN : byHandle[handle];
    if (perms) out[u.accountId] = [...perms];
  }
  return out;
}

function projects(users: SimUser[]): Project[] {
  const screens = (types: string[], make: (t: string) => ScreenField[]) => Object.fromEntries(types.map((t) => [t, make(t)]));
  const phxTypes = [IssueTypeId.Epic, IssueTypeId.Story, IssueTypeId.Task, IssueTypeId.Bug, IssueTypeId.Subtask];
  const kanTypes = [IssueTypeId.Story, IssueTypeId.Task, IssueTypeId.Bug];
  const supTypes = [IssueTypeId.ServiceRequest, IssueTypeId.Incident];
  return [
    {
      id: '10000',
      key: 'PHX',
      name: 'Phoenix Platform',
      description: 'Core platform team, working in two-week sprints.',
      projectTypeKey: 'software',
      leadAccountId: users[2].accountId,
      issueTypeIds: phxTypes,
      workflowId: 'software',
      screens: screens(phxTypes, (t) => softwareScreen(t, true)),
      permissions: grant(users, { bob: WORK, carol: ADMIN, dave: WORK, erin: WORK, frank: VIEW, grace: COMMENT, victor: VIEW }),
      nextIssueNumber: 1,
    },
    {
      id: '10001',
      key: 'KAN',
      name: 'Atlas Web',
      description: 'Website and design system, run on a Kanban board.',
      projectTypeKey: 'software',
      leadAccountId: users[6].accountId,
      issueTypeIds: kanTypes,
      workflowId: 'software',
      screens: screens(kanTypes, (t) => softwareScreen(t, false)),
      permissions: grant(users, { bob: WORK, carol: WORK, dave: WORK, erin: WORK, grace: ADMIN, victor: COMMENT }),
      nextIssueNumber: 1,
    },
    {
      id: '10002',
      key: 'SUP',
      name: 'Customer Support',
      description: 'Requests and incidents from customers.',
      projectTypeKey: 'service_desk',
      leadAccountId: users[5].accountId,
      issueTypeIds: supTypes,
      workflowId: 'service',
      screens: screens(supTypes, serviceScreen),
      permissions: grant(users, { bob: COMMENT, carol: WORK, erin: WORK, frank: ADMIN }),
      nextIssueNumber: 1,
    },
  ];
}

const VERBS = ['Add', 'Fix', 'Refactor', 'Improve', 'Document', 'Migrate', 'Remove', 'Speed up', 'Validate', 'Localize'];
const THINGS = [
  'login flow',
  'billing page',
  'search index',
  'notification settings',
  'audit log',
  'CSV export',
  'dark mode',
  'API pagination',
  'webhook retries',
  'onboarding tour',
  'password reset',
  'report builder',
  'image uploads',
  'session timeout',
  'team invites',
  'usage dashboard',
];
const SUPPORT = [
  'Cannot sign in after password change',
  'Invoice shows the wrong currency',
  'Export times out for large workspaces',
  'Request: add a new admin',
  'Email notifications arrive late',
  'Request: increase storage quota',
  'Mobile app crashes on start',
  'SSO misconfigured for a customer',
  'Dashboard loads slowly',
  'Request: restore a deleted page',
];
const LABELS = ['backend', 'frontend', 'security', 'performance', 'tech-debt', 'customer', 'ux', 'infra'];
const COMMENTS = [
  'I can reproduce this on the latest build.',
  'Pushed a first draft, reviews welcome.',
  'Blocked until the API change is deployed.',
  'Looks good to me.',
  'Moving this to the next sprint, we ran out of time.',
  'Customer confirmed the workaround helps.',
];

function descriptionFor(summary: string, n: number): AdfDoc {
  const doc = adfParagraphs(`${summary}.`, 'Acceptance criteria are listed below; ask in the channel if anything is unclear.');
  doc.content.push({
    type: 'bulletList',
    content: [`Covers case ${n}`, 'Has tests', 'Documented in the changelog'].map((text) => ({
      type: 'listItem',
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    })),
  });
  if (n % 5 === 0) {
    doc.content.push({ type: 'codeBlock', attrs: { language: 'typescript' }, content: [{ type: 'text', text: `const issue = ${n};` }] });
  }
  if (n % 7 === 0) {
    doc.content.push({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'See ' },
        { type: 'text', text: 'the runbook', marks: [{ type: 'link', attrs: { href: 'https://example.com/runbook' } }] },
        { type: 'text', text: ' for details.', marks: [{ type: 'strong' }] },
      ],
    });
  }
  return doc;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface Plan {
  project: Project;
  count: number;
  typeFor(i: number): string;
}

export function seedDemo(identity: SiteIdentity): Site {
  const site = emptySite(identity);
  const rnd = seededRandom(20260105);
  const users = site.users;
  site.projects = projects(users);
  const [phx, kan, sup] = site.projects;

  const boards: Board[] = [
    {
      id: 1,
      name: 'PHX board',
      type: 'scrum',
      projectId: phx.id,
      filterId: 10000,
      columns: [
        { name: 'To Do', statusIds: [StatusId.ToDo] },
        { name: 'In Progress', statusIds: [StatusId.InProgress] },
        { name: 'In Review', statusIds: [StatusId.InReview] },
        { name: 'Done', statusIds: [StatusId.Done] },
      ],
    },
    {
      id: 2,
      name: 'KAN board',
      type: 'kanban',
      projectId: kan.id,
      filterId: 10001,
      columns: [
        { name: 'Backlog', statusIds: [StatusId.ToDo] },
        { name: 'Doing', statusIds: [StatusId.InProgress, StatusId.InReview] },
        { name: 'Done', statusIds: [StatusId.Done] },
      ],
    },
  ];
  site.boards = boards;
  const sprintStart = SEED_EPOCH;
  const sprints: Sprint[] = [1, 2, 3, 4].map((n) => {
    const start = sprintStart + (n - 1) * 14 * DAY;
    const state: Sprint['state'] = n <= 2 ? 'closed' : n === 3 ? 'active' : 'future';
    return {
      id: n,
      boardId: 1,
      name: `PHX Sprint ${n}`,
      state,
      goal: n === 3 ? 'Ship the new billing page' : '',
      ...(state !== 'future' ? { startDate: start, endDate: start + 14 * DAY } : {}),
      ...(state === 'closed' ? { completeDate: start + 14 * DAY } : {}),
    };
  });
  site.sprints = sprints;
  site.counters.sprint = sprints.length;
  site.filters = [
    {
      id: 10000,
      name: 'Filter for PHX board',
      description: '',
      jql: 'project = PHX ORDER BY Rank ASC',
      ownerAccountId: phx.leadAccountId,
      sharedWith: { type: 'project', projectId: phx.id },
    },
    {
      id: 10001,
      name: 'Filter for KAN board',
      description: '',
      jql: 'project = KAN ORDER BY Rank ASC',
      ownerAccountId: kan.leadAccountId,
      sharedWith: { type: 'project', projectId: kan.id },
    },
    {
      id: 10002,
      name: 'Open bugs',
      description: 'Every unresolved bug, worst first.',
      jql: 'issuetype = Bug AND resolution = Unresolved ORDER BY priority DESC, updated DESC',
      ownerAccountId: users[0].accountId,
      sharedWith: { type: 'global' },
    },
    {
      id: 10003,
      name: 'Support queue',
      description: 'Requests waiting for an agent.',
      jql: 'project = SUP AND statusCategory != Done ORDER BY created ASC',
      ownerAccountId: sup.leadAccountId,
      sharedWith: { type: 'project', projectId: sup.id },
    },
    {
      id: 10004,
      name: 'My open work',
      description: '',
      jql: 'assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC',
      ownerAccountId: users[1].accountId,
      sharedWith: { type: 'private' },
    },
  ];

  const workers = (p: Project) => users.filter((u) => (p.permissions[u.accountId] ?? []).includes('ASSIGNABLE_USER'));

  const plans: Plan[] = [
    {
      project: phx,
      count: 120,
      typeFor: (i) => (i < 8 ? IssueTypeId.Epic : i >= 108 ? IssueTypeId.Subtask : rnd.pick([IssueTypeId.Story, IssueTypeId.Story, IssueTypeId.Task, IssueTypeId.Bug])),
    },
    { project: kan, count: 60, typeFor: () => rnd.pick([IssueTypeId.Story, IssueTypeId.Task, IssueTypeId.Bug]) },
    { project: sup, count: 40, typeFor: () => rnd.pick([IssueTypeId.ServiceRequest, IssueTypeId.Incident]) },
  ];

  let globalIndex = 0;
  for (const plan of plans) {
    const p = plan.project;
    const workflow = site.workflows.find((w) => w.id === p.workflowId)!;
    const team = workers(p);
    const epics: Issue[] = [];
    const stories: Issue[] = [];
    for (let i = 0; i < plan.count; i++) {
      const n = globalIndex++;
      const typeId = plan.typeFor(i);
      const created = SEED_EPOCH + n * 3 * HOUR;
      const reporter = rnd.pick(team);
      const assignee = rnd.next() < 0.8 ? rnd.pick(team) : null;
      const summary =
        p.projectTypeKey === 'service_desk'
          ? `${rnd.pick(SUPPORT)} (#${i + 1})`
          : typeId === IssueTypeId.Epic
            ? `Epic: ${rnd.pick(THINGS)} overhaul`
            : `${rnd.pick(VERBS)} ${rnd.pick(THINGS)}`;
      const id = String(++site.counters.issue);
      const issue: Issue = {
        id,
        key: `${p.key}-${p.nextIssueNumber++}`,
        projectId: p.id,
        issueTypeId: typeId,
        statusId: workflow.initialStatusId,
        created,
        updated: created,
        statusCategoryChanged: created,
        resolutionDate: null,
        creatorAccountId: reporter.accountId,
        values: {
          summary,
          description: descriptionFor(summary, n),
          priority: rnd.pick(site.priorities).id,
          assignee: assignee?.accountId ?? null,
          reporter: reporter.accountId,
          labels: rnd.next() < 0.6 ? [rnd.pick(LABELS)] : [],
          duedate: rnd.next() < 0.3 ? isoDate(created + (7 + rnd.int(30)) * DAY) : null,
        },
        comments: [],
        changelog: [],
        watchers: [...new Set([reporter.accountId, ...(assignee ? [assignee.accountId] : [])])],
        remoteLinks: [],
        rank: initialRank(n),
      };
      const v = issue.values;
      const screen = new Set(p.screens[typeId].map((f) => f.fieldId));
      if (screen.has(FieldId.StoryPoints) && typeId !== IssueTypeId.Epic && rnd.next() < 0.75) v[FieldId.StoryPoints] = rnd.pick([1, 2, 3, 5, 8, 13]);
      if (screen.has(FieldId.StartDate) && rnd.next() < 0.3) v[FieldId.StartDate] = isoDate(created + DAY);
      if (screen.has(FieldId.Platforms) && rnd.next() < 0.5) v[FieldId.Platforms] = [rnd.pick(['10110', '10111', '10112', '10113'])];
      if (screen.has(FieldId.Area) && rnd.next() < 0.5)
        v[FieldId.Area] = rnd.pick([{ parentId: '10120', childId: '10121' }, { parentId: '10123', childId: '10124' }, { parentId: '10120' }]);
      if (screen.has(FieldId.Reviewer) && rnd.next() < 0.3) v[FieldId.Reviewer] = rnd.pick(team).accountId;
      if (screen.has(FieldId.Environment) && (typeId === IssueTypeId.Incident || rnd.next() < 0.5)) v[FieldId.Environment] = rnd.pick(['10100', '10101', '10102']);
      if (screen.has(FieldId.AffectedUsers) && rnd.next() < 0.5) v[FieldId.AffectedUsers] = 1 + rnd.int(500);
      if (screen.has(FieldId.CustomerTags) && rnd.next() < 0.5) v[FieldId.CustomerTags] = [rnd.pick(['enterprise', 'trial', 'vip'])];
      if (screen.has(FieldId.DeployedAt) && rnd.next() < 0.15) v[FieldId.DeployedAt] = created + 5 * DAY;
      if (typeId === IssueTypeId.Epic) epics.push(issue);
      else if (typeId === IssueTypeId.Subtask) v.parent = rnd.pick(stories).id;
      else {
        if (typeId === IssueTypeId.Story) stories.push(issue);
        if (epics.length && rnd.next() < 0.6) v.parent = rnd.pick(epics).id;
      }

      // Where the issue sits in its life, and the history that got it there.
      let clock = created;
      const step = () => (clock += (1 + rnd.int(20)) * HOUR);
      const record = (authorAccountId: string, items: ChangeItem[]) => issue.changelog.push({ id: String(++site.counters.changelog), authorAccountId, created: step(), items });
      let sprintIds: number[] = [];
      if (p === phx && typeId !== IssueTypeId.Epic && typeId !== IssueTypeId.Subtask) {
        const r = rnd.next();
        sprintIds = r < 0.25 ? [rnd.pick([1, 2])] : r < 0.55 ? [3] : r < 0.7 ? [4] : [];
        if (sprintIds.length) v[FieldId.Sprint] = sprintIds;
      }
      const path = statusPath(workflow.id, p === phx ? sprintIds : [], rnd.next());
      let from = workflow.initialStatusId;
      for (const to of path) {
        const actor = assignee ?? reporter;
        record(actor.accountId, [statusItem(site, from, to)]);
        if (site.statuses.find((s) => s.id === to)!.categoryId === 3) {
          issue.resolutionDate = clock;
          v.resolution = DONE_RESOLUTION_ID;
          issue.changelog[issue.changelog.length - 1].items.unshift({
            field: 'resolution',
            fieldtype: 'jira',
            fieldId: 'resolution',
            from: null,
            fromString: null,
            to: DONE_RESOLUTION_ID,
            toString: 'Done',
          });
        }
        if (site.statuses.find((s) => s.id === from)!.categoryId !== site.statuses.find((s) => s.id === to)!.categoryId) issue.statusCategoryChanged = clock;
        from = to;
      }
      issue.statusId = from;
      const commentCount = rnd.int(4);
      for (let c = 0; c < commentCount; c++) {
        const author = rnd.pick(users.filter((u) => (p.permissions[u.accountId] ?? []).includes('ADD_COMMENTS')));
        const at = step();
        issue.comments.push({
          id: String(++site.counters.comment),
          authorAccountId: author.accountId,
          updateAuthorAccountId: author.accountId,
          body: adfParagraphs(rnd.pick(COMMENTS)),
          created: at,
          updated: at,
        });
      }
      if (n % 6 === 0) {
        issue.remoteLinks.push({
          id: ++site.counters.remoteLink,
          globalId: `system=https://git.example.com&id=${n}`,
          application: { type: 'com.example.git', name: 'Example Git' },
          relationship: 'mentioned in',
          object: { url: `https://git.example.com/pulls/${n}`, title: `PR #${n}`, summary: `Pull request for ${issue.key}` },
        });
      }
      issue.updated = clock;
      site.issues.push(issue);
    }
  }
  // Nora joins PHX only now, so the seeded assignees, comments and history stay exactly what they
  // were before she was added (the seed picks people by permission).
  Object.assign(phx.permissions, grant(users, { nora: WORK }));
  return site;
}

function statusItem(site: Site, from: string, to: string): ChangeItem {
  const name = (id: string) => site.statuses.find((s) => s.id === id)!.name;
  return { field: 'status', fieldtype: 'jira', fieldId: 'status', from, fromString: name(from), to, toString: name(to) };
}

/** Status ids an issue moved through after creation, consistent with its sprint. */
function statusPath(workflowId: string, sprintIds: number[], r: number): string[] {
  const s = StatusId;
  if (workflowId === 'service') {
    return r < 0.35 ? [] : r < 0.6 ? [s.InProgress] : r < 0.75 ? [s.InProgress, s.WaitingForCustomer] : [s.InProgress, s.Resolved];
  }
  const sprint = sprintIds[0];
  if (sprint === 1 || sprint === 2) return [s.InProgress, s.InReview, s.Done];
  if (sprint === 4) return [];
  if (sprint === 3 || r < 0.5) {
    return r < 0.3 ? [] : r < 0.55 ? [s.InProgress] : r < 0.75 ? [s.InProgress, s.InReview] : [s.InProgress, s.InReview, s.Done];
  }
  return r < 0.8 ? [] : [s.InProgress, s.Done];
}
