import type { Sprints } from './use-sprints';

const DAY = { day: 'numeric', month: 'short' } as const;

/** A sprint backlog's goal and dates under the title; what a sprint move did, announced politely. */
export function SprintHeader({ sprints }: { sprints: Sprints }) {
  const { sprint, message } = sprints;
  return (
    <>
      {sprint ? (
        <div className="sprint-info" data-testid="sprint-info">
          <span className="sprint-name">
            {sprint.name}
            {sprint.state === 'active' ? ' (active)' : sprint.state === 'future' ? ' (not started)' : ' (closed)'}
          </span>
          {sprint.startDate || sprint.endDate ? (
            <span className="sprint-dates">
              {sprint.startDate ? <time dateTime={sprint.startDate}>{new Date(sprint.startDate).toLocaleDateString(undefined, DAY)}</time> : '?'}
              {' – '}
              {sprint.endDate ? <time dateTime={sprint.endDate}>{new Date(sprint.endDate).toLocaleDateString(undefined, DAY)}</time> : '?'}
            </span>
          ) : null}
          {sprint.goal ? <span className="sprint-goal">Goal: {sprint.goal}</span> : null}
        </div>
      ) : null}
      <div className={`sprint-message${message?.error ? ' error' : ''}`} role="status" data-testid="sprint-message">
        {message?.text}
      </div>
    </>
  );
}
