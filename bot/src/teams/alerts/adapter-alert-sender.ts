import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  defaultRetryPolicy,
  proxyPolicy,
  RestError,
  userAgentPolicy,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { version as teamsAiVersion } from '@microsoft/teams-ai/package.json';
import { CardFactory, MessageFactory, TurnContext, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { version as connectorVersion } from 'botframework-connector/package.json';
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
 * The user agent botbuilder's connector client sends from a teams-ai adapter (ConnectorClientContext's
 * prefix, ConnectorFactoryImpl's USER_AGENT, TeamsAdapter's userAgent); core-rest-pipeline appends
 * its own name, Node's version and the OS. adapter-alert-sender.test.ts checks it against a turn's.
 */
const USER_AGENT_PREFIX = `botframework-connector/4.0.0 Microsoft-BotFramework/3.1 botframework-connector/${connectorVersion}  teamsai-js/${teamsAiVersion}`;

/** botbuilder's credentials sign a request by setting its Authorization header: all they use of it is `headers.set`. */
type Signable = Parameters<ConnectorClient['credentials']['signRequest']>[0];
const signable = (request: PipelineRequest) => ({ headers: request.headers }) as unknown as Signable;

/**
 * Sends alerts into the conversation reference stored at install, with botbuilder's credentials
 * for the reference's service URL (the bot's token: botbuilder's cached token, renewed before
 * expiry, on every request) and, from @azure/core-rest-pipeline, the policies of botbuilder's own
 * connector client that an alert needs: the proxy settings (HTTPS_PROXY, NO_PROXY), the user agent,
 * and the retry of 429 (after Retry-After), 5xx and network failures (defaultRetryPolicy, three
 * retries), so a send behaves as a proactive turn's send does. With an empty bot app id (local
 * mode) the credentials add no token, which the local emulation accepts.
 *
 * What it skips is per-send work that an alert does not need, most of a send's CPU in a burst
 * (bench "worker's CPU per message delivered"): a proactive turn per alert
 * (`continueConversationAsync`: a continuation activity, claims, a turn context, the middleware
 * pipeline), the connector's model serializer, which walks the Activity schema property by property
 * to produce what JSON.stringify of the same activity produces, and the rest of the connector
 * client's pipeline: request signing twice, the compatibility layer's conversions of request and
 * response, tracing spans (the HTTP instrumentation still records the call), the sanitizing
 * request log, a client request id, redirects (the Bot Connector answers, it does not redirect)
 * and response decompression (it answers a few bytes of JSON). Measured (profile of the delivery
 * phase, 2000 alerts over 100 channels, interleaved with the connector client's pipeline): about a
 * third of the sender's CPU. The credentials come from one proactive turn per service URL
 * (`context.turnState`, the adapter's ConnectorClientKey): the very client a turn would use.
 *
 * The calls are the Bot Connector REST API's documented ones: a post is Send to Conversation
 * (`POST /v3/conversations/{id}/activities`), a reply in a channel thread the same call on the
 * thread's conversation id (`{channel id};messageid={root id}`), an update Update Activity
 * (`PUT .../activities/{activityId}`). The activity carries the reference's channel,
 * conversation, bot and user as botbuilder's applyConversationReference sets them.
 */
export function adapterAlertSender(deps: { adapter: ProactiveAdapter; botAppId?: string; conversations: ConversationReferences }): AlertSender {
  const clients = promiseCache<ConnectorClient>(MAX_CLIENTS);
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(proxyPolicy());
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: USER_AGENT_PREFIX }));
  pipeline.addPolicy(defaultRetryPolicy(), { phase: 'Retry' });
  // Keeps its sockets alive between sends, as botbuilder's client does.
  const httpClient = createDefaultHttpClient();

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

  /** Sends the card as a message activity addressed from the target's reference; resolves with the answer's activity id. */
  async function call(method: 'POST' | 'PUT', target: AlertTarget, card: AdaptiveCard, ids: { rootActivityId?: string; activityId?: string } = {}): Promise<string> {
    const ref = await reference(target, ids.rootActivityId);
    const client = await clientFor(ref);
    const { activityId } = ids;
    const activity = TurnContext.applyConversationReference({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), ...(activityId ? { id: activityId } : {}) }, ref);
    const conversationId = encodeURIComponent(ref.conversation?.id ?? '');
    const url = `${(ref.serviceUrl ?? '').replace(/\/+$/, '')}/v3/conversations/${conversationId}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
    const request = createPipelineRequest({
      url,
      method,
      body: JSON.stringify(activity),
      // `accept` as botbuilder's ConnectorFactoryImpl sets it.
      headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', accept: '*/*' }),
      // As botbuilder's client allows for an http: service URL (the local emulation); Teams' are https.
      allowInsecureConnection: url.startsWith('http:'),
    });
    await client.credentials.signRequest(signable(request));
    const response = await pipeline.sendRequest(httpClient, request);
    if (response.status < 200 || response.status >= 300) {
      // The conversation may be gone, or its reference changed by an install elsewhere: read it again next time.
      deps.conversations.forget(target.tenantId, target.conversationId);
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
    post: (target, card) => call('POST', target, card),
    reply: (target, rootActivityId, card) => call('POST', target, card, { rootActivityId }),
    update: async (target, activityId, card) => {
      await call('PUT', target, card, { activityId });
    },
  };
}
