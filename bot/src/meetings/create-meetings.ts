import type { IssueEventKind } from '../alerts/issue-event';
import type { Config } from '../config';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { Store } from '../store/store';
import { backlogRepository } from './backlog-repository';
import { backlogFields, backlogService, type BacklogService } from './backlog-service';
import type { ConversationMembership } from './conversation-membership';
import { createEstimation } from './estimation/create-estimation';
import type { EstimationService } from './estimation/estimation-service';
import { meetingChangeLog, type MeetingChangeLog } from './recap/meeting-change-log';
import { recordMeetingChanges } from './recap/record-meeting-changes';
import { meetingHub, type HubBus, type MeetingHub } from './meeting-hub';
import { tabTokenVerifier, type VerifyTabToken } from './verify-tab-token';

export interface Meetings {
  service: BacklogService;
  hub: MeetingHub;
  /** Planning-poker rounds of the backlogs. */
  estimation: EstimationService;
  /** What each meeting changed from its panels, for the meeting recap. */
  changes: MeetingChangeLog;
  /** Absent when no SSO audience is configured: the tab API then answers 503 tabSignInNotConfigured. */
  verify?: VerifyTabToken;
  /**
   * The alert intake saw a change in Jira (webhook or poll): panels that show the issue refetch
   * it; a new issue is announced to the open backlogs it matches.
   */
  onIssueChanged(issueKey: string, siteUrl: string, kinds?: readonly IssueEventKind[], updated?: string): void;
  /** Ends every open event stream, so the HTTP server can close. */
  close(): void;
}

/** Composition of the grooming tab's backend: backlogs in the store, Jira as each attendee, the hub. */
export function createMeetings(deps: {
  config: Config;
  store: Store;
  connections: Pick<ConnectionServices, 'jiraFor'>;
  membership: ConversationMembership;
  /** Cluster mode: the other instances' hubs, so their panels hear changes made here. */
  hubBus?: HubBus;
}): Meetings {
  const hub = meetingHub({ bus: deps.hubBus });
  const repository = backlogRepository(deps.store);
  const changes = meetingChangeLog(deps.store);
  // One estimate field per project for the list and the rounds: what a round learns when it writes, the list shows.
  const fields = backlogFields();
  const service = recordMeetingChanges(backlogService({ repository, connections: deps.connections, hub, membership: deps.membership, fields }), { repository, log: changes });
  const estimation = createEstimation({ store: deps.store, repository, connections: deps.connections, hub, membership: deps.membership, changes, fields });
  return {
    service,
    hub,
    estimation,
    changes,
    ...(deps.config.tab.sso ? { verify: tabTokenVerifier(deps.config.tab.sso) } : {}),
    onIssueChanged(issueKey, siteUrl, kinds = [], updated) {
      hub.issueChanged(siteUrl, issueKey, updated ? { updated } : {});
      if (kinds.includes('created')) void service.announceCreated(siteUrl, issueKey).catch(() => undefined);
    },
    close: () => hub.close(),
  };
}
