import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { EstimationPanel, loadEstimationRound } from '../estimation/estimation-panel';
import { useEstimation } from '../estimation/use-estimation';
import { SprintHeader } from '../sprints/sprint-header';
import { useSprints } from '../sprints/use-sprints';
import { Busy } from '../ui/busy';
import type { OpenEditor } from './issue-editor';
import { IssueRow, ROW_KEYS_ID, type EditKind } from './issue-row';
import type { PageChain } from './prefetch-backlog';
import { useBacklog, type Notice } from './use-backlog';
import { useRowNavigation } from './use-row-navigation';
import { useListWindow } from '../list-window/use-list-window';

// Editors and the create form load after the list: the first render needs neither.
const loadEditor = () => import('./issue-editor');
const loadCreateForm = () => import('./create-issue-form');
// Errors and notices are rare: their Fluent message bars load when one shows.
const ErrorState = lazy(() => import('../ui/error-state').then((m) => ({ default: m.ErrorState })));
const Notices = lazy(() => import('../ui/notices').then((m) => ({ default: m.Notices })));
const IssueEditor = lazy(() => loadEditor().then((m) => ({ default: m.IssueEditor })));
const CreateIssueForm = lazy(() => loadCreateForm().then((m) => ({ default: m.CreateIssueForm })));

/** The grooming list: header, notices, the create form, the issues, and one shared editor. */
export function BacklogView({ api, backlogId, prefetch }: { api: TabApi; backlogId: string; prefetch?: PageChain }) {
  const { list, backlog, options, load, fatal, stream, notices, dismiss, othersChange, actions } = useBacklog(api, backlogId, prefetch);
  // The navigation asks the window to render a row off screen before focusing it (`reveal`).
  const reveal = useRef<(index: number) => void>(() => undefined);
  const navigation = useRowNavigation(list, (index) => reveal.current(index));
  const sprints = useSprints(api, backlogId, backlog);
  const [editor, setEditor] = useState<OpenEditor>();
  const [estimating, setEstimating] = useState<string>();
  const [creating, setCreating] = useState(false);
  const newIssueButton = useRef<HTMLButtonElement>(null);
  // Back to the button that opened the form, or the keyboard user lands on the page's top.
  const closeCreate = useCallback(() => {
    setCreating(false);
    requestAnimationFrame(() => newIssueButton.current?.focus());
  }, []);
  const estimation = useEstimation(api, backlogId);
  const [roundTimer, setRoundTimer] = useState(0);
  // Rows delegate their clicks to one handler made once: it reaches the current timer through this.
  const startRound = useRef<(key: string) => void>(() => undefined);
  startRound.current = (key: string) => void estimation.actions.start({ issueKey: key, ...(roundTimer ? { timerSeconds: roundTimer } : {}) });
  const byKey = useRef(list.byKey);
  byKey.current = list.byKey;
  const someInHours = useMemo(() => [...list.byKey.values()].some((issue) => issue.estimateUnit === 'hours'), [list.byKey]);

  const onClick = useCallback((event: MouseEvent<HTMLElement>) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>('[data-edit]');
    const key = button?.closest<HTMLElement>('[data-key]')?.dataset.key;
    if (!button || !key) return;
    if (button.dataset.edit === 'poker') return startRound.current(key);
    const kind = button.dataset.edit as EditKind;
    if (kind === 'estimate') setEstimating(key);
    else setEditor({ kind, key, target: button });
  }, []);

  const navigate = navigation.onKeyDown;
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return navigate(event);
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-key]');
      if (!row?.dataset.key) return;
      event.preventDefault();
      const focused = event.target as HTMLElement;
      void actions.rank(row.dataset.key, event.key === 'ArrowUp' ? 'up' : 'down');
      // Keep the focus on the moved row so Alt+arrow can repeat.
      requestAnimationFrame(() => focused.focus());
    },
    [actions, navigate],
  );

  const onEstimate = useCallback(
    (key: string, value: number | null | undefined) => {
      setEstimating(undefined);
      if (value === undefined || byKey.current.get(key)?.estimate === value) return;
      void actions.setEstimate(key, value);
    },
    [actions],
  );

  useLayoutEffect(() => {
    if (list.order.length) performance.mark(`tab:rows-${list.order.length}`);
  }, [list.order.length]);

  // The column titles stick just below the header, whose height changes with the width.
  const container = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    if (!header.current || !container.current) return;
    const observer = new ResizeObserver(([entry]) => container.current?.style.setProperty('--header-height', `${entry.target.getBoundingClientRect().height}px`));
    observer.observe(header.current);
    return () => observer.disconnect();
  }, [fatal]);

  useEffect(() => {
    if (load !== 'done') return;
    // Fetch them while the user reads, so the first click opens at once.
    const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
    idle(() => void Promise.all([loadEditor(), loadCreateForm(), loadEstimationRound()]).catch(() => undefined));
  }, [load]);

  const editedIndex = editor ? list.order.indexOf(editor.key) : -1;
  // Only the rows near the viewport are rendered; the focused row and the edited one stay wherever they are.
  const listWindow = useListWindow(list.order, navigation.listRef, [navigation.tabbableKey, editor?.key, estimating], load === 'done');
  reveal.current = listWindow.reveal;
  const rows = listWindow.items.map((item) =>
    'gap' in item ? (
      <li key={item.id} className="row-gap" aria-hidden style={{ height: item.gap }} />
    ) : (
      <IssueRow
        key={item.key}
        issue={list.byKey.get(item.key)!}
        position={item.index + 1}
        size={list.order.length}
        flash={list.flashes.get(item.key)}
        editingEstimate={estimating === item.key}
        hasEstimateField={options ? options.estimateField !== null : true}
        tabbable={item.key === navigation.tabbableKey}
        onEstimate={onEstimate}
      />
    ),
  );

  if (fatal) {
    return (
      <Suspense fallback={null}>
        <ErrorState error={fatal} onRetry={actions.retry} />
      </Suspense>
    );
  }

  return (
    <div className="backlog" data-load={load} data-stream={stream} ref={container}>
      <header className="backlog-header" ref={header}>
        <div className="backlog-title">
          <h1 className="title" title={backlog ? `${backlog.name} (${backlog.jql})` : undefined}>
            {backlog?.name ?? 'Backlog'}
          </h1>
          <span className="count" aria-live="polite">
            {load === 'loading' ? 'Loading…' : `${list.order.length} issue${list.order.length === 1 ? '' : 's'}${load === 'more' ? ', loading more…' : ''}`}
          </span>
          <span className={`live live-${stream}`} title={stream === 'live' ? 'Changes by others appear as they happen' : 'Reconnecting to live updates'}>
            {stream === 'live' ? 'Live' : stream === 'stopped' ? 'Not live' : 'Connecting…'}
          </span>
          <SprintHeader sprints={sprints} />
        </div>
        <div className="backlog-actions">
          <button type="button" ref={newIssueButton} className={`btn ${creating ? 'secondary' : 'primary'}`} onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            <span aria-hidden>+</span> New issue
          </button>
          <button type="button" className="btn subtle icon" onClick={actions.retry} aria-label="Reload" title="Reload">
            <span aria-hidden>⟳</span>
          </button>
        </div>
      </header>

      {/* Always present, so that screen readers announce what is put in them later (the message bars load lazily). */}
      <div className="sr-only" role="status" data-testid="status-region">
        {latestNotice(notices, false)}
      </div>
      <div className="sr-only" role="alert" data-testid="alert-region">
        {latestNotice(notices, true)}
      </div>
      {/* Edits by the other attendees, said when the reader is idle. */}
      <div className="sr-only" aria-live="polite" data-testid="changes-region">
        {othersChange}
      </div>
      {notices.length ? (
        <Suspense fallback={null}>
          <Notices notices={notices} onDismiss={dismiss} />
        </Suspense>
      ) : null}

      <EstimationPanel estimation={estimation} timerSeconds={roundTimer} onTimer={setRoundTimer} />

      {creating ? (
        <Suspense fallback={null}>
          <CreateIssueForm backlog={backlog} options={options} actions={actions} onClose={closeCreate} />
        </Suspense>
      ) : null}

      {load === 'loading' ? (
        <Busy label="Loading issues" />
      ) : list.order.length === 0 ? (
        <div className="state-block empty-state" data-testid="empty">
          <p className="empty-title">No issues match this backlog.</p>
          <p className="hint">
            Query: <code>{backlog?.jql}</code>
          </p>
          <p className="hint">Create one with New issue, or change the query in the tab's settings.</p>
        </div>
      ) : (
        <>
          <div className="columns" aria-hidden>
            <span className="c-type" />
            <span className="c-key">Key</span>
            <span className="c-summary">Summary</span>
            <span className="c-status">Status</span>
            <span className="c-priority">Priority</span>
            {/* The site's field names the column unless some issue's board estimates in time (its cell says "h"). */}
            <span className="c-estimate">{(!someInHours && options?.estimateField?.name) || 'Estimate'}</span>
            <span className="c-assignee">Assignee</span>
            <span className="c-more" />
          </div>
          <p className="sr-only" id={ROW_KEYS_ID}>
            Up and Down move between issues, Enter goes to the issue's fields and Escape back, Alt+Up and Alt+Down move the issue.
          </p>
          <ol className="issues" ref={navigation.listRef} onClick={onClick} onKeyDown={onKeyDown} onFocus={navigation.onFocus} aria-label={backlog?.name ?? 'Backlog'}>
            {rows}
          </ol>
        </>
      )}

      {editor ? (
        <Suspense fallback={null}>
          <IssueEditor
            sprintMoves={sprints.moves}
            editor={editor}
            issue={list.byKey.get(editor.key)}
            position={{ index: editedIndex, count: list.order.length }}
            options={options}
            actions={actions}
            onClose={() => setEditor(undefined)}
          />
        </Suspense>
      ) : null}
    </div>
  );
}

/** The newest error (`alert`) or other notice (`status`), for the live regions. */
function latestNotice(notices: Notice[], errors: boolean): string {
  return notices.filter((notice) => (notice.intent === 'error') === errors).at(-1)?.text ?? '';
}
