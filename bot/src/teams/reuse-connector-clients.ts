import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import {
  AuthenticationConstants,
  ConnectorFactory,
  type BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/**
 * Service URLs (per bot identity and audience) whose connector client is kept. Teams gives a bot a
 * handful of regional service URLs, or one per tenant; past this the least recently used client is
 * dropped and built again when next needed, so memory stays bounded whatever the number of tenants.
 */
const DEFAULT_MAX_CLIENTS = 256;

/**
 * A least-recently-used map of promises; a rejected one is forgotten, so the next call tries again.
 * The promise itself is kept (not lru-cache's fetch()), so concurrent callers share one build and
 * one crowded out while still building resolves for its callers all the same.
 */
export function promiseCache<T>(max: number): (key: string, make: () => Promise<T>) => Promise<T> {
  const entries = new LRUCache<string, Promise<T>>({ max });
  return (key, make) => {
    const kept = entries.get(key);
    if (kept) return kept;
    const made = make();
    entries.set(key, made);
    made.catch(() => {
      if (entries.peek(key) === made) entries.delete(key);
    });
    return made;
  };
}

/** The claims botbuilder takes a client's app id from (a proactive turn sets both to the bot's id). */
function identityKey(claimsIdentity: ClaimsIdentity): string {
  return [AuthenticationConstants.AudienceClaim, AuthenticationConstants.AppIdClaim].map((claim) => claimsIdentity.getClaimValue(claim) ?? '').join('\n');
}

/**
 * Makes the adapter's proactive turns (`continueConversationAsync`: alerts, sign-in confirmations)
 * reuse one connector client per bot identity, service URL and audience, and one user token client
 * per bot identity, instead of building both for every send.
 *
 * botbuilder's CloudAdapter asks its BotFrameworkAuthentication for a new ConnectorFactory, a new
 * ConnectorClient (with its own credentials object and HTTP pipeline) and a new UserTokenClient on
 * every proactive turn: about a millisecond of CPU per alert, which a burst of hundreds of sends a
 * second pays in full. A connector client holds no conversation state (the conversation is a
 * parameter of each call), and the Bot Framework's own guidance is to keep one per service URL and
 * credentials (microsoft/botbuilder-dotnet#883). Tokens stay fresh: the kept client's credentials
 * ask botbuilder's AppCredentials for a token on every request, which serves its cached token until
 * five minutes before expiry and then fetches a new one (bot/test/teams/reuse-connector-clients.test.ts).
 *
 * An inbound turn keeps the connector client botbuilder builds inside authenticateRequest; its
 * user token client is the kept one of its bot identity too (it depends on nothing else).
 * Like refuseUnverifiableTokens, this wraps methods of the adapter's own authentication object,
 * which teams-ai's TeamsAdapter creates itself and offers no way to pass in.
 */
export function reuseConnectorClients(adapter: TeamsAdapter, max = DEFAULT_MAX_CLIENTS): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  const clients = promiseCache<ConnectorClient>(max);
  const userTokenClients = promiseCache<UserTokenClient>(max);

  auth.createConnectorFactory = (claimsIdentity) => {
    const identity = identityKey(claimsIdentity);
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return clients(`${identity}\n${serviceUrl}\n${audience ?? ''}`, () => createConnectorFactory(claimsIdentity).create(serviceUrl, audience));
      }
    })();
  };
  auth.createUserTokenClient = (claimsIdentity) => userTokenClients(identityKey(claimsIdentity), () => createUserTokenClient(claimsIdentity));
}
