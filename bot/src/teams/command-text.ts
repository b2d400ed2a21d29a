/**
 * Turns a message's text into a command line. teams-ai already removed the bot's @mention;
 * what remains may still carry HTML entities, non-breaking spaces and stray whitespace.
 */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A route selector for `name` followed by nothing or by arguments. */
export function commandPattern(name: string): RegExp {
  return new RegExp(`^\\s*(?:<at>[^<]*</at>\\s*)?${name}(?:\\s+[\\s\\S]*)?\\s*$`, 'i');
}
