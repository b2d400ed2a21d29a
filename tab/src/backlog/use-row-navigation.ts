import { useCallback, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import type { BacklogList } from './backlog-state';

/** A row's own controls, in the order the keyboard visits them (DOM order, which is the visual order). */
const CONTROLS = 'a[href], button:not(:disabled), input';
/** How many rows Page Up and Page Down move. */
const PAGE_ROWS = 10;
/** Frames to wait for a row that `reveal` had to render (a virtualized list). */
const REVEAL_FRAMES = 10;

interface RowNavigation {
  /** Put on the list (`ol`): its rows are found under it. */
  listRef: RefObject<HTMLOListElement | null>;
  /** The one row that takes the list's Tab stop: the last one focused, else the first. */
  tabbableKey: string | undefined;
  onKeyDown(event: KeyboardEvent<HTMLElement>): void;
  onFocus(event: FocusEvent<HTMLElement>): void;
}

/**
 * The list as one Tab stop (a roving tabindex, as WAI-ARIA's composite widgets do): Up, Down, Home,
 * End, Page Up and Page Down move between rows; Enter, F2 or Right go into a row's controls, where
 * Tab and Shift+Tab (or Left and Right) go round them and Escape goes back to the row.
 *
 * Written here rather than taken from Fluent's useArrowNavigationGroup: that is tabster, which only
 * the lazily loaded editor carries today, and it moves between rendered elements, while this moves by
 * index in the list's order, so a virtualized list can render a row before it is focused: pass
 * `reveal`, called with the row's index when it is not in the DOM.
 */
export function useRowNavigation(list: BacklogList, reveal?: (index: number) => void): RowNavigation {
  const listRef = useRef<HTMLOListElement>(null);
  const [active, setActive] = useState<string>();
  const order = useRef(list.order);
  order.current = list.order;
  const revealRef = useRef(reveal);
  revealRef.current = reveal;
  const activeRef = useRef(active);
  activeRef.current = active;

  const focusRow = useCallback((key: string) => {
    setActive(key);
    let frames = 0;
    const attempt = () => {
      const row = listRef.current?.querySelector<HTMLElement>(`li[data-key="${CSS.escape(key)}"]`);
      if (row) {
        row.focus({ preventScroll: true });
        row.scrollIntoView({ block: 'nearest' });
        // Rows skipped by content-visibility take their real height once scrolled to, which can push
        // this one out of view again: scroll again on the next frames until it stays.
        let settling = 0;
        const settle = () => {
          const box = row.getBoundingClientRect();
          if (!row.isConnected || (box.top >= 0 && box.bottom <= window.innerHeight)) return;
          row.scrollIntoView({ block: 'nearest' });
          if (settling++ < REVEAL_FRAMES) requestAnimationFrame(settle);
        };
        requestAnimationFrame(settle);
        return;
      }
      if (frames === 0) revealRef.current?.(order.current.indexOf(key));
      if (frames++ < REVEAL_FRAMES) requestAnimationFrame(attempt);
    };
    attempt();
  }, []);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement;
      const row = target.closest<HTMLElement>('li[data-key]');
      const key = row?.dataset.key;
      if (!row || !key) return;
      if (target === row) {
        const index = order.current.indexOf(key);
        const last = order.current.length - 1;
        const to = (i: number) => order.current[Math.max(0, Math.min(last, i))];
        const next: Record<string, (() => string | undefined) | undefined> = {
          ArrowDown: () => to(index + 1),
          ArrowUp: () => to(index - 1),
          Home: () => to(0),
          End: () => to(last),
          PageDown: () => to(index + PAGE_ROWS),
          PageUp: () => to(index - PAGE_ROWS),
        };
        const move = next[event.key];
        if (move) {
          event.preventDefault();
          const goal = move();
          if (goal && goal !== key) focusRow(goal);
          return;
        }
        if (event.key === 'Enter' || event.key === 'F2' || event.key === 'ArrowRight') {
          event.preventDefault();
          controlsOf(row)[0]?.focus();
        }
        return;
      }
      // Inside the row. The estimate field keeps its own keys (Enter, Escape, the arrows in its text).
      if (target.tagName === 'INPUT' && event.key !== 'Tab') return;
      const controls = controlsOf(row);
      const at = controls.indexOf(target);
      if (at < 0) return;
      let goal: HTMLElement | undefined;
      if (event.key === 'Escape') goal = row;
      else if (event.key === 'Tab') goal = controls[(at + (event.shiftKey ? -1 : 1) + controls.length) % controls.length];
      else if (event.key === 'ArrowRight') goal = controls[Math.min(at + 1, controls.length - 1)];
      else if (event.key === 'ArrowLeft') goal = at === 0 ? row : controls[at - 1];
      if (!goal) return;
      event.preventDefault();
      goal.focus();
    },
    [focusRow],
  );

  // Clicks and focus from elsewhere (a closed editor, a test) make that row the list's Tab stop.
  const onFocus = useCallback((event: FocusEvent<HTMLElement>) => {
    const key = event.target.closest<HTMLElement>('li[data-key]')?.dataset.key;
    if (key && key !== activeRef.current) setActive(key);
  }, []);

  const tabbableKey = active !== undefined && list.byKey.has(active) ? active : list.order[0];
  return { listRef, tabbableKey, onKeyDown, onFocus };
}

/** The row's controls that show (an estimate button of a site without the field is disabled, so skipped). */
function controlsOf(row: HTMLElement): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(CONTROLS)].filter((control) => control.getClientRects().length > 0);
}
