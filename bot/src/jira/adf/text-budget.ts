/**
 * How much text a conversion may still emit. Jira rejects rich-text fields over 32,767
 * characters, so a huge message is cut short instead of failing the whole create.
 */
export class TextBudget {
  private left: number;
  truncated = false;

  constructor(maxChars: number) {
    this.left = maxChars;
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }

  /** The part of `text` that still fits; marks the conversion truncated when it does not all fit. */
  take(text: string): string {
    if (text.length <= this.left) {
      this.left -= text.length;
      return text;
    }
    this.truncated = true;
    let end = Math.max(this.left, 0);
    // Never split a surrogate pair: half an emoji is not valid text for Jira.
    if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
    this.left = 0;
    return text.slice(0, end);
  }
}
