import { Input, MenuItem, MenuItemRadio, MenuList, Popover, PopoverSurface, Spinner } from '@fluentui/react-components';
import { ArrowDownRegular, ArrowUpRegular, ArrowUploadRegular, ArrowDownloadRegular, OpenRegular, ArrowRightRegular, ArrowUndoRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { TabApiError } from '../api/tab-api-error';
import type { BacklogIssue, BacklogOptions, JiraUser, Transition } from '../api/types';
import type { SprintMoves } from '../sprints/use-sprints';
import type { BacklogActions } from './use-backlog';
import { PriorityIcon, UserBadge } from './issue-icons';
import type { EditKind } from './issue-row';
import { FluentIsland } from '../ui/fluent-island';

export interface OpenEditor {
  kind: Exclude<EditKind, 'estimate'>;
  key: string;
  target: HTMLElement;
}

interface IssueEditorProps {
  editor: OpenEditor | undefined;
  issue: BacklogIssue | undefined;
  position: { index: number; count: number };
  options: BacklogOptions | undefined;
  actions: BacklogActions;
  /** The Move menu's sprint items (tab/src/sprints); absent when the backlog has no board with sprints. */
  sprintMoves?: SprintMoves;
  onClose(): void;
}

/** One popover for the whole list, anchored to the cell that opened it (cheaper than a menu per row). */
export function IssueEditor({ editor, issue, position, options, actions, sprintMoves, onClose: close }: IssueEditorProps) {
  const open = Boolean(editor && issue);
  // Back to the cell that opened it, so the keyboard carries on from there.
  const onClose = () => {
    close();
    editor?.target.focus({ preventScroll: true });
  };
  const surface = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    // Escape closes it wherever the focus is (Fluent only hears it inside the surface).
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    if (!open || !surface.current) return;
    // Focus the current choice (or the first) once the choices are there, without scrolling the list
    // (an autofocus on mount would: the surface is not positioned yet).
    const pick = () =>
      // In this order: one selector list would give the first match in the document, the first item.
      ['input', '[role="menuitemradio"][aria-checked="true"]', '[role^="menuitem"]:not([aria-disabled="true"])']
        .map((selector) => surface.current?.querySelector<HTMLElement>(selector))
        .find(Boolean);
    // The focus trap puts the focus on the first item once the surface is positioned, a few frames
    // later: hold it on the choice for a few frames, until the user presses a key.
    let held = 0;
    let moved = false;
    const onKeyDown = () => (moved = true);
    document.addEventListener('keydown', onKeyDown, true);
    let frame = requestAnimationFrame(function retry() {
      const target = pick();
      if (target && !moved && document.activeElement !== target) target.focus({ preventScroll: true });
      if (!target || (held++ < 10 && !moved)) frame = requestAnimationFrame(retry);
    });
    const stop = setTimeout(() => cancelAnimationFrame(frame), 3_000);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(stop);
      document.removeEventListener('keydown', onKeyDown, true);
    };
  }, [open, editor]);
  return (
    <FluentIsland className="editor-island">
      <Popover
        open={open}
        onOpenChange={(_, data) => !data.open && onClose()}
        positioning={{ target: editor?.target, position: 'below', align: 'start', fallbackPositions: ['above-start', 'below-end', 'above-end'] }}
        trapFocus
        size="small"
      >
        <PopoverSurface ref={surface} className="editor" aria-label={editor && issue ? `${labels[editor.kind]} of ${issue.key}` : undefined}>
          {editor && issue ? (
            editor.kind === 'priority' ? (
              <PriorityList issue={issue} options={options} onPick={(id) => (onClose(), actions.setPriority(issue.key, id))} />
            ) : editor.kind === 'status' ? (
              <StatusList issue={issue} actions={actions} onPick={(t) => (onClose(), actions.transition(issue.key, t))} />
            ) : editor.kind === 'assignee' ? (
              <AssigneePicker issue={issue} me={options?.me} actions={actions} onPick={(user) => (onClose(), actions.setAssignee(issue.key, user))} />
            ) : (
              <RankList
                issue={issue}
                position={position}
                sprintMoves={sprintMoves}
                onPick={(move) => (onClose(), actions.rank(issue.key, move))}
                onSprint={(sprintId) => (onClose(), sprintMoves?.move(issue.key, sprintId))}
              />
            )
          ) : null}
        </PopoverSurface>
      </Popover>
    </FluentIsland>
  );
}

const labels: Record<OpenEditor['kind'], string> = { priority: 'Priority', status: 'Status', assignee: 'Assignee', rank: 'Position' };

function PriorityList({ issue, options, onPick }: { issue: BacklogIssue; options: BacklogOptions | undefined; onPick(id: string): void }) {
  if (!options) return <Spinner size="tiny" label="Loading priorities" />;
  return (
    <MenuList checkedValues={{ priority: issue.priority ? [issue.priority.id] : [] }} aria-label="Priority">
      {options.priorities.map((priority) => (
        <MenuItemRadio key={priority.id} name="priority" value={priority.id} icon={<PriorityIcon priority={priority} />} onClick={() => onPick(priority.id)}>
          {priority.name}
        </MenuItemRadio>
      ))}
    </MenuList>
  );
}

function StatusList({ issue, actions, onPick }: { issue: BacklogIssue; actions: BacklogActions; onPick(t: Transition): void }) {
  const [transitions, setTransitions] = useState<Transition[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    actions.getTransitions(issue.key).then(setTransitions, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [actions, issue.key]);
  if (error) return <div className="editor-message">{error}</div>;
  if (!transitions) return <Spinner size="tiny" label="Loading transitions" />;
  if (transitions.length === 0) return <div className="editor-message">No transitions from {issue.status.name} for you.</div>;
  return (
    <MenuList aria-label="Status">
      {transitions.map((t) => (
        <MenuItem key={t.id} onClick={() => onPick(t)} secondaryContent={t.name !== t.to.name ? t.name : undefined}>
          <span className={`status-dot cat-${t.to.category}`} aria-hidden />
          {t.to.name}
        </MenuItem>
      ))}
    </MenuList>
  );
}

/** Searches Jira's assignable users as you type (debounced, earlier searches cancelled). */
function AssigneePicker({ issue, me, actions, onPick }: { issue: BacklogIssue; me: JiraUser | undefined; actions: BacklogActions; onPick(user: JiraUser | null): void }) {
  const [query, setQuery] = useState('');
  const [users, setUsers] = useState<JiraUser[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        actions.findAssignable(issue.key, query.trim(), controller.signal).then(
          (found) => {
            setUsers(found);
            setError(undefined);
          },
          (e: unknown) => {
            if (!controller.signal.aborted) setError(e instanceof TabApiError ? e.message : String(e));
          },
        );
      },
      query ? 200 : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [actions, issue.key, query]);
  return (
    <div className="assignee-picker">
      <Input
        size="small"
        value={query}
        onChange={(_, d) => setQuery(d.value)}
        placeholder="Search people"
        aria-label="Search assignable people"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && users?.[0]) onPick(users[0]);
        }}
      />
      {error ? <div className="editor-message">{error}</div> : null}
      <MenuList aria-label="Assignee">
        {me && issue.assignee?.accountId !== me.accountId ? (
          <MenuItem onClick={() => onPick(me)} icon={<UserBadge name={me.displayName} />}>
            Assign to me
          </MenuItem>
        ) : null}
        {issue.assignee ? (
          <MenuItem onClick={() => onPick(null)} icon={<span className="user-badge empty" />}>
            Unassigned
          </MenuItem>
        ) : null}
        {users === undefined ? (
          <Spinner size="tiny" />
        ) : users.length === 0 ? (
          <div className="editor-message">Nobody assignable matches.</div>
        ) : (
          users.map((user) => (
            <MenuItem key={user.accountId} onClick={() => onPick(user)} icon={<UserBadge name={user.displayName} avatarUrl={user.avatarUrl} />}>
              {user.displayName}
            </MenuItem>
          ))
        )}
      </MenuList>
    </div>
  );
}

interface RankListProps {
  issue: BacklogIssue;
  position: { index: number; count: number };
  sprintMoves: SprintMoves | undefined;
  onPick(move: 'top' | 'up' | 'down' | 'bottom'): void;
  onSprint(sprintId: number | null): void;
}

function RankList({ issue, position, sprintMoves, onPick, onSprint }: RankListProps) {
  const first = position.index === 0;
  const last = position.index === position.count - 1;
  return (
    <MenuList aria-label="Move">
      <MenuItem icon={<ArrowUploadRegular />} disabled={first} onClick={() => onPick('top')}>
        Move to top
      </MenuItem>
      <MenuItem icon={<ArrowUpRegular />} disabled={first} onClick={() => onPick('up')} secondaryContent="Alt+↑">
        Move up
      </MenuItem>
      <MenuItem icon={<ArrowDownRegular />} disabled={last} onClick={() => onPick('down')} secondaryContent="Alt+↓">
        Move down
      </MenuItem>
      <MenuItem icon={<ArrowDownloadRegular />} disabled={last} onClick={() => onPick('bottom')}>
        Move to bottom
      </MenuItem>
      {sprintMoves?.targets.map((sprint) => (
        <MenuItem key={sprint.id} icon={<ArrowRightRegular />} onClick={() => onSprint(sprint.id)}>
          {`Move to ${sprint.name}`}
        </MenuItem>
      ))}
      {sprintMoves?.toBacklog ? (
        <MenuItem icon={<ArrowUndoRegular />} onClick={() => onSprint(null)}>
          Move to backlog
        </MenuItem>
      ) : null}
      <MenuItem icon={<OpenRegular />} onClick={() => window.open(issue.url, '_blank', 'noopener')}>
        Open in Jira
      </MenuItem>
    </MenuList>
  );
}
