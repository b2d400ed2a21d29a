import { JQL_RESERVED_WORDS } from './jql-reserved-words';
import type { JqlClause, JqlOperand, JqlQuery } from './jql-query';

/** The `structure` of a ParsedJqlQuery in Jira's platform OpenAPI spec (POST /rest/api/3/jql/parse). */
export interface JqlStructure {
  where?: JqlStructureClause;
  orderBy?: { fields: Array<{ field: JqlStructureField; direction: 'asc' | 'desc' }> };
}

export interface JqlStructureField {
  name: string;
  encodedName: string;
}

export type JqlStructureClause = { operator: 'and' | 'or' | 'not'; clauses: JqlStructureClause[] } | { field: JqlStructureField; operator: string; operand: JqlStructureOperand };

export type JqlStructureOperand =
  | { value: string; encodedValue: string }
  | { values: JqlStructureOperand[]; encodedOperand: string }
  | { function: string; arguments: string[]; encodedOperand: string }
  | { keyword: 'empty' };

// Words and characters after which a value no longer reads back as the same value unquoted.
const NEEDS_QUOTES = /[\s=!<>~(),"'&|{}[\]%^$#@;?*\\]/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'order', 'empty', 'null']);

/** Renders a parsed query in Jira's JSON shape, with encoded forms that read back as the same JQL. */
export function toJqlStructure(query: JqlQuery): JqlStructure {
  const structure: JqlStructure = {};
  if (query.where) structure.where = clauseOf(query.where);
  if (query.orderBy.length > 0) {
    structure.orderBy = {
      fields: query.orderBy.map((o) => ({ field: fieldOf(o.field), direction: o.direction === 'ASC' ? 'asc' : 'desc' })),
    };
  }
  return structure;
}

function clauseOf(clause: JqlClause): JqlStructureClause {
  switch (clause.kind) {
    case 'and':
    case 'or':
      return { operator: clause.kind, clauses: clause.clauses.map(clauseOf) };
    case 'not':
      return { operator: 'not', clauses: [clauseOf(clause.clause)] };
    case 'terminal':
      return { field: fieldOf(clause.fieldName), operator: clause.operator, operand: operandOf(clause.operand) };
    default:
      throw new Error(`Unknown clause ${JSON.stringify(clause)}`);
  }
}

function fieldOf(name: string): JqlStructureField {
  return { name, encodedName: encode(name) };
}

function operandOf(operand: JqlOperand): JqlStructureOperand {
  switch (operand.kind) {
    case 'value':
      return { value: operand.value, encodedValue: encode(operand.value) };
    case 'empty':
      return { keyword: 'empty' };
    case 'function':
      return { function: operand.name, arguments: operand.args, encodedOperand: encodeFunction(operand.name, operand.args) };
    case 'list': {
      const values = operand.items.map(operandOf);
      return { values, encodedOperand: `(${operand.items.map(encodeOperand).join(', ')})` };
    }
    default:
      throw new Error(`Unknown operand ${JSON.stringify(operand)}`);
  }
}

function encodeOperand(operand: JqlOperand): string {
  switch (operand.kind) {
    case 'value':
      return encode(operand.value);
    case 'empty':
      return 'EMPTY';
    case 'function':
      return encodeFunction(operand.name, operand.args);
    case 'list':
      return `(${operand.items.map(encodeOperand).join(', ')})`;
    default:
      throw new Error(`Unknown operand ${JSON.stringify(operand)}`);
  }
}

function encodeFunction(name: string, args: string[]): string {
  return `${name}(${args.map(encode).join(', ')})`;
}

function encode(text: string): string {
  const lower = text.toLowerCase();
  const plain = text !== '' && !NEEDS_QUOTES.test(text) && !KEYWORDS.has(lower) && !JQL_RESERVED_WORDS.has(lower);
  return plain ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}
