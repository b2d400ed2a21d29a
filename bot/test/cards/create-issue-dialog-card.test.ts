import assert from 'node:assert/strict';
import { createIssueDialogCard, CreateIssueVerb, type CreateIssueDialogInput } from '../../src/cards/create-issue-dialog-card';
import { createIssueConfirmationCard } from '../../src/cards/create-issue-confirmation-card';
import { formFieldsFromCreateMeta } from '../../src/jira/fields/form-fields-from-create-meta';
import { mapFormValues } from '../../src/jira/fields/map-form-values';
import { createMetaSample } from '../jira/fields/create-meta-sample';
import { escapeCardText } from '../../src/cards/adaptive-card';
import { assertValidCard, cardText } from '../support/validate-card';

type Json = Record<string, any>;

function elements(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (typeof (node as Json).type === 'string') out.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const inputById = (card: unknown, id: string): Json | undefined => elements(card).find((e) => e.id === id);

function dialog(overrides: Partial<CreateIssueDialogInput> = {}): CreateIssueDialogInput {
  return {
    projects: [
      { key: 'ABC', name: 'Alphabet' },
      { key: 'OPS', name: 'Operations' },
      { key: 'WEB', name: 'Website' },
    ],
    recentProjectKeys: ['WEB', 'OPS'],
    issueTypes: [
      { id: '10001', name: 'Bug' },
      { id: '10002', name: 'Task' },
      { id: '10003', name: 'Sub-task', subtask: true },
    ],
    fields: formFieldsFromCreateMeta(createMetaSample()),
    assignableUsers: [
      { accountId: 'acc-ann', displayName: 'Ann Lee' },
      { accountId: 'acc-bob', displayName: 'Bob Stone' },
    ],
    values: { project: 'WEB', issuetype: '10001', summary: 'Checkout fails', description: 'Steps:\n1. pay' },
    submitData: { messageLink: 'https://teams.microsoft.com/l/message/19:x@thread.tacv2/1' },
    ...overrides,
  };
}

describe('create issue dialog card', () => {
  it('is a valid Adaptive Card 1.5 prefilled from the message', () => {
    const card = createIssueDialogCard(dialog());
    assertValidCard(card);
    assert.equal(inputById(card, 'summary')?.value, 'Checkout fails');
    assert.equal(inputById(card, 'description')?.isMultiline, true);
    assert.equal(inputById(card, 'description')?.value, 'Steps:\n1. pay');
    assert.equal(inputById(card, 'project')?.value, 'WEB');
  });

  it('lists recent projects first and leaves sub-task types out', () => {
    const card = createIssueDialogCard(dialog());
    assert.deepEqual(
      inputById(card, 'project')?.choices.map((c: Json) => c.value),
      ['WEB', 'OPS', 'ABC'],
    );
    assert.deepEqual(
      inputById(card, 'issuetype')?.choices.map((c: Json) => c.title),
      ['Bug', 'Task'],
    );
  });

  it('gives each required custom field the input its type needs', () => {
    const card = createIssueDialogCard(dialog());
    assert.equal(inputById(card, 'customfield_10015')?.type, 'Input.Date');
    assert.equal(inputById(card, 'customfield_10016')?.type, 'Input.Number');
    assert.equal(inputById(card, 'customfield_10030')?.type, 'Input.Date');
    assert.equal(inputById(card, 'customfield_10030.time')?.type, 'Input.Time');
    assert.equal(inputById(card, 'customfield_10032')?.isMultiSelect, false);
    assert.equal(inputById(card, 'customfield_10033')?.isMultiSelect, true);
    assert.deepEqual(inputById(card, 'customfield_10034')?.choices, [
      { title: 'Backend', value: '10120' },
      { title: 'Backend › API', value: '10120:10121' },
      { title: 'Backend › Database', value: '10120:10122' },
      { title: 'Frontend', value: '10123' },
      { title: 'Frontend › Web app', value: '10123:10124' },
    ]);
    assert.deepEqual(inputById(card, 'customfield_10035')?.choices, [
      { title: 'Ann Lee', value: 'acc-ann' },
      { title: 'Bob Stone', value: 'acc-bob' },
    ]);
    assert.equal(inputById(card, 'customfield_10037')?.isMultiline, true);
    assert.equal(inputById(card, 'priority')?.value, '3', "Jira's default priority is preselected");
    assert.equal(inputById(card, 'assignee')?.type, 'Input.ChoiceSet');
    assert.equal(inputById(card, 'labels')?.type, 'Input.Text');
    assert.equal(inputById(card, 'customfield_10038'), undefined, 'optional custom fields stay off the dialog');
  });

  it('shows every error under its field and keeps what the user typed', () => {
    const fields = formFieldsFromCreateMeta(createMetaSample());
    const submitted = {
      project: 'WEB',
      issuetype: '10001',
      summary: 'Checkout fails',
      customfield_10016: 'three',
      customfield_10030: '2026-07-01',
      'customfield_10030.time': '14:30',
      customfield_10033: '10110,10112',
      customfield_10034: '10120:10122',
    };
    const { errors } = mapFormValues(fields, submitted);
    const card = createIssueDialogCard(dialog({ values: submitted, errors }));
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Some fields need attention/);
    assert.match(text, /Start date is required/);
    assert.match(text, /Story Points must be a number/);
    assert.match(text, /Environment is required/);
    assert.equal(inputById(card, 'summary')?.value, 'Checkout fails');
    assert.equal(inputById(card, 'customfield_10030')?.value, '2026-07-01');
    assert.equal(inputById(card, 'customfield_10030.time')?.value, '14:30');
    assert.equal(inputById(card, 'customfield_10033')?.value, '10110,10112');
    assert.equal(inputById(card, 'customfield_10034')?.value, '10120:10122');
    const body = card.body;
    const errorAt = body.findIndex((e) => e.text === escapeCardText('Start date is required.'));
    assert.equal(body[errorAt - 1]?.id, 'customfield_10015', 'the error sits right under its input');
  });

  it('names a required field Teams cannot set, and a whole-form problem', () => {
    const fields = formFieldsFromCreateMeta(createMetaSample()).map((f) => (f.id === 'customfield_10020' ? { ...f, required: true } : f));
    const card = createIssueDialogCard(dialog({ fields, formError: "You don't have the Create issues permission in WEB." }));
    assertValidCard(card);
    assert.match(cardText(card), /Sprint is required, and Teams can't set it/);
    assert.match(cardText(card), /Create issues permission/);
  });

  it('sends the verb and the caller data with every action', () => {
    const card = createIssueDialogCard(dialog());
    const submits = elements(card).filter((e) => e.type === 'Action.Submit');
    const messageLink = 'https://teams.microsoft.com/l/message/19:x@thread.tacv2/1';
    assert.deepEqual(
      submits.map((s) => s.data),
      [
        { messageLink, verb: CreateIssueVerb.SearchProjects },
        { messageLink, verb: CreateIssueVerb.Refresh },
        { messageLink, verb: CreateIssueVerb.SearchPeople },
        { messageLink, verb: CreateIssueVerb.Submit },
      ],
    );
  });

  it('puts a project search box above the project list and a people search box above the assignee, keeping their text', () => {
    const card = createIssueDialogCard(
      dialog({
        values: { project: 'WEB', issuetype: '10001', projectQuery: 'we', peopleQuery: 'an' },
        projectNote: { text: "1 project matches 'we'.", empty: false },
      }),
    );
    assertValidCard(card);
    const ids = elements(card)
      .filter((e) => typeof e.id === 'string')
      .map((e) => e.id);
    assert.ok(ids.indexOf('projectQuery') < ids.indexOf('project'), 'the search box heads the project list');
    assert.equal(ids.indexOf('peopleQuery') + 1, ids.indexOf('assignee'), 'the people search sits right above the assignee');
    assert.equal(ids.filter((id) => id === 'peopleQuery').length, 1, 'one people search for every person picker');
    assert.equal(inputById(card, 'projectQuery')?.value, 'we');
    assert.equal(inputById(card, 'peopleQuery')?.value, 'an');
    assert.match(cardText(card), /1 project matches 'we'/);
  });

  it('shows a search that found nothing as a warning, escaped', () => {
    const card = createIssueDialogCard(dialog({ projectNote: { text: "No project matches '*zz*'. Showing all your projects.", empty: true } }));
    assertValidCard(card);
    const note = elements(card).find((e) => e.type === 'TextBlock' && /No project matches/.test(e.text));
    assert.equal(note?.color, 'Warning');
    assert.match(cardText(card), /No project matches '\\\*zz\\\*'/);
  });

  it('has no people search when the create screen has no person field', () => {
    const fields = formFieldsFromCreateMeta(createMetaSample()).filter((f) => f.kind !== 'user' && f.kind !== 'multiuser');
    const card = createIssueDialogCard(dialog({ fields }));
    assert.equal(inputById(card, 'peopleQuery'), undefined);
    assert.ok(inputById(card, 'projectQuery'));
  });

  it('stays under 28 KB with hundreds of projects, users and options', () => {
    const many = (n: number, f: (i: number) => any) => Array.from({ length: n }, (_, i) => f(i));
    const fields = formFieldsFromCreateMeta(createMetaSample()).map((f) =>
      f.kind === 'select' ? { ...f, choices: many(500, (i) => ({ id: String(20000 + i), label: `Option number ${i}` })) } : f,
    );
    const card = createIssueDialogCard(
      dialog({
        fields,
        projects: many(400, (i) => ({ key: `P${i}`, name: `Project ${i}` })),
        assignableUsers: many(400, (i) => ({ accountId: `acc-${i}`, displayName: `User ${i}` })),
      }),
    );
    assertValidCard(card);
  });
});

describe('create issue confirmation card', () => {
  it('shows the key and summary as typed, with a link to the issue', () => {
    const card = createIssueConfirmationCard({ issueKey: 'WEB-12', summary: 'Fix *checkout*', url: 'https://acme.atlassian.net/browse/WEB-12' });
    assertValidCard(card);
    assert.match(cardText(card), /Created WEB\\-12/);
    assert.match(cardText(card), /Fix \\\*checkout\\\*/);
    assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: 'https://acme.atlassian.net/browse/WEB-12' }]);
  });

  it('drops a link that is not http(s)', () => {
    const card = createIssueConfirmationCard({ issueKey: 'WEB-12', summary: 's', url: 'javascript:alert(1)', warning: 'The link back to Teams could not be added.' });
    assertValidCard(card);
    assert.equal(card.actions, undefined);
    assert.match(cardText(card), /link back to Teams/);
  });
});
