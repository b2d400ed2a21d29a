import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** A small tree laid out like this repository, checked with the repository's own rules. */
function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'dependency-rules-'));
  try {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "fixture", "private": true }');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'bot', 'dev'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.ok(result.stdout, result.stderr);
    return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixture's node_modules is a link to this repository's, which dependency-cruiser names by its real path. */
const shortName = (name: string) => name.replace(/^.*\/node_modules\//, 'node_modules/');
const summary = (violations: Violation[]) => violations.map((v) => `${v.rule.name}: ${v.from} -> ${shortName(v.to)}`).sort();

describe('dependency rules (.dependency-cruiser.cjs)', function () {
  // dependency-cruiser starts TypeScript for each run.
  this.timeout(120_000);

  it('accepts the layout DESIGN.md describes', function () {
    const violations = cruise({
      'bot/src/config.ts': 'export const config = 1;\n',
      'bot/src/cards/issue-card.ts': "import { clip } from './clip-text';\nexport const card = clip;\n",
      'bot/src/cards/clip-text.ts': 'export const clip = 1;\n',
      'bot/src/jira/get-issue.ts': "import { config } from '../config';\nexport const getIssue = config;\n",
      'bot/src/alerts/create-alerts.ts': "import { getIssue } from '../jira/get-issue';\nexport const createAlerts = getIssue;\n",
      'bot/src/teams/send-card.ts':
        "import { CloudAdapter } from 'botbuilder';\nimport { card } from '../cards/issue-card';\nimport { createAlerts } from '../alerts/create-alerts';\nexport const send = [CloudAdapter, card, createAlerts];\n",
      'bot/src/start-bot.ts':
        "import type { TurnContext } from 'botbuilder';\nimport { send } from './teams/send-card';\nexport const start = (context: TurnContext) => [context, send];\n",
      'dev/jira-sim/src/main.ts': 'export const sim = 1;\n',
    });
    assert.deepEqual(summary(violations), []);
  });

  it('names each broken rule', function () {
    const violations = cruise({
      'bot/src/config.ts': 'export const config = 1;\n',
      'bot/src/cards/issue-card.ts': "import { config } from '../config';\nexport const card = config;\n",
      'bot/src/alerts/send-alert.ts': "import { CloudAdapter } from 'botbuilder';\nexport const sendAlert = CloudAdapter;\n",
      'bot/src/meetings/hub.ts': "import { send } from '../teams/send-card';\nexport const hub = send;\n",
      'bot/src/teams/send-card.ts': 'export const send = 1;\n',
      'bot/src/conversations/refs.ts': "import type { ConversationReference } from 'botbuilder';\nexport type Ref = ConversationReference;\n",
      'bot/src/start-bot.ts': "import { CloudAdapter } from 'botbuilder';\nexport const adapter = new CloudAdapter();\n",
      // A folder loop without a module loop: jira/a -> connections/b, connections/c -> jira/d.
      'bot/src/jira/a.ts': "import { b } from '../connections/b';\nexport const a = b;\n",
      'bot/src/jira/d.ts': 'export const d = 1;\n',
      'bot/src/connections/b.ts': 'export const b = 1;\n',
      'bot/src/connections/c.ts': "import { d } from '../jira/d';\nexport const c = d;\n",
      'bot/src/http/routes.ts': "import { sim } from '../../../dev/jira-sim/src/main';\nexport const routes = sim;\n",
      'dev/jira-sim/src/main.ts': "import { config } from '../../../bot/src/config';\nexport const sim = config;\n",
    });
    const names = summary(violations);
    for (const expected of [
      'cards-are-pure: bot/src/cards/issue-card.ts -> bot/src/config.ts',
      'domain-knows-no-teams: bot/src/alerts/send-alert.ts -> node_modules/botbuilder/lib/index.js',
      'bot-framework-only-in-teams: bot/src/alerts/send-alert.ts -> node_modules/botbuilder/lib/index.js',
      'domain-knows-no-teams: bot/src/meetings/hub.ts -> bot/src/teams/send-card.ts',
      'bot-framework-only-in-teams: bot/src/conversations/refs.ts -> node_modules/botbuilder/lib/index.js',
      'composition-root-bot-framework-types-only: bot/src/start-bot.ts -> node_modules/botbuilder/lib/index.js',
      'product-never-imports-dev: bot/src/http/routes.ts -> dev/jira-sim/src/main.ts',
      'dev-imports-no-bot-src: dev/jira-sim/src/main.ts -> bot/src/config.ts',
    ]) {
      assert.ok(names.includes(expected), `${expected}\nnot in:\n${names.join('\n')}`);
    }
    assert.ok(
      violations.some((v) => v.rule.name === 'no-folder-cycles-in-bot-src' && [v.from, v.to].sort().join(' ') === 'bot/src/connections bot/src/jira'),
      names.join('\n'),
    );
  });
});
