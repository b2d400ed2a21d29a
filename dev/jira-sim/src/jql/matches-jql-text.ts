// Lucene's English stop words, which Jira's index drops, so `~ "the login"` means `~ login`.
const STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);
const WORD = /[\p{L}\p{N}_]+/gu;
const TERM = /[\p{L}\p{N}_*?]+/gu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Jira-style `~`: the query is split into words, case-insensitively; every word must occur in
 * one of the documents, in any order. `*` and `?` are wildcards inside a word (`win*`,
 * `te?t`); a phrase in inner double quotes must occur as consecutive words in one document.
 * No stemming. A query of stop words only matches nothing.
 */
export function matchesJqlText(query: string, documents: string[]): boolean {
  const docs = documents.map(words);
  const phrases: string[][] = [];
  const rest = query.replace(/"([^"]*)"?/g, (_, phrase: string) => {
    const phraseWords = words(phrase);
    if (phraseWords.length > 0) phrases.push(phraseWords);
    return ' ';
  });
  const terms = (rest.toLowerCase().match(TERM) ?? []).filter((t) => !STOP_WORDS.has(t) && /[\p{L}\p{N}_]/u.test(t));
  if (terms.length === 0 && phrases.length === 0) return false;
  return (
    terms.every((term) => {
      const pattern = termPattern(term);
      return docs.some((doc) => doc.some((word) => pattern.test(word)));
    }) && phrases.every((phrase) => docs.some((doc) => containsPhrase(doc, phrase)))
  );
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
