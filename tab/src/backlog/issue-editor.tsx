import { Input, Spinner } from '@fluentui/react-components';
import {
  ArrowDownRegular,
  ArrowUpRegular,
  ArrowUploadRegular,
  ArrowDownloadRegular,
  OpenRegular,
  ArrowRightRegular,
  ArrowUndoRegular,
  CheckmarkRegular,
} from '@fluentui/react-icons';
import { useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type RefObject } from 'react';
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

/** Menu items, in the order the arrow keys walk them (disabled ones are skipped). */
const ITEMS = '[role^="menuitem"]:not([aria-disabled="true"])';
/** Room kept between the popup and the cell, and between the popup and the viewport's edges. */
const GAP = 4;

/**
 * One popup for the whole list, anchored to the cell that opened it (cheaper than a menu per row).
 * Not Fluent's Popover and MenuList: those two and the focus and positioning libraries under them
 * were about 40 KB gzip of the tab's 180 (#18). The popup is a `popover="manual"` element, so it is
 * drawn in the top layer above the list whatever clips or stacks it; this file does what Fluent did
 * for it: placing, focus, the keys, and closing.
 */
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
    // Escape closes it wherever the focus is; so does a press outside it (but not on its own cell,
    // whose click opens it again).
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!surface.current?.contains(target) && !editor?.target.contains(target)) onClose();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer, true);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer, true);
    };
  });
  usePlacement(surface, open ? editor?.target : undefined);
  useEffect(() => {
    const element = surface.current;
    if (!open || !element) return;
    // Focus the current choice (or the first) once the choices are there: the status and assignee
    // lists come from Jira a moment later. Without scrolling the list: the popup is fixed in place.
    const pick = () =>
      // In this order: one selector list would give the first match in the document, the first item.
      ['input', '[role="menuitemradio"][aria-checked="true"]', ITEMS].map((selector) => element.querySelector<HTMLElement>(selector)).find(Boolean);
    const focus = () => {
      const target = pick();
      if (!target) return false;
      target.focus({ preventScroll: true });
      return true;
    };
    if (focus()) return;
    const observer = new MutationObserver(() => focus() && observer.disconnect());
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [open, editor]);
  return (
    <FluentIsland className="editor-island">
      {editor && issue ? (
        <div ref={surface} popover="manual" role="dialog" className="editor" aria-label={`${labels[editor.kind]} of ${issue.key}`} onKeyDown={trapTab}>
          {editor.kind === 'priority' ? (
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
          )}
        </div>
      ) : null}
    </FluentIsland>
  );
}

/**
 * Shows the popup in the top layer and keeps it next to `anchor`: below and start-aligned, above when
 * there is more room there, and shifted into the viewport (the side panel is ~320 px wide). Again when
 * the window resizes, something scrolls, or the popup's content changes size (a list arrives).
 */
function usePlacement(surface: RefObject<HTMLDivElement | null>, anchor: HTMLElement | undefined) {
  useLayoutEffect(() => {
    const element = surface.current;
    if (!element || !anchor) return;
    // Older engines without the popover API show it as a fixed element above the list instead.
    if (typeof element.showPopover === 'function' && !element.matches(':popover-open')) element.showPopover();
    const place = (event?: Event) => {
      // Its own list scrolling does not move it.
      if (event?.target instanceof Node && element.contains(event.target)) return;
      const cell = anchor.getBoundingClientRect();
      const view = document.documentElement;
      const below = view.clientHeight - cell.bottom - 2 * GAP;
      const above = cell.top - 2 * GAP;
      // The height its content wants (the stylesheet caps it at 320 px), whatever the last placement allowed.
      const wanted = Math.min(element.scrollHeight + element.offsetHeight - element.clientHeight, 320);
      const up = wanted > below && above > below;
      const height = Math.min(wanted, Math.max(up ? above : below, 0));
      element.style.maxHeight = `${height}px`;
      const width = element.offsetWidth;
      element.style.left = `${Math.min(Math.max(cell.left, GAP), Math.max(view.clientWidth - width - GAP, GAP))}px`;
      element.style.top = `${up ? cell.top - GAP - height : cell.bottom + GAP}px`;
    };
    place();
    const resized = new ResizeObserver(() => place());
    // The content, not the popup, whose height this sets: a list arriving or a search narrowing it.
    for (const child of element.children) resized.observe(child);
    const changed = new MutationObserver(() => {
      resized.disconnect();
      for (const child of element.children) resized.observe(child);
      place();
    });
    changed.observe(element, { childList: true });
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      resized.disconnect();
      changed.disconnect();
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [surface, anchor]);
}

/**
 * Tab and Shift+Tab stay inside the popup (as Fluent's trapFocus kept them): between the search field
 * and the menu, whose items are one stop (the one last focused, see Menu).
 */
function trapTab(event: ReactKeyboardEvent<HTMLElement>) {
  if (event.key !== 'Tab') return;
  const stops = [...event.currentTarget.querySelectorAll<HTMLElement>('input, [role^="menuitem"][tabindex="0"]')];
  if (stops.length === 0) return;
  event.preventDefault();
  const at = stops.indexOf(document.activeElement as HTMLElement);
  stops[(at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length]?.focus();
}

/**
 * An ARIA menu (https://www.w3.org/WAI/ARIA/apg/patterns/menubar/): one tab stop, the arrow keys, Home
 * and End move between the items, Enter and Space choose (MenuItem).
 */
function Menu({ label, children }: { label: string; children: ReactNode }) {
  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>(ITEMS)];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === 'ArrowDown'
        ? items[(at + 1) % items.length]
        : event.key === 'ArrowUp'
          ? items[(at - 1 + items.length) % items.length]
          : event.key === 'Home'
            ? items[0]
            : event.key === 'End'
              ? items.at(-1)
              : typeAhead(items, at, event);
    if (!next) return;
    event.preventDefault();
    next.focus();
  };
  // The focused item is the menu's tab stop (roving tabindex), for trapTab and for Shift+Tab back.
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.target.matches('[role^="menuitem"]')) return;
    for (const item of event.currentTarget.querySelectorAll('[role^="menuitem"]')) item.setAttribute('tabindex', item === event.target ? '0' : '-1');
  };
  return (
    <div role="menu" aria-label={label} className="menu" onKeyDown={onKeyDown} onFocus={onFocus}>
      {children}
    </div>
  );
}

/**
 * A letter moves to the next item whose name starts with it, from the focused one on and round, or
 * nowhere (APG's menu pattern; Fluent's MenuList did it too). The name is the item's text without its icon.
 */
function typeAhead(items: HTMLElement[], at: number, event: ReactKeyboardEvent): HTMLElement | undefined {
  if (event.key.length !== 1 || event.key === ' ' || event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const letter = event.key.toLocaleLowerCase();
  const names = items.map((item) => (item.querySelector('.menu-content')?.textContent ?? '').trim().toLocaleLowerCase());
  for (let step = 1; step <= items.length; step++) {
    const index = (at + step) % items.length;
    if (names[index]?.startsWith(letter)) return items[index];
  }
  return undefined;
}

interface MenuItemProps {
  icon?: ReactNode;
  /** Set for a choice among values (menuitemradio): whether it is the current one. */
  checked?: boolean;
  disabled?: boolean;
  secondary?: string;
  onSelect(): void;
  children: ReactNode;
}

function MenuItem({ icon, checked, disabled, secondary, onSelect, children }: MenuItemProps) {
  const choose = () => !disabled && onSelect();
  return (
    <div
      role={checked === undefined ? 'menuitem' : 'menuitemradio'}
      aria-checked={checked}
      aria-disabled={disabled || undefined}
      tabIndex={-1}
      className="menu-item"
      onClick={choose}
      onKeyDown={(event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        // Not the click a key would also make on some elements, nor a scroll for Space.
        event.preventDefault();
        choose();
      }}
    >
      {checked === undefined ? null : (
        <span className="menu-check" aria-hidden>
          {checked ? <CheckmarkRegular /> : null}
        </span>
      )}
      {icon ? (
        <span className="menu-icon" aria-hidden>
          {icon}
        </span>
      ) : null}
      <span className="menu-content">{children}</span>
      {secondary ? <span className="menu-secondary">{secondary}</span> : null}
    </div>
  );
}

const labels: Record<OpenEditor['kind'], string> = { priority: 'Priority', status: 'Status', assignee: 'Assignee', rank: 'Position' };

function PriorityList({ issue, options, onPick }: { issue: BacklogIssue; options: BacklogOptions | undefined; onPick(id: string): void }) {
  if (!options) return <Spinner size="tiny" label="Loading priorities" />;
  return (
    <Menu label="Priority">
      {options.priorities.map((priority) => (
        <MenuItem key={priority.id} checked={priority.id === issue.priority?.id} icon={<PriorityIcon priority={priority} />} onSelect={() => onPick(priority.id)}>
          {priority.name}
        </MenuItem>
      ))}
    </Menu>
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
    <Menu label="Status">
      {transitions.map((t) => (
        <MenuItem key={t.id} onSelect={() => onPick(t)} secondary={t.name !== t.to.name ? t.name : undefined}>
          <span className={`status-dot cat-${t.to.category}`} aria-hidden />
          {t.to.name}
        </MenuItem>
      ))}
    </Menu>
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
          // Down from the field goes into the list, as in a combobox.
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            e.currentTarget.closest('.assignee-picker')?.querySelector<HTMLElement>(ITEMS)?.focus();
          }
        }}
      />
      {error ? <div className="editor-message">{error}</div> : null}
      <Menu label="Assignee">
        {me && issue.assignee?.accountId !== me.accountId ? (
          <MenuItem onSelect={() => onPick(me)} icon={<UserBadge name={me.displayName} />}>
            Assign to me
          </MenuItem>
        ) : null}
        {issue.assignee ? (
          <MenuItem onSelect={() => onPick(null)} icon={<span className="user-badge empty" />}>
            Unassigned
          </MenuItem>
        ) : null}
        {users === undefined ? (
          <Spinner size="tiny" />
        ) : users.length === 0 ? (
          <div className="editor-message">Nobody assignable matches.</div>
        ) : (
          users.map((user) => (
            <MenuItem key={user.accountId} onSelect={() => onPick(user)} icon={<UserBadge name={user.displayName} avatarUrl={user.avatarUrl} />}>
              {user.displayName}
            </MenuItem>
          ))
        )}
      </Menu>
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
    <Menu label="Move">
      <MenuItem icon={<ArrowUploadRegular />} disabled={first} onSelect={() => onPick('top')}>
        Move to top
      </MenuItem>
      <MenuItem icon={<ArrowUpRegular />} disabled={first} onSelect={() => onPick('up')} secondary="Alt+↑">
        Move up
      </MenuItem>
      <MenuItem icon={<ArrowDownRegular />} disabled={last} onSelect={() => onPick('down')} secondary="Alt+↓">
        Move down
      </MenuItem>
      <MenuItem icon={<ArrowDownloadRegular />} disabled={last} onSelect={() => onPick('bottom')}>
        Move to bottom
      </MenuItem>
      {sprintMoves?.targets.map((sprint) => (
        <MenuItem key={sprint.id} icon={<ArrowRightRegular />} onSelect={() => onSprint(sprint.id)}>
          {`Move to ${sprint.name}`}
        </MenuItem>
      ))}
      {sprintMoves?.toBacklog ? (
        <MenuItem icon={<ArrowUndoRegular />} onSelect={() => onSprint(null)}>
          Move to backlog
        </MenuItem>
      ) : null}
      <MenuItem icon={<OpenRegular />} onSelect={() => window.open(issue.url, '_blank', 'noopener')}>
        Open in Jira
      </MenuItem>
    </Menu>
  );
}
