import type { ConnectionServices } from '../connections/create-connection-services';
import { backlogChoices } from './backlog-choices';
import { backlogDefinitions } from './backlog-definitions';
import { backlogEdits } from './backlog-edits';
import { backlogIssueReader } from './backlog-issue-reader';
import { backlogPickers } from './backlog-pickers';
import { backlogReads } from './backlog-reads';
import type { BacklogRepository } from './backlog-repository';
import { backlogSprints } from './backlog-sprints';
import { cachedMembership } from './cached-membership';
import type { ConversationMembership } from './conversation-membership';
import type { MeetingHub } from './meeting-hub';
import { estimateFieldCache } from './estimation/estimate-field-cache';
import { siteFieldsCache } from './site-fields-cache';

export interface BacklogServiceDeps {
  repository: BacklogRepository;
  connections: Pick<ConnectionServices, 'jiraFor'>;
  hub: MeetingHub;
  /** Teams' roster (uncached: answers are reused here for a minute). */
  membership: ConversationMembership;
  now?: () => Date;
  /** How long a site's field list (estimate and rank field ids) and a project's estimate field are reused. */
  fieldsTtlMs?: number;
  /** The field caches and issue reader to use, shared with estimation rounds so both see one estimate field per project. */
  fields?: BacklogFields;
}

/** What the tab's services read fields through: one per service, so a change one of them learns of the others see. */
export interface BacklogFields {
  fieldsOf: ReturnType<typeof siteFieldsCache>;
  reader: ReturnType<typeof backlogIssueReader>;
}

export function backlogFields(ttlMs = FIELDS_TTL_MS): BacklogFields {
  const fieldsOf = siteFieldsCache(ttlMs);
  return { fieldsOf, reader: backlogIssueReader(fieldsOf, estimateFieldCache(fieldsOf, ttlMs)) };
}

export type BacklogService = ReturnType<typeof backlogService>;

const FIELDS_TTL_MS = 10 * 60_000;

/**
 * The grooming tab's work: backlogs in the Store, issues from Jira as the signed-in attendee
 * (their own connection, so their own permissions), every change told to the meeting hub.
 * Every failure leaves as a TabError (docs/tab-api.md's codes) or as an unknown error.
 * The parts: definitions (backlog CRUD), reads (issue lists), choices (pickers), edits.
 */
export function backlogService(deps: BacklogServiceDeps) {
  const parts = {
    repository: deps.repository,
    connections: deps.connections,
    hub: deps.hub,
    now: deps.now ?? (() => new Date()),
    ...(deps.fields ?? backlogFields(deps.fieldsTtlMs)),
    membership: cachedMembership(deps.membership),
  };
  return { ...backlogDefinitions(parts), ...backlogReads(parts), ...backlogChoices(parts), ...backlogEdits(parts), ...backlogPickers(parts), ...backlogSprints(parts) };
}
