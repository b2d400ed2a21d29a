import assert from 'node:assert/strict';
import { formFieldsFromCreateMeta } from '../../../src/jira/fields/form-fields-from-create-meta';
import { createMetaSample } from './create-meta-sample';

describe('formFieldsFromCreateMeta', () => {
  const fields = formFieldsFromCreateMeta(createMetaSample());
  const byId = new Map(fields.map((f) => [f.id, f]));

  it('types every field by its schema: system type, custom type, array items', () => {
    const kinds = Object.fromEntries(fields.map((f) => [f.id, f.kind]));
    assert.deepEqual(kinds, {
      summary: 'text',
      description: 'textarea',
      priority: 'select',
      assignee: 'user',
      labels: 'labels',
      duedate: 'date',
      customfield_10015: 'date',
      customfield_10016: 'number',
      customfield_10020: 'unsupported',
      customfield_10030: 'datetime',
      customfield_10032: 'select',
      customfield_10033: 'multiselect',
      customfield_10034: 'cascading',
      customfield_10035: 'user',
      customfield_10036: 'labels',
      customfield_10037: 'textarea',
      customfield_10038: 'multiuser',
    });
  });

  it('leaves out what the dialog picks first or Jira sets itself', () => {
    for (const id of ['project', 'issuetype', 'reporter']) assert.ok(!byId.has(id), id);
  });

  it('keeps choices with their ids and labels, skipping disabled options', () => {
    assert.deepEqual(byId.get('customfield_10032'), {
      id: 'customfield_10032',
      name: 'Environment',
      required: true,
      kind: 'select',
      choices: [
        { id: '10100', label: 'Production' },
        { id: '10101', label: 'Staging' },
      ],
    });
    const area = byId.get('customfield_10034');
    assert.ok(area?.kind === 'cascading');
    assert.deepEqual(area.choices[0], {
      id: '10120',
      label: 'Backend',
      children: [
        { id: '10121', label: 'API' },
        { id: '10122', label: 'Database' },
      ],
    });
  });

  it("prefills Jira's default value", () => {
    assert.equal(byId.get('priority')?.defaultValue, '3');
    assert.equal(byId.get('summary')?.defaultValue, undefined);
  });

  it('skips fields the user may not set', () => {
    const [only] = formFieldsFromCreateMeta([{ ...createMetaSample()[0], operations: [] }]);
    assert.equal(only, undefined);
  });
});
