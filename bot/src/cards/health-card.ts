import { adaptiveCard, escapeCardLine, type AdaptiveCard, type CardElement } from './adaptive-card';

/** Parked alerts listed per site; the rest are counted. */
const PARKED_SHOWN = 10;
/** Sites shown in full: with their parked alerts they keep the card under Teams' 28 KB. */
const SITES_SHOWN = 10;

export interface SiteHealthView {
  site: string;
  webhooks: {
    state: 'healthy' | 'unverified' | 'silent';
    lastWebhookAt?: number;
    /** The dynamic webhook the registrar keeps, and the Jira account it was made through. */
    registration?: { webhookIds: number[]; through?: string; at: number; deliveredAt?: number };
    registrationFailure?: { at: number; code: string };
    missed?: { at: number; changes: number };
  };
  poller: {
    /** Polling is switched on for the service (ALERT_POLL_INTERVAL_SECONDS > 0). */
    enabled: boolean;
    /** The site is searched every interval now (its webhooks are not healthy). */
    everyInterval: boolean;
    lease?: { owner: string; expiresAt: number; expired: boolean };
  };
  outbox: {
    pending: number;
    conversations: number;
    parked: Array<{ issueKey: string; code: string; status?: number; at: number }>;
  };
  budget: {
    /** Points left as Jira's last rate-limit headers said, less what was sent since; undefined when none said. */
    remaining?: number;
    /** Points per window, from Jira's RateLimit-Policy. */
    quota?: number;
    /** When Jira's window resets. */
    resetAt?: number;
    /** Estimated points of the calls sent in the current clock hour. */
    spentThisHour: number;
    /** The figures are every instance's together (cluster mode), else this instance's alone. */
    shared: boolean;
    /** Limits Jira asked this instance to wait for (Retry-After) that still hold. */
    held: string[];
  };
}

export interface HealthCardInput {
  /** Whose view: a team owner sees the team's channels, a Jira administrator the whole site. */
  audience: { kind: 'team' } | { kind: 'site-admin'; site: string };
  sites: SiteHealthView[];
  now: number;
}

const STATE_TEXT: Record<SiteHealthView['webhooks']['state'], string> = {
  healthy: '✅ healthy: webhooks arrive',
  unverified: '⚠️ unverified: no webhook known to arrive yet',
  silent: '❌ silent: webhooks are known not to arrive',
};

const time = (ms: number | undefined) => (ms === undefined ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

const fact = (title: string, value: string) => ({ title, value });

function webhookFacts(view: SiteHealthView): Array<{ title: string; value: string }> {
  const { webhooks } = view;
  const facts = [fact('Webhooks', STATE_TEXT[webhooks.state]), fact('Last webhook', time(webhooks.lastWebhookAt))];
  const registration = webhooks.registration;
  facts.push(
    fact(
      'Registration',
      registration
        ? `dynamic webhook ${registration.webhookIds.join(', ')} through Jira account ${escapeCardLine(registration.through ?? 'unknown')}, since ${time(registration.at)}, last delivered ${time(registration.deliveredAt)}`
        : 'no dynamic webhook (admin webhook or none)',
    ),
  );
  if (webhooks.registrationFailure) facts.push(fact('Registering failed', `${escapeCardLine(webhooks.registrationFailure.code)} at ${time(webhooks.registrationFailure.at)}`));
  if (webhooks.missed) facts.push(fact('Missed by webhooks', `${webhooks.missed.changes} change(s) found by the poller at ${time(webhooks.missed.at)}`));
  return facts;
}

function pollerFacts(view: SiteHealthView, now: number): Array<{ title: string; value: string }> {
  const { poller } = view;
  const polling = !poller.enabled ? 'off (polling is switched off)' : poller.everyInterval ? 'polled every interval' : 'polled only when webhooks go quiet for an hour';
  const lease = poller.lease;
  const holder = !lease
    ? 'no instance holds its lease'
    : lease.expired || lease.expiresAt <= now
      ? `lease expired at ${time(lease.expiresAt)} (last held by instance ${escapeCardLine(lease.owner)})`
      : `instance ${escapeCardLine(lease.owner)}, lease until ${time(lease.expiresAt)}`;
  return [fact('Poller', polling), fact('Poller lease', holder)];
}

function outboxFacts(view: SiteHealthView): Array<{ title: string; value: string }> {
  const { outbox } = view;
  return [
    fact('Outbox', `${outbox.pending} alert(s) waiting in ${outbox.conversations} conversation(s)`),
    fact('Parked', outbox.parked.length === 0 ? 'none' : `${outbox.parked.length} alert(s) that will not be retried by themselves`),
  ];
}

function budgetFacts(view: SiteHealthView): Array<{ title: string; value: string }> {
  const { budget } = view;
  return [
    fact('Jira points spent', `${budget.spentThisHour} this hour, estimated (${budget.shared ? 'all instances together' : 'this instance'})`),
    fact(
      'Jira points left',
      budget.remaining === undefined
        ? "not reported: Jira's last answers carried no budget"
        : `${budget.remaining}${budget.quota !== undefined ? ` of ${budget.quota}` : ''} (${budget.shared ? "Jira's last answers to all instances, less what they sent since" : "Jira's last answer to this instance"})${budget.resetAt !== undefined ? `, until ${time(budget.resetAt)}` : ''}`,
    ),
    fact('Jira limits holding calls', budget.held.length === 0 ? 'none' : budget.held.map(escapeCardLine).join(', ')),
  ];
}

function siteSection(view: SiteHealthView, now: number): CardElement[] {
  const elements: CardElement[] = [
    { type: 'TextBlock', text: escapeCardLine(view.site), weight: 'Bolder', separator: true, spacing: 'Medium', wrap: true },
    { type: 'FactSet', facts: [...webhookFacts(view), ...pollerFacts(view, now), ...outboxFacts(view), ...budgetFacts(view)] },
  ];
  const parked = view.outbox.parked;
  if (parked.length > 0) {
    const lines = parked.slice(0, PARKED_SHOWN).map((p) => `- ${escapeCardLine(p.issueKey)}: ${escapeCardLine(p.code)}${p.status ? ` (HTTP ${p.status})` : ''} at ${time(p.at)}`);
    if (parked.length > PARKED_SHOWN) lines.push(`- and ${parked.length - PARKED_SHOWN} more`);
    elements.push({ type: 'TextBlock', text: `Parked alerts:\n${lines.join('\n')}`, wrap: true, size: 'Small' });
  }
  return elements;
}

/** The operator's view of the alert pipeline, per Jira site: webhooks, poller, outbox and Jira budget. */
export function healthCard(input: HealthCardInput): AdaptiveCard {
  const who =
    input.audience.kind === 'team'
      ? "Sites this team's alerts use; outbox figures count this team's channels only."
      : `The whole site ${escapeCardLine(input.audience.site)}, as its Jira administrator sees it.`;
  const body: CardElement[] = [
    { type: 'TextBlock', text: 'Alerts health', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: `${who} As of ${time(input.now)}.`, isSubtle: true, wrap: true, spacing: 'None' },
  ];
  if (input.sites.length === 0) body.push({ type: 'TextBlock', text: 'No alerts are set up here, so there is nothing to watch.', wrap: true });
  for (const site of input.sites.slice(0, SITES_SHOWN)) body.push(...siteSection(site, input.now));
  if (input.sites.length > SITES_SHOWN) {
    body.push({ type: 'TextBlock', text: `And ${input.sites.length - SITES_SHOWN} more site(s), not shown: the card has no room for them.`, wrap: true, separator: true });
  }
  const card = adaptiveCard(body);
  card.fallbackText = 'Alerts health';
  return card;
}
