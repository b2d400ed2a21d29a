import type { Scenario } from '../scenario';
import { bareRestify } from './bare-restify';
import { botStaticQueryLink } from './static-query-link';
import { unfurlCold, unfurlWarm } from './unfurl';
import { bareRestifyWebhookBody, webhookIntake } from './webhook-intake';

/** Scenarios in the order they run; a scenario's baseline must come before it. */
export const scenarios: readonly Scenario[] = [bareRestify, botStaticQueryLink, unfurlWarm, unfurlCold, bareRestifyWebhookBody, webhookIntake];
