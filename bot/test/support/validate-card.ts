import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { CARD_MAX_BYTES, cardBytes, type AdaptiveCard } from '../../src/cards/adaptive-card';

/** ../shared/ref sits beside the repository (CI lays a copy of shared/ there too). */
export const SHARED_REF = path.resolve(__dirname, '../../../../shared/ref');

let validate: ValidateFunction | undefined;

function cardSchemaValidator(): ValidateFunction {
  if (validate) return validate;
  const { id, ...schema } = JSON.parse(fs.readFileSync(path.join(SHARED_REF, 'adaptivecards/adaptive-card-1.5.0.json'), 'utf8'));
  // The published file names its id the draft-04 way under a draft-06 $schema; ajv wants $id.
  schema.$id = id;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft06);
  validate = ajv.compile(schema);
  return validate;
}

/** Fails unless the card validates against the Adaptive Card 1.5 schema and fits Teams' 28 KB limit. */
export function assertValidCard(card: unknown): asserts card is AdaptiveCard {
  const check = cardSchemaValidator();
  const ok = check(card);
  assert.ok(ok, `Card does not match the Adaptive Card 1.5 schema: ${JSON.stringify(check.errors?.slice(0, 5), null, 1)}`);
  const typed = card as AdaptiveCard;
  assert.equal(typed.version, '1.5', 'cards target schema 1.5');
  assert.ok(cardBytes(typed) <= CARD_MAX_BYTES, `Card is ${cardBytes(typed)} bytes, over Teams' 28 KB limit`);
}

/** All text a card shows, for content assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') parts.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}

/** The first element of a card (inputs, actions, containers) with this id, for assertions on one input. */
export function findCardElement(card: unknown, id: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Record<string, any>).id === id) found ??= node as Record<string, any>;
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}
