import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Config } from '../config';
import { GraphError, GraphErrorCode } from './graph-error';

/** An app-only Graph access token for a tenant; undefined in local mode, where nothing signs requests. */
export type GraphTokenSource = (tenantId: string) => Promise<string | undefined>;

/** Tenants whose credential is kept; a multi-tenant bot rarely serves more at once. */
const MAX_TENANT_CREDENTIALS = 500;

/**
 * The bot's own Entra identity, used app-only (client credentials) against Graph. The token must
 * come from the tenant the team or chat lives in, because resource-specific consent is granted
 * there: a multi-tenant bot asks each conversation's tenant; a single-tenant bot its own; a bot
 * running as a user-assigned managed identity can only be issued tokens by its home tenant.
 * `@azure/identity` caches and refreshes tokens inside each credential.
 */
export function graphTokenSource(bot: Config['bot'], graphBaseUrl: string): GraphTokenSource {
  if (!bot.id) return async () => undefined;
  // `.default` of Graph's own origin, so national clouds (graph.microsoft.us ...) get their audience.
  const scope = `${new URL(graphBaseUrl).origin}/.default`;
  const botId = bot.id;

  let credentialFor: (tenantId: string) => TokenCredential;
  if (bot.type === 'UserAssignedMSI') {
    const identity = new ManagedIdentityCredential({ clientId: botId });
    credentialFor = () => identity;
  } else if (bot.type === 'SingleTenant') {
    const own = new ClientSecretCredential(bot.tenantId ?? '', botId, bot.password ?? '');
    credentialFor = () => own;
  } else {
    const perTenant = new Map<string, TokenCredential>();
    credentialFor = (tenantId) => {
      let credential = perTenant.get(tenantId);
      if (!credential) {
        if (perTenant.size >= MAX_TENANT_CREDENTIALS) perTenant.delete(perTenant.keys().next().value as string);
        credential = new ClientSecretCredential(tenantId, botId, bot.password ?? '');
        perTenant.set(tenantId, credential);
      }
      return credential;
    };
  }

  return async (tenantId) => {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId) && bot.type === 'MultiTenant') {
      throw new GraphError(GraphErrorCode.Unauthenticated, 'The conversation names no Microsoft Entra tenant to ask Graph in.');
    }
    try {
      const token = await credentialFor(tenantId).getToken(scope);
      if (!token) throw new Error('no token');
      return token.token;
    } catch (error) {
      // The credential's message may name the app and tenant but never the secret; keep only its kind.
      throw new GraphError(GraphErrorCode.Unauthenticated, `Could not get a Microsoft Graph token (${(error as Error).name ?? 'error'}).`);
    }
  };
}
