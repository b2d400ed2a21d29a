import { startBotConnector, type RecordedCall } from '@jira-teams/bot-connector-emu';

/**
 * The Bot Connector emulation in a process of its own, as Teams is remote in production: its
 * bookkeeping (every send is checked against the conversation's history) must not eat the
 * delivery worker's CPU. The parent talks to it over the IPC channel of `fork`.
 */
export type ConnectorRequest = { type: 'wait'; count: number; timeoutMs: number } | { type: 'report'; conversationIds: string[]; tokenPattern: string };

export interface ConversationReport {
  conversationId: string;
  /** Accepted sends: arrival time and the first match of tokenPattern's group in the message, to tell which event it was. */
  sends: Array<{ time: number; token?: string }>;
  /** Sliding-window peaks from the emulation's sendRate. */
  peaks: Array<{ windowMs: number; max: number; peak: number }>;
}

export type ConnectorReply = { type: 'ready'; url: string } | { type: 'waited'; accepted: number } | { type: 'report'; conversations: ConversationReport[]; refused: number };

/** Message kinds Teams counts as a new message in a conversation (a post, or a post into a thread). */
const SEND_KINDS: ReadonlyArray<RecordedCall['kind']> = ['sendToConversation', 'replyToActivity'];

async function main(): Promise<void> {
  const connector = await startBotConnector({ enforceTeamsLimits: true });
  const send = (reply: ConnectorReply) => process.send!(reply);
  // Counted incrementally: a waitFor predicate runs on every call the emulation records.
  let scanned = 0;
  let accepted = 0;
  const count = (calls: readonly RecordedCall[]) => {
    for (; scanned < calls.length; scanned += 1) if (SEND_KINDS.includes(calls[scanned].kind) && calls[scanned].status < 300) accepted += 1;
    return accepted;
  };
  process.on('message', (request: ConnectorRequest) => {
    if (request.type === 'wait') {
      void connector
        .waitFor((calls) => count(calls) >= request.count, { timeoutMs: request.timeoutMs })
        .catch(() => undefined)
        .then(() => send({ type: 'waited', accepted: count(connector.calls) }));
    } else {
      const pattern = new RegExp(request.tokenPattern);
      const conversations = request.conversationIds.map((conversationId) => ({
        conversationId,
        sends: connector.activities(conversationId).map((call) => ({ time: call.time, token: pattern.exec(JSON.stringify(call.body))?.[1] })),
        peaks: connector.sendRate(conversationId).windows,
      }));
      send({ type: 'report', conversations, refused: connector.calls.filter((c) => c.status === 429).length });
    }
  });
  process.once('disconnect', () => void connector.close().then(() => process.exit(0)));
  send({ type: 'ready', url: connector.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
