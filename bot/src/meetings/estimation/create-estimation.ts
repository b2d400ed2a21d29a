import type { ConnectionServices } from '../../connections/create-connection-services';
import type { Store } from '../../store/store';
import type { BacklogRepository } from '../backlog-repository';
import type { BacklogFields } from '../backlog-service';
import { cachedMembership } from '../cached-membership';
import type { ConversationMembership } from '../conversation-membership';
import type { MeetingHub } from '../meeting-hub';
import type { MeetingChangeLog } from '../recap/meeting-change-log';
import { estimationService, type EstimationService } from './estimation-service';
import { estimationSettingsRepository } from './estimation-settings';
import { roundRepository } from './round-repository';

/** Estimation rounds over the same backlogs, hub and connections as the rest of the tab; accepted values go to the meeting's change log. */
export function createEstimation(deps: {
  store: Store;
  repository: BacklogRepository;
  connections: Pick<ConnectionServices, 'jiraFor'>;
  hub: MeetingHub;
  membership: ConversationMembership;
  changes: MeetingChangeLog;
  /** The backlog service's, so a round accepted into a board's new estimate field shows in the list at once. */
  fields: BacklogFields;
}): EstimationService {
  return estimationService({
    parts: {
      repository: deps.repository,
      connections: deps.connections,
      hub: deps.hub,
      now: () => new Date(),
      ...deps.fields,
      membership: cachedMembership(deps.membership),
    },
    rounds: roundRepository(deps.store),
    settings: estimationSettingsRepository(deps.store),
    onEstimated(backlog, { issue, value, field, by }) {
      if (!backlog.conversationId) return;
      void deps.changes
        .record(backlog.conversationId, { kind: 'estimated', key: issue.key, summary: issue.summary, url: issue.url, by, detail: `${value} (${field})` })
        .catch(() => undefined);
    },
  });
}
