/** The Jira Cloud simulator: start it, read its state, and reach its test controls. */
export { DEFAULT_CLOUD_ID, startJiraSim } from './start-jira-sim';
export type { JiraSim, JiraSimOptions, RealismChange, SeedName } from './start-jira-sim';
export type { ConformanceMode, ConformanceWatch } from './conformance/watch-conformance';
export { DEFAULT_REALISM, REALISTIC } from './realism/realism';
export type { Realism, RealismInput } from './realism/realism';
export type { RateLimitMode, RateLimitSettings } from './http/rate-limiter';
export type { IssueChange } from './issues/issue-change';
export { FieldId } from './site/field-ids';
export type { SimAuth } from './sim-auth';
export type { WebhookEventPayload } from './webhook-event';
