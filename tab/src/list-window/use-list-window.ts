import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Rows drawn beyond each edge of the viewport, so that a scroll shows rows already laid out. */
const OVERSCAN_PX = 600;
/** The longest the rows beyond the viewport wait for the browser to be idle, once the whole list is in. */
const IDLE_WAIT_MS = 500;
/** A row's height until it has been measured (a one-line row of styles.css is 39 px, a side-panel card 70-80). */
const FIRST_GUESS_PX = 40;

/** What the list renders, top to bottom: a row, or a run of rows not rendered, as one spacer of their height. */
export type WindowItem = { key: string; index: number } | { gap: number; id: string };

export interface ListWindow {
  items: WindowItem[];
  /** Renders the row at `index` and scrolls the page to it (keyboard moves to a row off screen). */
  reveal(index: number): void;
}

interface View {
  top: number;
  bottom: number;
}

/**
 * A windowed list: only the rows in and near the viewport are in the DOM, so a backlog of 1,000
 * issues renders and updates as fast as one of 30. Hand-made rather than @tanstack/react-virtual:
 * the list scrolls with the page (the tab's document), rows differ in height (two-line summaries in
 * the side panel), and some rows must stay rendered wherever they are (`pinned`: the focused row,
 * the row whose editor is open), which is a few dozen lines here and the same amount of glue there.
 *
 * Heights are measured after each render and remembered per key; rows never rendered count as the
 * average of the measured ones.
 */
export function useListWindow(
  order: readonly string[],
  listRef: RefObject<HTMLElement | null>,
  pinned: ReadonlyArray<string | undefined>,
  /** Whether every page of the list is in (see the overscan below). */
  complete: boolean,
): ListWindow {
  const heights = useRef(new Map<string, number>());
  // Unknown until the list is in the page: where it starts below the header is known only then.
  const [view, setView] = useState<View>();
  const [, setMeasured] = useState(0);
  // Until every page is in and the browser has been idle, only the rows on screen are drawn: the
  // first screen, and each next page's arrival (which updates every drawn row), wait for no others.
  // The browser is idle between pages too, while the bot reads the next one from Jira: widened then,
  // each later page updated three times the rows.
  const [overscan, setOverscan] = useState(0);
  const ready = complete && order.length > 0;
  useEffect(() => {
    if (!ready || overscan === OVERSCAN_PX) return;
    const widen = () => setOverscan(OVERSCAN_PX);
    if (!window.requestIdleCallback) {
      const timer = setTimeout(widen, 0);
      return () => clearTimeout(timer);
    }
    const idle = window.requestIdleCallback(widen, { timeout: IDLE_WAIT_MS });
    return () => window.cancelIdleCallback(idle);
  }, [ready, overscan]);

  // Where the viewport is, in the list's own coordinates; a new state only when the rendered rows may change.
  const readView = useCallback(() => {
    const list = listRef.current;
    if (!list) return;
    const top = -list.getBoundingClientRect().top;
    setView((old) => (old && Math.abs(old.top - top) < OVERSCAN_PX / 4 && old.bottom - old.top === window.innerHeight ? old : { top, bottom: top + window.innerHeight }));
  }, [listRef]);

  useLayoutEffect(() => {
    let frame = 0;
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), readView()));
    };
    readView();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [readView]);

  // After every render: where the viewport is in a list just put in the page (its first rows, or
  // back after an error), the rendered rows' heights, and one more render if they differ from what was assumed.
  const placed = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (list !== placed.current) {
      placed.current = list;
      readView();
    }
    let changed = false;
    for (const row of list.querySelectorAll<HTMLElement>(':scope > li[data-key]')) {
      const height = row.getBoundingClientRect().height;
      const key = row.dataset.key!;
      if (height > 0 && Math.abs((heights.current.get(key) ?? -1) - height) > 0.5) {
        heights.current.set(key, height);
        changed = true;
      }
    }
    if (changed) setMeasured((n) => n + 1);
  });

  const guess = averageOf(heights.current) ?? FIRST_GUESS_PX;
  const heightOf = (key: string) => heights.current.get(key) ?? guess;
  const keep = new Set(pinned.filter((key): key is string => key !== undefined));
  const items: WindowItem[] = [];
  let gap = 0;
  let offset = 0;
  for (let index = 0; index < order.length; index++) {
    const key = order[index];
    const height = heightOf(key);
    const inView = view !== undefined && offset + height > view.top - overscan && offset < view.bottom + overscan;
    offset += height;
    if (!inView && !keep.has(key)) {
      gap += height;
      continue;
    }
    if (gap > 0) items.push({ gap, id: `gap-${index}` });
    gap = 0;
    items.push({ key, index });
  }
  if (gap > 0) items.push({ gap, id: 'gap-end' });

  const orderRef = useRef(order);
  orderRef.current = order;
  const reveal = useCallback(
    (index: number) => {
      const list = listRef.current;
      const keys = orderRef.current;
      if (!list || index < 0 || index >= keys.length) return;
      const average = averageOf(heights.current) ?? FIRST_GUESS_PX;
      let top = 0;
      for (let i = 0; i < index; i++) top += heights.current.get(keys[i]) ?? average;
      // Render around the row now; the caller then scrolls it into view (scrollIntoView, with the header's margin).
      setView({ top, bottom: top + window.innerHeight });
    },
    [listRef],
  );

  return { items, reveal };
}

function averageOf(heights: ReadonlyMap<string, number>): number | undefined {
  if (heights.size === 0) return undefined;
  let sum = 0;
  for (const height of heights.values()) sum += height;
  return sum / heights.size;
}
