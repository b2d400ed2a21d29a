import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { CardFactory, MessageFactory, TurnContext, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { ProactiveAdapter } from '../proactive-adapter';
import { promiseCache } from '../reuse-connector-clients';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import type { ConversationReferences } from '../../conversations/conversation-references';
import { AlertError, AlertErrorCode } from '../../alerts/alert-error';
import type { AlertTarget } from '../../alerts/alert-outbox';
import type { AlertSender } from '../../alerts/alert-sender';

/** Service URLs whose connector client the sender keeps (as reuse-connector-clients.ts does; Teams has one per region or tenant). */
const MAX_CLIENTS = 256;

/**
 * Sends alerts into the conversation reference stored at install, through botbuilder's own
 * connector client for the reference's service URL: its pipeline signs each request with the
 * bot's token (botbuilder's cached token, renewed before expiry), retries 429 and 5xx answers
 * and sets the user agent, exactly as a proactive turn's sends do. With an empty bot app id
 * (local mode) it sends without a token, which the local emulation accepts.
 *
 * What it skips is per-send work that an alert does not need, most of a send's CPU in a burst
 * (bench "worker's CPU per message delivered"): a proactive turn per alert
 * (`continueConversationAsync`: a continuation activity, claims, a turn context, the middleware
 * pipeline) and the connector's model serializer, which walks the Activity schema property by
 * property to produce what JSON.stringify of the same activity produces. The client comes from
 * one proactive turn per service URL (`context.turnState`, the adapter's ConnectorClientKey), so
 * it is the very client a turn would use, and the request goes through its public `sendRequest`.
 *
 * The calls are the Bot Connector REST API's documented ones: a post is Send to Conversation
 * (`POST /v3/conversations/{id}/activities`), a reply in a channel thread the same call on the
 * thread's conversation id (`{channel id};messageid={root id}`), an update Update Activity
 * (`PUT .../activities/{activityId}`). The activity carries the reference's channel,
 * conversation, bot and user as botbuilder's applyConversationReference sets them.
 */
export function adapterAlertSender(deps: { adapter: ProactiveAdapter; botAppId?: string; conversations: ConversationReferences }): AlertSender {
  const clients = promiseCache<ConnectorClient>(MAX_CLIENTS);

  const reference = async (target: AlertTarget, rootActivityId?: string): Promise<Partial<ConversationReference>> => {
    const record = await deps.conversations.get(target.tenantId, target.conversationId);
    if (!record) throw new AlertError(AlertErrorCode.ConversationUnknown, 'The app is no longer installed in this conversation.');
    // The stored activity id is the install's; an alert is not an answer to it.
    const stored = { ...(record.reference as Partial<ConversationReference>), activityId: undefined };
    if (!rootActivityId || record.conversationType !== 'channel' || !stored.conversation) return stored;
    // Teams addresses a channel thread as the channel id with the root message's id appended.
    return { ...stored, conversation: { ...stored.conversation, id: `${target.conversationId};messageid=${rootActivityId}` } };
  };

  /** botbuilder's connector client for the reference's service URL, taken from one proactive turn and kept. */
  const clientFor = (ref: Partial<ConversationReference>): Promise<ConnectorClient> =>
    clients(ref.serviceUrl ?? '', async () => {
      let client: ConnectorClient | undefined;
      await deps.adapter.continueConversationAsync(deps.botAppId ?? '', ref, async (context) => {
        client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      });
      if (!client) throw new Error('The adapter gave the proactive turn no connector client');
      return client;
    });

  /** Sends the card as a message activity addressed from `ref`; resolves with the answer's activity id. */
  async function call(method: 'POST' | 'PUT', ref: Partial<ConversationReference>, card: AdaptiveCard, activityId?: string): Promise<string> {
    const client = await clientFor(ref);
    const activity = TurnContext.applyConversationReference({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), ...(activityId ? { id: activityId } : {}) }, ref);
    const conversationId = encodeURIComponent(ref.conversation?.id ?? '');
    const url = `${(ref.serviceUrl ?? '').replace(/\/+$/, '')}/v3/conversations/${conversationId}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
    const request = createPipelineRequest({
      url,
      method,
      body: JSON.stringify(activity),
      headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8' }),
      // As botbuilder's client allows for an http: service URL (the local emulation); Teams' are https.
      allowInsecureConnection: url.startsWith('http:'),
    });
    const response = await client.sendRequest(request);
    if (response.status < 200 || response.status >= 300) {
      // The status is what classifySendError reads, as from botbuilder's own operations; the
      // request (with its token) stays out of the error, which is logged.
      throw new RestError(`The Bot Connector answered ${response.status} to ${method} ${method === 'PUT' ? 'Update Activity' : 'Send to Conversation'}`, {
        statusCode: response.status,
      });
    }
    const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as { id?: unknown }) : {};
    return typeof body.id === 'string' ? body.id : '';
  }

  return {
    post: async (target, card) => call('POST', await reference(target), card),
    reply: async (target, rootActivityId, card) => call('POST', await reference(target, rootActivityId), card),
    update: async (target, activityId, card) => {
      await call('PUT', await reference(target), card, activityId);
    },
  };
}
