import assert from 'node:assert/strict';
import { matchesJql, parseJql, type JqlIssue } from '../../src/jql';
import { buildJqlIssue } from './build-jql-issue';

const ctx = { now: new Date('2026-03-15T12:00:00Z') };

describe('text search (~ and !~)', () => {
  // summary: 'Login page crashes in full screen mode'
  // description: 'Steps: open the login page, press F11.'
  // comments: 'Reproduced on Windows 11', 'Also on macOS'
  const cases: Array<[string, boolean, Partial<JqlIssue>?]> = [
    ['summary ~ crashes', true],
    ['summary ~ CRASHES', true],
    ['summary ~ crash', false],
    ['summary ~ "crash*"', true],
    ['summary ~ "cr*s"', true],
    ['summary ~ "lo?in"', true],
    ['summary ~ "lo?n"', false],
    ['summary ~ "screen login"', true],
    ['summary ~ "screen logout"', false],
    ['summary ~ "full-screen"', true],
    ['summary ~ "\\"full screen\\""', true],
    ['summary ~ "\\"screen full\\""', false],
    ['summary ~ \'"page crashes" mode\'', true],
    ['summary ~ \'"page crashes" windows\'', false],
    ['summary ~ "the login"', true],
    ['summary ~ "the"', false],
    ['summary !~ crashes', false],
    ['summary !~ windows', true],
    ['description ~ f11', true],
    ['description ~ "login page"', true],
    ['comment ~ windows', true],
    ['comment ~ "windows macos"', true],
    ['comment ~ \'"11 also"\'', false],
    ['comment !~ linux', true],
    ['comment !~ linux', false, { commentTexts: [] }],
    ['text ~ "f11 macos crashes"', true],
    ['text ~ "f11 linux"', false],
    ['text ~ "Straße"', true, { summary: 'STRASSE vs straße' }],
    ['summary ~ "café"', true, { summary: 'Open the Café menu' }],
    ['NOT summary ~ crashes', false],
    ['description !~ crash', false, { descriptionText: '' }],
    ['summary ~ "crashes AND login"', true],
    ['summary ~ "crashes && logout"', false],
    ['summary ~ "+crashes +mode"', true],
    ['summary ~ "logout OR crashes"', true],
    ['summary ~ "logout || windows"', false],
    ['summary ~ "login -crashes"', false],
    ['summary ~ "login -logout"', true],
    ['summary ~ "login NOT crashes"', false],
    ['summary ~ "login !mode"', false],
    ['summary ~ "-logout"', false],
    ['summary ~ "logout OR login -mode"', false],
    ['summary ~ "logout OR login -windows"', true],
    ['summary ~ "login not crashes"', true],
    ['summary ~ "full-screen -\\"page crashes\\""', false],
    ['summary ~ "(logout OR page)"', true],
    ['text ~ "\\"https://example.com/a\\""', true, { descriptionText: 'See https://example.com/a for logs' }],
  ];
  for (const [jql, expected, overrides] of cases) {
    it(`${jql} -> ${expected}`, () => assert.equal(matchesJql(parseJql(jql), buildJqlIssue(overrides), ctx), expected));
  }
});
