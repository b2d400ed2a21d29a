import type { JiraSimOptions } from './start-jira-sim';

/**
 * Maps the environment to simulator options for `npm run start:sim` (documented in README.md).
 * A bad value stops the start with a message naming the variable.
 */
export function readSimEnv(env: NodeJS.ProcessEnv = process.env): JiraSimOptions {
  const errors: string[] = [];
  const value = (name: string) => (env[name]?.trim() ? env[name].trim() : undefined);
  const integer = (name: string, fallback: number | undefined, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) errors.push(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const options: JiraSimOptions = {
    port: integer('JIRA_SIM_PORT', 3990, 0, 65535),
    publicUrl: value('JIRA_SIM_PUBLIC_URL'),
  };
  const seed = value('JIRA_SIM_SEED');
  if (seed !== undefined && seed !== 'demo' && seed !== 'empty') errors.push('JIRA_SIM_SEED must be demo or empty');
  else if (seed) options.seed = seed;
  const mode = value('JIRA_SIM_RATE_LIMIT_MODE');
  if (mode !== undefined && !['enforced', 'beta', 'off'].includes(mode)) errors.push('JIRA_SIM_RATE_LIMIT_MODE must be enforced, beta or off');
  const budget = integer('JIRA_SIM_RATE_LIMIT_BUDGET', undefined, 1, Number.MAX_SAFE_INTEGER);
  if (mode || budget !== undefined) {
    options.rateLimit = { ...(mode ? { mode: mode as 'enforced' | 'beta' | 'off' } : {}), ...(budget !== undefined ? { budget } : {}) };
  }
  const realism = value('JIRA_SIM_REALISM');
  if (realism !== undefined && realism !== 'realistic' && realism !== 'default') errors.push('JIRA_SIM_REALISM must be realistic or default');
  else if (realism) options.realism = realism;
  // A running simulator (npm start, start:sim) serves people, not a test: no spec check unless asked.
  const conformance = value('JIRA_SIM_CONFORMANCE') ?? 'off';
  if (conformance !== 'off' && conformance !== 'record' && conformance !== 'strict') errors.push('JIRA_SIM_CONFORMANCE must be off, record or strict');
  else options.conformance = conformance;
  const clientId = value('JIRA_SIM_OAUTH_CLIENT_ID');
  const clientSecret = value('JIRA_SIM_OAUTH_CLIENT_SECRET');
  const redirects = value('JIRA_SIM_OAUTH_REDIRECT_URIS');
  if (clientId || clientSecret || redirects) {
    if (!clientId || !clientSecret || !redirects) {
      errors.push('JIRA_SIM_OAUTH_CLIENT_ID, JIRA_SIM_OAUTH_CLIENT_SECRET and JIRA_SIM_OAUTH_REDIRECT_URIS go together');
    } else {
      options.oauthClients = [
        {
          clientId,
          clientSecret,
          redirectUris: redirects
            .split(',')
            .map((u) => u.trim())
            .filter(Boolean),
          name: 'Jira for Teams (local)',
          requirePkce: true,
        },
      ];
    }
  }
  if (errors.length) throw new Error(errors.join('; '));
  return options;
}
