import assert from 'node:assert/strict';
import { formFieldsFromCreateMeta } from '../../../src/jira/fields/form-fields-from-create-meta';
import { mapFormValues } from '../../../src/jira/fields/map-form-values';
import { jiraDateTime } from '../../../src/jira/fields/jira-date-time';
import { assertValidAdf } from '../adf/assert-valid-adf';
import { createMetaSample } from './create-meta-sample';

const fields = formFieldsFromCreateMeta(createMetaSample());

/** Every value as an Adaptive Card submit sends it: strings, multi-selects comma-separated. */
const submitted = {
  summary: 'Checkout fails\non Safari',
  description: 'Steps:\n1. open\n2. pay',
  priority: '1',
  assignee: '5b10ac8d82e05b22cc7d4ef5',
  labels: 'checkout, safari  web',
  duedate: '2026-12-24',
  customfield_10015: '2026-12-01',
  customfield_10016: ' 2.5 ',
  customfield_10030: '2026-07-01',
  'customfield_10030.time': '14:30',
  customfield_10032: '10100',
  customfield_10033: '10110,10112',
  customfield_10034: '10120:10122',
  customfield_10035: '712020:reviewer',
  customfield_10036: 'acme',
  customfield_10037: 'A race in the cart',
  customfield_10038: 'acc-1,acc-2',
};

describe('mapFormValues', () => {
  it("maps each field type to the shape Jira's create API takes", () => {
    const { fields: payload, errors } = mapFormValues(fields, submitted, { timeZone: 'Europe/Paris' });
    assert.deepEqual(errors, {});
    assert.deepEqual(
      { ...payload, description: undefined, customfield_10037: undefined },
      {
        summary: 'Checkout fails on Safari',
        description: undefined,
        priority: { id: '1' },
        assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5' },
        labels: ['checkout', 'safari', 'web'],
        duedate: '2026-12-24',
        customfield_10015: '2026-12-01',
        customfield_10016: 2.5,
        customfield_10030: '2026-07-01T14:30:00.000+0200',
        customfield_10032: { id: '10100' },
        customfield_10033: [{ id: '10110' }, { id: '10112' }],
        customfield_10034: { id: '10120', child: { id: '10122' } },
        customfield_10035: { accountId: '712020:reviewer' },
        customfield_10036: ['acme'],
        customfield_10037: undefined,
        customfield_10038: [{ accountId: 'acc-1' }, { accountId: 'acc-2' }],
      },
    );
    assertValidAdf(payload.description);
    assertValidAdf(payload.customfield_10037);
  });

  it('takes a cascading parent without a child', () => {
    const { fields: payload } = mapFormValues(fields, { ...submitted, customfield_10034: '10123' });
    assert.deepEqual(payload.customfield_10034, { id: '10123' });
  });

  it('names every required field that is missing, and leaves optional ones out', () => {
    const { fields: payload, errors } = mapFormValues(fields, { summary: 'x', 'customfield_10030.time': '' });
    assert.deepEqual(Object.keys(payload), ['summary']);
    assert.deepEqual(errors, {
      customfield_10015: 'Start date is required.',
      customfield_10016: 'Story Points is required.',
      customfield_10030: 'Deployed at is required.',
      customfield_10032: 'Environment is required.',
      customfield_10033: 'Platforms is required.',
      customfield_10034: 'Area is required.',
      customfield_10035: 'Reviewer is required.',
      customfield_10037: 'Root cause is required.',
    });
  });

  it('explains each wrong value in words the user can act on', () => {
    const { errors } = mapFormValues(fields, {
      ...submitted,
      summary: 'x'.repeat(300),
      customfield_10015: '2026-02-30',
      customfield_10016: 'three',
      customfield_10030: '',
      customfield_10032: '99999',
      customfield_10033: '10110,nope',
      customfield_10034: '10120:10124',
      customfield_10020: '5',
    });
    assert.deepEqual(errors, {
      summary: 'Summary must be 255 characters or fewer (it has 300).',
      customfield_10015: 'Start date must be a date, like 2026-03-31.',
      customfield_10016: 'Story Points must be a number, like 3 or 2.5.',
      customfield_10020: "Sprint can't be set from Teams yet; create this issue in Jira instead.",
      customfield_10030: 'Deployed at needs a date as well as a time.',
      customfield_10032: 'Choose one of the listed values for Environment.',
      customfield_10033: 'Choose only listed values for Platforms.',
      customfield_10034: 'Choose one of the listed values for Area.',
    });
  });

  it('accepts native values as well as the strings a card submits', () => {
    const { fields: payload, errors } = mapFormValues(fields, { ...submitted, customfield_10016: 8, customfield_10033: ['10111'] });
    assert.deepEqual(errors, {});
    assert.equal(payload.customfield_10016, 8);
    assert.deepEqual(payload.customfield_10033, [{ id: '10111' }]);
  });
});

describe('jiraDateTime', () => {
  it('writes the offset the zone has on that date, daylight saving included', () => {
    assert.equal(jiraDateTime('2026-01-15', '09:05', 'America/New_York'), '2026-01-15T09:05:00.000-0500');
    assert.equal(jiraDateTime('2026-07-15', '09:05', 'America/New_York'), '2026-07-15T09:05:00.000-0400');
    assert.equal(jiraDateTime('2026-07-15', '09:05', 'Asia/Kolkata'), '2026-07-15T09:05:00.000+0530');
    assert.equal(jiraDateTime('2026-07-15', '23:59:59'), '2026-07-15T23:59:59.000+0000');
  });

  it('treats an unknown zone as UTC and rejects impossible dates and times', () => {
    assert.equal(jiraDateTime('2026-07-15', '10:00', 'Mars/Olympus'), '2026-07-15T10:00:00.000+0000');
    assert.equal(jiraDateTime('2026-02-29', '10:00'), undefined);
    assert.equal(jiraDateTime('2026-07-15', '24:00'), undefined);
    assert.equal(jiraDateTime('15/07/2026', '10:00'), undefined);
  });
});
