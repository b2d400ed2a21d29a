import { findJqlCustomField, findJqlField, type JqlCustomField } from './find-jql-field';
import { JqlError } from './jql-error';
import { JQL_RESERVED_WORDS } from './jql-reserved-words';
import {
  JQL_HISTORY_OPERATORS,
  type JqlClause,
  type JqlCustomFieldRef,
  type JqlFieldId,
  type JqlHistoryPredicate,
  type JqlHistoryPredicateName,
  type JqlOperand,
  type JqlOperator,
  type JqlOrderBy,
  type JqlQuery,
} from './jql-query';
import { tokenizeJql, type JqlToken } from './tokenize-jql';

const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT', 'WAS', 'WAS IN', 'WAS NOT', 'WAS NOT IN' and 'CHANGED'.";
const HISTORY_PREDICATES: ReadonlySet<string> = new Set(['after', 'before', 'on', 'during', 'by', 'from', 'to']);
// Words that end or join clauses, so they can never be a bare value or field name.
const RESERVED_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'order']);
// Far beyond any hand-written query; keeps hostile input from overflowing the stack (a 500).
const MAX_NESTING = 200;

/**
 * Parses JQL into a syntax tree. Hand-written recursive descent, precedence NOT > AND > OR,
 * because no maintained JavaScript JQL parser exists and Jira's error texts (which users see)
 * need token positions. Blank JQL matches everything. Unknown fields are reported after a
 * successful parse, as Jira reports syntax first.
 */
export function parseJql(text: string, options: { customFields?: readonly JqlCustomField[] } = {}): JqlQuery {
  return new Parser(text, options.customFields ?? []).parse();
}

class Parser {
  private readonly tokens: JqlToken[];
  private position = 0;
  private depth = 0;
  private readonly unknownFields: string[] = [];
  private readonly unsortable: string[] = [];

  constructor(
    private readonly text: string,
    private readonly customFields: readonly JqlCustomField[],
  ) {
    this.tokens = tokenizeJql(text);
  }

  parse(): JqlQuery {
    let where: JqlClause | undefined;
    if (this.peek().type !== 'eof' && !this.isWord(this.peek(), 'order')) {
      where = this.parseOr();
      const next = this.peek();
      if (next.type !== 'eof' && !this.isWord(next, 'order')) {
        throw this.error(`Expecting either 'OR' or 'AND' but got '${next.text}'.`, next);
      }
    }
    const orderBy = this.isWord(this.peek(), 'order') ? this.parseOrderBy() : [];
    const rest = this.peek();
    if (rest.type !== 'eof') throw this.error(`Expecting ',' but got '${rest.text}'.`, rest);
    const problems = [
      ...this.unknownFields.map((f) => `Field '${f}' does not exist or you do not have permission to view it.`),
      ...this.unsortable.map((f) => `Not able to sort using field '${f}'.`),
    ];
    if (problems.length > 0) throw new JqlError(problems);
    return where ? { where, orderBy } : { orderBy };
  }

  private parseOr(): JqlClause {
    const clauses = [this.parseAnd()];
    while (this.peek().type === 'or' || this.isWord(this.peek(), 'or')) {
      this.position++;
      clauses.push(this.parseAnd());
    }
    return clauses.length === 1 ? clauses[0] : { kind: 'or', clauses };
  }

  private parseAnd(): JqlClause {
    const clauses = [this.parseNot()];
    while (this.peek().type === 'and' || this.isWord(this.peek(), 'and')) {
      this.position++;
      clauses.push(this.parseNot());
    }
    return clauses.length === 1 ? clauses[0] : { kind: 'and', clauses };
  }

  private parseNot(): JqlClause {
    const token = this.peek();
    if (++this.depth > MAX_NESTING) throw this.error('The query is nested too deeply.', token);
    try {
      return this.parseNested(token);
    } finally {
      this.depth--;
    }
  }

  private parseNested(token: JqlToken): JqlClause {
    if (token.type === 'bang' || this.isWord(token, 'not')) {
      this.position++;
      return { kind: 'not', clause: this.parseNot() };
    }
    if (token.type === 'lparen') {
      this.position++;
      const inner = this.parseOr();
      const close = this.next();
      if (close.type !== 'rparen') {
        const detail = close.type === 'word' || close.type === 'string' ? `Expecting either 'OR' or 'AND' but got '${close.text}'.` : `Expecting ')' but got '${close.text}'.`;
        throw this.error(detail, close);
      }
      return inner;
    }
    return this.parseTerminal();
  }

  private parseTerminal(): JqlClause {
    const fieldToken = this.next();
    const { field, custom } = this.fieldOf(fieldToken);
    const operator = this.parseOperator();
    const operand: JqlOperand = operator === 'changed' ? { kind: 'list', items: [] } : this.parseOperand(true);
    // An unknown field only stands in until parse() throws for it; no caller ever sees it.
    const clause = { kind: 'terminal' as const, field: field ?? 'summary', fieldName: fieldToken.value, operator, operand, ...(custom ? { custom } : {}) };
    return JQL_HISTORY_OPERATORS.has(operator) ? { ...clause, predicates: this.parsePredicates() } : clause;
  }

  /** AFTER / BEFORE / ON / DURING / BY / FROM / TO after WAS or CHANGED, each with its operand. */
  private parsePredicates(): JqlHistoryPredicate[] {
    const predicates: JqlHistoryPredicate[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type !== 'word' || !HISTORY_PREDICATES.has(token.value.toLowerCase()) || token.text.toLowerCase() !== token.value.toLowerCase()) {
        return predicates;
      }
      this.position++;
      predicates.push({ name: token.value.toLowerCase() as JqlHistoryPredicateName, operand: this.parseOperand(true) });
    }
  }

  /** Undefined for an unknown field, which is recorded and reported once the whole query parsed. */
  private fieldOf(token: JqlToken): { field?: JqlFieldId; custom?: JqlCustomFieldRef; sortable?: boolean } {
    const isName = token.type === 'string' || (token.type === 'word' && !RESERVED_WORDS.has(token.value.toLowerCase()));
    if (!isName) throw this.error(`Expecting a field name but got '${token.text}'.`, token);
    this.refuseReservedWord(token);
    const definition = findJqlField(token.value);
    if (definition) return { field: definition.id, sortable: definition.sortable };
    const custom = findJqlCustomField(token.value, this.customFields);
    if (custom) return { field: 'custom', custom: { id: custom.id, family: custom.family }, sortable: true };
    this.unknownFields.push(token.value);
    return {};
  }

  private parseOperator(): JqlOperator {
    const token = this.next();
    if (token.type === 'operator') return token.value as JqlOperator;
    if (this.isWord(token, 'in')) return 'in';
    if (this.isWord(token, 'not') && this.isWord(this.peek(), 'in')) {
      this.position++;
      return 'not in';
    }
    if (this.isWord(token, 'is')) {
      if (!this.isWord(this.peek(), 'not')) return 'is';
      this.position++;
      return 'is not';
    }
    if (this.isWord(token, 'was')) {
      const not = this.isWord(this.peek(), 'not');
      if (not) this.position++;
      const list = this.isWord(this.peek(), 'in');
      if (list) this.position++;
      return not ? (list ? 'was not in' : 'was not') : list ? 'was in' : 'was';
    }
    if (this.isWord(token, 'changed')) return 'changed';
    throw this.error(`Expecting operator but got '${token.text}'. ${VALID_OPERATORS}`, token);
  }

  private parseOperand(listAllowed: boolean): JqlOperand {
    const token = this.next();
    if (token.type === 'lparen' && listAllowed) return this.parseList();
    if (token.type === 'string') return { kind: 'value', value: token.value, quoted: true };
    if (token.type === 'word' && !RESERVED_WORDS.has(token.value.toLowerCase())) {
      const lower = token.value.toLowerCase();
      if (lower === 'empty' || lower === 'null') return { kind: 'empty' };
      if (this.peek().type === 'lparen') return this.parseFunction(token.value);
      this.refuseReservedWord(token);
      return { kind: 'value', value: token.value, quoted: false };
    }
    const surround = token.type === 'eof' ? '' : ` You must surround '${token.text}' in quotation marks to use it as a value.`;
    throw this.error(`Expecting either a value, list or function but got '${token.text}'.${surround}`, token);
  }

  private parseList(): JqlOperand {
    const items = [this.parseOperand(false)];
    for (;;) {
      const token = this.next();
      if (token.type === 'rparen') return { kind: 'list', items };
      if (token.type !== 'comma') throw this.error(`Expecting ')' but got '${token.text}'.`, token);
      items.push(this.parseOperand(false));
    }
  }

  private parseFunction(name: string): JqlOperand {
    this.position++; // (
    const args: string[] = [];
    if (this.peek().type === 'rparen') {
      this.position++;
      return { kind: 'function', name, args };
    }
    for (;;) {
      const arg = this.next();
      if (arg.type !== 'word' && arg.type !== 'string') {
        throw this.error(`Expecting a function argument but got '${arg.text}'.`, arg);
      }
      args.push(arg.value);
      const token = this.next();
      if (token.type === 'rparen') return { kind: 'function', name, args };
      if (token.type !== 'comma') throw this.error(`Expecting ')' but got '${token.text}'.`, token);
    }
  }

  private parseOrderBy(): JqlOrderBy[] {
    this.position++; // ORDER
    const by = this.next();
    if (!this.isWord(by, 'by')) throw this.error(`Expecting 'BY' but got '${by.text}'.`, by);
    const orderBy: JqlOrderBy[] = [];
    for (;;) {
      const fieldToken = this.next();
      const { field, custom, sortable } = this.fieldOf(fieldToken);
      let direction: JqlOrderBy['direction'] = 'ASC';
      const next = this.peek();
      if (this.isWord(next, 'asc') || this.isWord(next, 'desc')) {
        direction = next.value.toUpperCase() as JqlOrderBy['direction'];
        this.position++;
      } else if (next.type !== 'comma' && next.type !== 'eof') {
        throw this.error(`Expecting either 'ASC' or 'DESC' but got '${next.text}'.`, next);
      }
      if (field) {
        if (!sortable) this.unsortable.push(fieldToken.value);
        else if (orderBy.some((o) => o.field === field && o.custom?.id === custom?.id)) {
          throw new JqlError([`The sort field '${fieldToken.value}' is referenced multiple times in the JQL sort.`]);
        } else orderBy.push({ field, direction, ...(custom ? { custom } : {}) });
      }
      if (this.peek().type !== 'comma') return orderBy;
      this.position++;
    }
  }

  private refuseReservedWord(token: JqlToken): void {
    if (token.type === 'word' && JQL_RESERVED_WORDS.has(token.text.toLowerCase())) {
      throw this.error(`The word '${token.text}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`, token);
    }
  }

  private isWord(token: JqlToken, word: string): boolean {
    return token.type === 'word' && token.value.toLowerCase() === word && token.text.toLowerCase() === word;
  }

  private peek(): JqlToken {
    return this.tokens[this.position];
  }

  private next(): JqlToken {
    const token = this.tokens[this.position];
    if (token.type !== 'eof') this.position++;
    return token;
  }

  private error(detail: string, token: JqlToken): JqlError {
    return JqlError.syntax(detail, this.text, token.offset);
  }
}
