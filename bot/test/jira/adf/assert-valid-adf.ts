import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { SHARED_REF } from '../../support/validate-card';

let validate: ValidateFunction | undefined;

/** The published ADF schema (draft-04), compiled once for the whole run. */
function adfValidator(): ValidateFunction {
  if (validate) return validate;
  const schema = JSON.parse(fs.readFileSync(path.join(SHARED_REF, 'jira/adf-schema.json'), 'utf8'));
  validate = new Ajv({ strict: false, allErrors: false }).compile(schema);
  return validate;
}

/** Fails unless the document validates against ../shared/ref/jira/adf-schema.json. */
export function assertValidAdf(doc: unknown): void {
  const check = adfValidator();
  assert.ok(check(doc), `Not valid ADF: ${JSON.stringify(check.errors?.slice(0, 3))}\n${JSON.stringify(doc).slice(0, 2000)}`);
}

/** Every node of a document, depth first, for structural assertions. */
export function adfNodes(doc: unknown): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (node: any): void => {
    out.push(node);
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return out;
}

/** The visible text of a document: text, mention names, one line per block. */
export function adfText(doc: unknown): string {
  const lines: string[] = [];
  const inline = (node: any): string => (node.type === 'text' ? node.text : node.type === 'mention' ? node.attrs.text : node.type === 'hardBreak' ? '\n' : '');
  const walk = (node: any): void => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') {
      lines.push((node.content ?? []).map(inline).join(''));
    } else for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return lines.join('\n');
}
