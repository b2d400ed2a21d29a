export interface ConsentPageInput {
  appName: string;
  siteName: string;
  scopes: string[];
  users: Array<{ accountId: string; displayName: string; emailAddress: string }>;
  /** The authorize request's parameters, carried through the form unchanged. */
  hidden: Record<string, string>;
  action: string;
}

/** The simulator's stand-in for Atlassian's consent screen: pick a seeded user, then Accept or Deny. */
export function renderConsentPage(input: ConsentPageInput): string {
  const scopes = input.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  const users = input.users.map((user) => `<option value="${escapeHtml(user.accountId)}">${escapeHtml(user.displayName)} (${escapeHtml(user.emailAddress)})</option>`).join('');
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(input.appName)}</title></head>
<body>
<h1>${escapeHtml(input.appName)} is requesting access to your Atlassian account</h1>
<p>Site: ${escapeHtml(input.siteName)}</p>
<p>It will be able to:</p>
<ul>${scopes}</ul>
<form method="post" action="${escapeHtml(input.action)}">
${hidden}
<label>Sign in as <select name="account_id">${users}</select></label>
<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>`;
}

export function renderErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>
<body><h1>Something went wrong</h1><p>${escapeHtml(message)}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
