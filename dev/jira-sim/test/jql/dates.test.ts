import assert from 'node:assert/strict';
import { matchesJql, parseJql } from '../../src/jql';
import { evaluateJqlDateFunction } from '../../src/jql/evaluate-jql-date-function';
import { resolveJqlDate } from '../../src/jql/resolve-jql-date';
import { buildJqlIssue } from './build-jql-issue';

// Wednesday 2026-03-18, 12:34 UTC.
const now = new Date('2026-03-18T12:34:56.789Z');
const iso = (date: Date | undefined) => date?.toISOString();

describe('JQL dates', () => {
  describe('resolveJqlDate', () => {
    const cases: Array<[string, string | undefined]> = [
      ['2024-01-31', '2024-01-31T00:00:00.000Z'],
      ['2024/01/31', '2024-01-31T00:00:00.000Z'],
      ['2024-1-5', '2024-01-05T00:00:00.000Z'],
      ['2024-01-31 10:00', '2024-01-31T10:00:00.000Z'],
      ['2024/01/31 23:59', '2024-01-31T23:59:00.000Z'],
      ['-5m', '2026-03-18T12:29:56.789Z'],
      ['-4h', '2026-03-18T08:34:56.789Z'],
      ['-2d', '2026-03-16T12:34:56.789Z'],
      ['-1w', '2026-03-11T12:34:56.789Z'],
      ['-1w 2d', '2026-03-09T12:34:56.789Z'],
      ['1d', '2026-03-19T12:34:56.789Z'],
      ['+3h', '2026-03-18T15:34:56.789Z'],
      ['-1M', '2026-02-18T12:34:56.789Z'],
      ['2024-02-30', undefined],
      ['2024-13-01', undefined],
      ['2024-01-31 25:00', undefined],
      ['yesterday', undefined],
      ['5', undefined],
      ['-2x', undefined],
      ['', undefined],
    ];
    for (const [value, expected] of cases) {
      it(`${JSON.stringify(value)} -> ${expected}`, () => assert.equal(iso(resolveJqlDate(value, now)), expected));
    }
  });

  describe('date functions (UTC, weeks start on Sunday)', () => {
    const cases: Array<[string, string[], string | undefined]> = [
      ['now', [], '2026-03-18T12:34:56.789Z'],
      ['startOfDay', [], '2026-03-18T00:00:00.000Z'],
      ['startofday', ['-1d'], '2026-03-17T00:00:00.000Z'],
      ['startOfDay', ['-1'], '2026-03-17T00:00:00.000Z'],
      ['startOfDay', ['+1h'], '2026-03-18T01:00:00.000Z'],
      ['endOfDay', [], '2026-03-18T23:59:59.999Z'],
      ['endOfDay', ['-1d'], '2026-03-17T23:59:59.999Z'],
      ['startOfWeek', [], '2026-03-15T00:00:00.000Z'],
      ['startOfWeek', ['-1'], '2026-03-08T00:00:00.000Z'],
      ['endOfWeek', [], '2026-03-21T23:59:59.999Z'],
      ['startOfMonth', [], '2026-03-01T00:00:00.000Z'],
      ['startOfMonth', ['-1M'], '2026-02-01T00:00:00.000Z'],
      ['endOfMonth', [], '2026-03-31T23:59:59.999Z'],
      ['endOfMonth', ['-1'], '2026-02-28T23:59:59.999Z'],
      ['startOfYear', [], '2026-01-01T00:00:00.000Z'],
      ['endOfYear', [], '2026-12-31T23:59:59.999Z'],
      ['startOfDay', ['nonsense'], undefined],
      ['now', ['1d'], undefined],
      ['tomorrow', [], undefined],
    ];
    for (const [name, args, expected] of cases) {
      it(`${name}(${args.join(', ')}) -> ${expected}`, () => assert.equal(iso(evaluateJqlDateFunction(name, args, now)), expected));
    }
  });

  describe("in the searching user's time zone", () => {
    const cases: Array<[string, () => Date | undefined, string]> = [
      // New York is on EDT (UTC-4) from 2026-03-08; Kolkata is UTC+5:30 all year.
      ['startOfDay() in New York', () => evaluateJqlDateFunction('startOfDay', [], now, 'America/New_York'), '2026-03-18T04:00:00.000Z'],
      ['startOfDay() in Kolkata', () => evaluateJqlDateFunction('startOfDay', [], now, 'Asia/Kolkata'), '2026-03-17T18:30:00.000Z'],
      ['endOfDay() in Kolkata', () => evaluateJqlDateFunction('endOfDay', [], now, 'Asia/Kolkata'), '2026-03-18T18:29:59.999Z'],
      [
        'startOfDay() in New York before UTC midnight',
        () => evaluateJqlDateFunction('startOfDay', [], new Date('2026-03-18T02:00:00Z'), 'America/New_York'),
        '2026-03-17T04:00:00.000Z',
      ],
      ['startOfDay(-10d) across the DST change', () => evaluateJqlDateFunction('startOfDay', ['-10d'], now, 'America/New_York'), '2026-03-08T05:00:00.000Z'],
      ['startOfWeek() in New York', () => evaluateJqlDateFunction('startOfWeek', [], now, 'America/New_York'), '2026-03-15T04:00:00.000Z'],
      ['startOfMonth() in New York (still EST)', () => evaluateJqlDateFunction('startOfMonth', [], now, 'America/New_York'), '2026-03-01T05:00:00.000Z'],
      ['endOfMonth(-1) in New York', () => evaluateJqlDateFunction('endOfMonth', ['-1'], now, 'America/New_York'), '2026-03-01T04:59:59.999Z'],
      ['"2026-03-18" in New York', () => resolveJqlDate('2026-03-18', now, 'America/New_York'), '2026-03-18T04:00:00.000Z'],
      ['"2026-01-15 10:00" in New York', () => resolveJqlDate('2026-01-15 10:00', now, 'America/New_York'), '2026-01-15T15:00:00.000Z'],
      ['"2026-03-08 02:30" (skipped) in New York', () => resolveJqlDate('2026-03-08 02:30', now, 'America/New_York'), '2026-03-08T07:30:00.000Z'],
      ['"2026-11-01 01:30" (repeated) in New York', () => resolveJqlDate('2026-11-01 01:30', now, 'America/New_York'), '2026-11-01T05:30:00.000Z'],
      ['-1d keeps the wall-clock time across the DST change', () => resolveJqlDate('-1d', new Date('2026-03-08T18:00:00Z'), 'America/New_York'), '2026-03-07T19:00:00.000Z'],
      ['-4h is a fixed span', () => resolveJqlDate('-4h', new Date('2026-03-08T09:00:00Z'), 'America/New_York'), '2026-03-08T05:00:00.000Z'],
    ];
    for (const [title, evaluate, expected] of cases) {
      it(`${title} -> ${expected}`, () => assert.equal(iso(evaluate()), expected));
    }

    it('applies ctx.timeZone in clauses', () => {
      const issue = buildJqlIssue({ created: new Date('2026-03-18T03:00:00Z') });
      const query = parseJql('created >= startOfDay()');
      assert.equal(matchesJql(query, issue, { now, timeZone: 'UTC' }), true);
      assert.equal(matchesJql(query, issue, { now, timeZone: 'America/New_York' }), false);
      assert.equal(matchesJql(parseJql('created < "2026-03-18"'), issue, { now, timeZone: 'America/New_York' }), true);
      assert.equal(matchesJql(parseJql('created < "2026-03-18"'), issue, { now }), false);
    });
  });

  describe('date clauses against a fixed now', () => {
    const issue = (created: string, resolved: string | null = null) => buildJqlIssue({ created: new Date(created), resolved: resolved ? new Date(resolved) : null });
    const cases: Array<[string, string, string | null, boolean]> = [
      ['created >= -2d', '2026-03-17T00:00:00Z', null, true],
      ['created >= -2d', '2026-03-16T12:00:00Z', null, false],
      ['created < -2d', '2026-03-16T12:00:00Z', null, true],
      ['created > "-1w 2d"', '2026-03-10T00:00:00Z', null, true],
      ['created > -5m', '2026-03-18T12:31:00Z', null, true],
      ['created > -4h', '2026-03-18T08:00:00Z', null, false],
      ['created < 1d', '2026-03-19T00:00:00Z', null, true],
      ['created >= "2026-03-18"', '2026-03-18T00:00:00Z', null, true],
      ['created > "2026/03/18"', '2026-03-17T23:59:00Z', null, false],
      ['created >= "2026-03-18 10:00"', '2026-03-18T10:00:30Z', null, true],
      ['created = "2026-03-18 10:00"', '2026-03-18T10:00:30Z', null, true],
      ['created = "2026-03-18"', '2026-03-18T10:00:00Z', null, false],
      ['created != "2026-03-18"', '2026-03-18T10:00:00Z', null, true],
      ['created in ("2026-03-18 10:00", "2026-03-17")', '2026-03-17T00:00:00Z', null, true],
      ['created >= startOfDay()', '2026-03-18T00:00:00Z', null, true],
      ['created >= startOfDay(-1d) AND created < startOfDay()', '2026-03-17T08:00:00Z', null, true],
      ['created >= startOfWeek()', '2026-03-14T23:59:00Z', null, false],
      ['created <= endOfWeek()', '2026-03-21T23:59:00Z', null, true],
      ['created >= startOfMonth()', '2026-03-01T00:00:00Z', null, true],
      ['created > now()', '2026-03-18T12:40:00Z', null, true],
      ['createdDate <= now()', '2026-03-18T12:40:00Z', null, false],
      ['resolved >= -1w', '2026-01-01T00:00:00Z', '2026-03-17T00:00:00Z', true],
      ['resolutiondate >= -1w', '2026-01-01T00:00:00Z', null, false],
      ['resolved < -1w', '2026-01-01T00:00:00Z', null, false],
      ['resolved != "2026-01-01"', '2026-01-01T00:00:00Z', null, false],
      ['created > "not a date"', '2026-03-18T00:00:00Z', null, false],
    ];
    for (const [jql, created, resolved, expected] of cases) {
      it(`${jql} (created ${created}) -> ${expected}`, () => assert.equal(matchesJql(parseJql(jql), issue(created, resolved), { now }), expected));
    }

    it('re-resolves a reused query when now moves on', () => {
      const query = parseJql('created >= -1d');
      const issue = buildJqlIssue({ created: new Date('2026-03-18T00:00:00Z') });
      assert.equal(matchesJql(query, issue, { now }), true);
      assert.equal(matchesJql(query, issue, { now: new Date('2026-03-20T00:00:00Z') }), false);
      assert.equal(matchesJql(query, issue, { now }), true);
    });

    it('reads updated and updatedDate', () => {
      const updated = buildJqlIssue({ updated: new Date('2026-03-18T12:00:00Z') });
      assert.equal(matchesJql(parseJql('updated >= -1h'), updated, { now }), true);
      assert.equal(matchesJql(parseJql('updatedDate < -1h'), updated, { now }), false);
    });
  });
});
