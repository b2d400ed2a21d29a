/** Messages as the conversation shows them now: sent, then updated or deleted. */
export class MessageStore {
  private readonly messages = new Map<string, any>();
  private lastId = 0;

  /** Teams message ids are epoch milliseconds; keep them unique when several land in one millisecond. */
  nextId(): string {
    this.lastId = Math.max(Date.now(), this.lastId + 1);
    return String(this.lastId);
  }

  put(id: string, body: any, conversationId: string, replyToId?: string): void {
    this.messages.set(id, { ...body, id, conversation: { ...body?.conversation, id: conversationId }, ...(replyToId ? { replyToId } : {}) });
  }

  get(id: string): any {
    return this.messages.get(id);
  }

  delete(id: string): boolean {
    return this.messages.delete(id);
  }

  clear(): void {
    this.messages.clear();
  }
}
