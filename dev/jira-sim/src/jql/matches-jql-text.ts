// Lucene's English stop words, which Jira's index drops, so `~ "the login"` means `~ login`.
const STOP_WORDS = new Set('a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '));
const WORD = /[\p{L}\p{N}_]+/gu;
const TERM = /[\p{L}\p{N}_*?]+/gu;
const CHUNK_END = /[\s"()]/u;

type Matcher = (docs: string[][]) => boolean;

/** Terms joined by OR (or ||) form separate groups; within a group every term is required. */
interface Group {
  required: Matcher[];
  prohibited: Matcher[];
}

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Jira Cloud's `~` (its "search syntax for text fields"): the query is split into words,
 * case-insensitively, and every word must occur in one of the documents, in any order.
 * `*` and `?` are wildcards inside a word (`win*`, `te?t`); a phrase in inner double quotes
 * must occur as consecutive words in one document. The upper-case Boolean operators work:
 * AND, &&, + (required), OR, || (either side), NOT, -, ! (prohibited). Stop words are ignored;
 * no stemming. A query with nothing left to require matches nothing.
 */
export function matchesJqlText(query: string, documents: string[]): boolean {
  const docs = documents.map(words);
  return parseTextQuery(query).some((group) => group.required.length > 0 && group.required.every((m) => m(docs)) && !group.prohibited.some((m) => m(docs)));
}

function parseTextQuery(query: string): Group[] {
  const groups: Group[] = [{ required: [], prohibited: [] }];
  let prohibitNext = false;
  const add = (matcher: Matcher) => {
    const group = groups[groups.length - 1];
    (prohibitNext ? group.prohibited : group.required).push(matcher);
  };
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (CHUNK_END.test(c) && c !== '"') {
      i++;
      continue;
    }
    if (c === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close < 0 ? query.length : close;
      const phrase = words(query.slice(i + 1, end));
      if (phrase.length > 0) add((docs) => docs.some((doc) => containsPhrase(doc, phrase)));
      prohibitNext = false;
      i = end + 1;
      continue;
    }
    if (c === '+' || c === '-' || c === '!') {
      prohibitNext = c !== '+';
      i++;
      continue;
    }
    let end = i;
    while (end < query.length && !CHUNK_END.test(query[end])) end++;
    const chunk = query.slice(i, end);
    i = end;
    if (chunk === 'OR' || chunk === '||') {
      groups.push({ required: [], prohibited: [] });
    } else if (chunk === 'NOT') {
      prohibitNext = true;
      continue;
    } else if (chunk !== 'AND' && chunk !== '&&') {
      const terms = (chunk.toLowerCase().match(TERM) ?? []).filter((t) => !STOP_WORDS.has(t) && /[\p{L}\p{N}_]/u.test(t));
      for (const term of terms) {
        const pattern = termPattern(term);
        add((docs) => docs.some((doc) => doc.some((word) => pattern.test(word))));
      }
    }
    prohibitNext = false;
  }
  return groups;
}

function termPattern(term: string): RegExp {
  const source = term.replace(/\*/g, '[\\p{L}\\p{N}_]*').replace(/\?/g, '[\\p{L}\\p{N}_]');
  return new RegExp(`^${source}$`, 'u');
}

function containsPhrase(doc: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= doc.length; i++) {
    if (phrase.every((word, j) => doc[i + j] === word)) return true;
  }
  return false;
}
