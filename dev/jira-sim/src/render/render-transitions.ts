import type { Issue, Transition } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { renderStatus } from './render-catalog';

/** Transitions the workflow offers from the issue's current status. */
export function availableTransitions(state: SiteState, issue: Issue): Transition[] {
  const workflow = state.workflowOf(state.projectOf(issue));
  return workflow.transitions.filter((t) => t.toStatusId !== issue.statusId && (t.fromStatusIds.length === 0 || t.fromStatusIds.includes(issue.statusId)));
}

export function renderTransition(state: SiteState, transition: Transition): Record<string, unknown> {
  return {
    id: transition.id,
    name: transition.name,
    to: renderStatus(state, state.status(transition.toStatusId)),
    hasScreen: false,
    isGlobal: transition.fromStatusIds.length === 0,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    looped: false,
  };
}

/** Transitions the viewer may perform; none without Transition Issues, as Jira lists them. */
export function renderTransitions(state: SiteState, issue: Issue, viewerAccountId: string | null): Array<Record<string, unknown>> {
  if (!viewerAccountId || !state.can(viewerAccountId, state.projectOf(issue), 'TRANSITION_ISSUES')) return [];
  return availableTransitions(state, issue).map((t) => renderTransition(state, t));
}
