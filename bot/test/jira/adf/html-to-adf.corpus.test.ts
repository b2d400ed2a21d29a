import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { htmlToAdf, type HtmlToAdfOptions } from '../../../src/jira/adf/html-to-adf';
import { adfNodes, adfText, assertValidAdf } from './assert-valid-adf';

interface Expectation {
  options?: HtmlToAdfOptions;
  text?: string[];
  absent?: string[];
  nodes?: Record<string, number>;
  noNodes?: string[];
  marks?: string[];
  noMarks?: boolean;
  mentions?: string[];
  links?: string[];
  codeLanguages?: string[];
  empty?: boolean;
}

const CORPUS = path.resolve(__dirname, '../../fixtures/teams-html');
const cases = fs
  .readdirSync(CORPUS)
  .filter((f) => f.endsWith('.html'))
  .sort();

describe('htmlToAdf over the Teams message corpus', () => {
  it('has a case for every kind of content the issue names', () => {
    for (const name of ['mention', 'code', 'lists', 'table', 'emoji', 'links', 'images', 'nested-formatting', 'empty', 'hostile']) {
      assert.ok(
        cases.some((c) => c.startsWith(name)),
        `no corpus case for ${name}`,
      );
    }
  });

  for (const file of cases) {
    it(file, () => {
      const html = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, file.replace(/\.html$/, '.expect.json')), 'utf8')) as Expectation;
      const doc = htmlToAdf(html, expected.options);
      assertValidAdf(doc);

      const json = JSON.stringify(doc);
      const text = adfText(doc);
      const nodes = adfNodes(doc);
      const inline = nodes.filter((n) => n.type === 'text');
      const marks = new Set(inline.flatMap((n) => (n.marks ?? []).map((m: { type: string }) => m.type)));

      if (expected.empty) assert.deepEqual(doc.content, []);
      for (const t of expected.text ?? []) assert.ok(text.includes(t), `missing ${JSON.stringify(t)} in:\n${text}`);
      for (const a of expected.absent ?? []) assert.ok(!json.includes(a), `${JSON.stringify(a)} leaked into ${json}`);
      for (const [type, min] of Object.entries(expected.nodes ?? {})) {
        const count = nodes.filter((n) => n.type === type).length;
        assert.ok(count >= min, `${type}: ${count} < ${min}`);
      }
      for (const type of expected.noNodes ?? []) assert.ok(!nodes.some((n) => n.type === type), `unexpected ${type}`);
      for (const mark of expected.marks ?? []) assert.ok(marks.has(mark), `no ${mark} mark`);
      if (expected.noMarks) assert.equal(marks.size, 0);
      if (expected.mentions) {
        assert.deepEqual(
          nodes.filter((n) => n.type === 'mention').map((n) => n.attrs.id),
          expected.mentions,
        );
      }
      if (expected.links) {
        const hrefs = inline.flatMap((n) => (n.marks ?? []).filter((m: { type: string }) => m.type === 'link').map((m: { attrs: { href: string } }) => m.attrs.href));
        assert.deepEqual([...new Set(hrefs)], expected.links);
      }
      if (expected.codeLanguages) {
        assert.deepEqual(
          nodes.filter((n) => n.type === 'codeBlock' && n.attrs).map((n) => n.attrs.language),
          expected.codeLanguages,
        );
      }
    });
  }
});
