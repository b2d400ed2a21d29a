import assert from 'node:assert/strict';
import { azureTableNameOf, checkBaseTableName } from '../../src/store/azure-table-names';

describe('Azure table names of the store', () => {
  it('names a logical table by the base and its letters and digits, within Azure’s 63 characters', () => {
    assert.equal(azureTableNameOf('jirateams', 'alert-outbox-sent'), 'jirateamsalertoutboxsent');
    assert.equal(azureTableNameOf('jirateams', 'meetingBacklogs'), 'jirateamsmeetingBacklogs');
    const long = azureTableNameOf('t0123456789abcdef', 'x'.repeat(80));
    assert.equal(long.length, 63);
    assert.match(long, /^[A-Za-z][A-Za-z0-9]{2,62}$/);
  });

  it('refuses a logical table whose name would be the base, the earlier versions’ table emptied at start', () => {
    for (const bad of ['', '-', '_.-']) assert.throws(() => azureTableNameOf('jirateams', bad), /needs a letter or digit/, bad);
  });

  it('refuses a base Azure could not build table names on', () => {
    for (const bad of ['', 'ab', '1abc', 'jira-teams', 'jira_teams', 'a'.repeat(41)]) assert.throws(() => checkBaseTableName(bad), /letters and digits/, bad);
    assert.equal(checkBaseTableName('jirateamsdev'), 'jirateamsdev');
  });
});
