import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP_PACKAGE_DIR, REPO_ROOT } from './build-test-package';

interface RegisteredCommand {
  name: string;
  description: string;
  scopes: readonly string[];
}

/**
 * Commands the manifest may list before the service registers them, while their feature is being
 * built in the same series of changes. Empty when the manifest and the service agree.
 */
const PENDING = new Set<string>([]);

const TEAMS_DIR = path.join(REPO_ROOT, 'bot', 'src', 'teams');

function isCommand(value: unknown): value is RegisteredCommand {
  const v = value as RegisteredCommand;
  return !!v && typeof v.name === 'string' && typeof v.description === 'string' && Array.isArray(v.scopes);
}

/** Every CommandHelp a module under bot/src/teams exports (e.g. helpCommand in help-feature.ts). */
async function registeredCommands(): Promise<RegisteredCommand[]> {
  const files = (fs.readdirSync(TEAMS_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(TEAMS_DIR, f))
    .filter((f) => /\bCommandHelp\b/.test(fs.readFileSync(f, 'utf8')));
  const found: RegisteredCommand[] = [];
  for (const file of files) {
    const exports: Record<string, unknown> = await import(file);
    for (const value of Object.values(exports)) {
      if (isCommand(value)) found.push(value);
      else if (Array.isArray(value)) found.push(...value.filter(isCommand));
    }
  }
  return found;
}

describe('bot commands in the manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'));
  const lists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> = manifest.bots[0].commandLists;
  const manifestTitles = (scope: string) => lists.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands.map((c) => c.title));
  let registered: RegisteredCommand[];

  before(async () => {
    registered = await registeredCommands();
  });

  it('finds the commands the service registers', () => {
    assert.ok(
      registered.some((c) => c.name === 'help'),
      'bot/src/teams exports no help command: did its module move?',
    );
  });

  it('lists every registered command in every scope the service answers it', () => {
    for (const command of registered) {
      for (const scope of command.scopes) {
        assert.ok(manifestTitles(scope).includes(command.name), `"${command.name}" works in ${scope} but appPackage/manifest.json does not list it there`);
      }
    }
  });

  it('lists no command the service does not answer in that scope', () => {
    for (const list of lists) {
      for (const scope of list.scopes) {
        for (const { title } of list.commands) {
          const command = registered.find((c) => c.name === title);
          if (!command) {
            assert.ok(PENDING.has(title), `the manifest lists "${title}" but no feature registers it`);
            continue;
          }
          assert.ok(command.scopes.includes(scope), `the manifest lists "${title}" in ${scope}, but the service answers it only in ${command.scopes.join(', ')}`);
        }
      }
    }
  });
});
