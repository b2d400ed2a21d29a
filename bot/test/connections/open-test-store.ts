import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';

/** A fresh embedded store in a temp folder: the real Store implementation, nothing shared between tests. */
export function openTestStore(): Store {
  return openSqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-conn-')), 'store.db'));
}
