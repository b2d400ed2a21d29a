import { memo, useEffect, useRef } from 'react';
import type { BacklogIssue } from '../api/types';
import { PriorityIcon, TypeIcon, UserBadge } from './issue-icons';

/** The id of the list's hidden line that says how the keyboard moves in it (BacklogView renders it). */
export const ROW_KEYS_ID = 'row-keys';

export type EditKind = 'status' | 'priority' | 'assignee' | 'estimate' | 'rank';

interface IssueRowProps {
  issue: BacklogIssue;
  flash: number | undefined;
  editingEstimate: boolean;
  hasEstimateField: boolean;
  /** The list's one Tab stop (use-row-navigation.ts); the row's controls are reached from it with Enter. */
  tabbable: boolean;
  /** 1-based place in the whole list and the list's length: the list renders only a window of its rows. */
  position: number;
  size: number;
  onEstimate(key: string, value: number | null | undefined): void;
}

/**
 * One issue. Rows hold no handlers of their own: the list delegates clicks by `data-edit`, so a
 * row re-renders only when its issue, its flash or its estimate editing changes. Its place in the
 * list (`position`, `size`) is on the row element alone: when the next page arrives, every row on
 * screen gets the list's new length, and only that attribute is updated, not the row's cells.
 */
export const IssueRow = memo(function IssueRow({ issue, flash, editingEstimate, hasEstimateField, tabbable, position, size, onEstimate }: IssueRowProps) {
  return (
    <li
      className={`row${flash ? ` flash-${flash % 2}` : ''}`}
      data-key={issue.key}
      tabIndex={tabbable ? 0 : -1}
      aria-posinset={position}
      aria-setsize={size}
      aria-label={`${issue.key} ${issue.summary}`}
      aria-describedby={ROW_KEYS_ID}
    >
      <RowCells issue={issue} editingEstimate={editingEstimate} hasEstimateField={hasEstimateField} onEstimate={onEstimate} />
    </li>
  );
});

type RowCellsProps = Pick<IssueRowProps, 'issue' | 'editingEstimate' | 'hasEstimateField' | 'onEstimate'>;

const RowCells = memo(function RowCells({ issue, editingEstimate, hasEstimateField, onEstimate }: RowCellsProps) {
  // An issue whose board estimates in time has its original estimate here, in hours.
  const hours = issue.estimateUnit === 'hours';
  return (
    <>
      <span className="c-type">
        <TypeIcon name={issue.issueType.name} />
      </span>
      <a className="c-key" href={issue.url} target="_blank" rel="noreferrer" tabIndex={-1}>
        {issue.key}
      </a>
      <span className="c-summary" title={issue.summary}>
        <button type="button" tabIndex={-1} className="poker-start" data-edit="poker" aria-label={`Estimate ${issue.key} together`} title="Estimate together (planning poker)" />
        {issue.summary}
      </span>
      <button
        type="button"
        tabIndex={-1}
        className={`c-status cat-${issue.status.category}`}
        data-edit="status"
        title={issue.status.name}
        aria-label={`Status ${issue.status.name}, change`}
      >
        {issue.status.name}
      </button>
      <button
        type="button"
        tabIndex={-1}
        className="c-priority"
        data-edit="priority"
        title={issue.priority?.name ?? 'No priority'}
        aria-label={`Priority ${issue.priority?.name ?? 'none'}, change`}
      >
        <PriorityIcon priority={issue.priority} />
        <span className="label">{issue.priority?.name ?? 'None'}</span>
      </button>
      {editingEstimate ? (
        <EstimateInput issue={issue} onDone={onEstimate} />
      ) : (
        <button
          type="button"
          tabIndex={-1}
          className="c-estimate"
          data-edit="estimate"
          disabled={!hasEstimateField}
          title={!hasEstimateField ? 'This site has no estimate field' : hours ? 'Estimate (hours, its board estimates in time)' : 'Estimate (story points)'}
          aria-label={`Estimate ${issue.estimate === null ? 'none' : `${issue.estimate}${hours ? ' hours' : ''}`}, change`}
        >
          {issue.estimate === null ? '–' : `${issue.estimate}${hours ? ' h' : ''}`}
        </button>
      )}
      {/* Named by its content, so that the name says what the button shows (voice control users say what they see). */}
      <button type="button" tabIndex={-1} className="c-assignee" data-edit="assignee" title={issue.assignee?.displayName ?? 'Unassigned'}>
        {issue.assignee ? <UserBadge name={issue.assignee.displayName} avatarUrl={issue.assignee.avatarUrl} /> : <span className="user-badge empty" aria-hidden />}
        <span className="sr-only">Assignee: </span>
        <span className="label">{issue.assignee?.displayName ?? 'Unassigned'}</span>
      </button>
      <button type="button" tabIndex={-1} className="c-more" data-edit="rank" aria-label={`Move ${issue.key}`} title="Move (Alt+Up, Alt+Down)">
        ⋯
      </button>
    </>
  );
});

function EstimateInput({ issue, onDone }: { issue: BacklogIssue; onDone: IssueRowProps['onEstimate'] }) {
  const ref = useRef<HTMLInputElement>(null);
  const finished = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (value: number | null | undefined) => {
    if (finished.current) return;
    finished.current = true;
    onDone(issue.key, value);
  };
  const read = (): number | null | undefined => {
    const raw = ref.current?.value.trim().replace(',', '.') ?? '';
    if (raw === '') return null;
    const value = Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return (
    <input
      ref={ref}
      tabIndex={-1}
      className="c-estimate editing"
      inputMode="decimal"
      defaultValue={issue.estimate ?? ''}
      aria-label={`Estimate of ${issue.key}`}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== 'Escape') return;
        const row = ref.current?.closest('li');
        finish(e.key === 'Enter' ? read() : undefined);
        // The input goes away: focus the estimate button that replaces it, not the page.
        requestAnimationFrame(() => row?.querySelector<HTMLElement>('button.c-estimate')?.focus());
      }}
      onBlur={() => finish(read())}
    />
  );
}
