import { Field, Radio, RadioGroup, Select, Spinner, Textarea } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { TabApiError } from '../api/tab-api-error';
import type { BoardPick, FilterPick, ProjectPick, SprintSummary } from '../api/types';
import type { SourceDraft, SourceKind } from './to-backlog-input';

const EXAMPLE_JQL = 'project = PHX AND statusCategory != Done ORDER BY Rank ASC';

const KINDS: Array<{ kind: SourceKind; label: string }> = [
  { kind: 'project', label: 'Project' },
  { kind: 'board', label: 'Board' },
  { kind: 'sprint', label: 'Sprint' },
  { kind: 'filter', label: 'Saved filter' },
  { kind: 'jql', label: 'JQL query (advanced)' },
];

interface PickerProps {
  api: TabApi;
  draft: SourceDraft;
  /** `pickedName`: the name of what was just picked, a title for the tab if none was typed. */
  onChange(draft: SourceDraft, pickedName?: string): void;
  /** Jira's refusal of the query or the pick, shown next to it. */
  error?: string;
}

/**
 * Where the backlog comes from, without typing JQL: a project, a board (its backlog), an active
 * or future sprint, or a saved filter, each listed by the user's own Jira; typed JQL stays as the
 * advanced choice.
 */
export function BacklogSourcePicker({ api, draft, onChange, error }: PickerProps) {
  const set = (change: Partial<SourceDraft>, pickedName?: string) => onChange({ ...draft, ...change }, pickedName);
  const projects = usePicks(draft.kind === 'project', () => api.pickProjects());
  const boards = usePicks(draft.kind === 'board' || draft.kind === 'sprint', () => api.pickBoards());
  const scrumBoards = boards.items?.filter((b) => b.type === 'scrum');
  const sprints = usePicks(draft.kind === 'sprint' && draft.boardId !== '', () => api.pickSprints(Number(draft.boardId)), draft.boardId);
  const filters = usePicks(draft.kind === 'filter', () => api.pickFilters());
  const validation = error ? { validationState: 'error' as const, validationMessage: error } : {};

  return (
    <>
      <Field label="Backlog from">
        <RadioGroup layout="horizontal" value={draft.kind} onChange={(_, d) => set({ kind: d.value as SourceKind })}>
          {KINDS.map((k) => (
            <Radio key={k.kind} value={k.kind} label={k.label} />
          ))}
        </RadioGroup>
      </Field>
      {draft.kind === 'project' ? (
        <PickList<ProjectPick>
          label="Project"
          hint="Every issue of the project, in rank order."
          picks={projects}
          value={draft.projectKey}
          idOf={(p) => p.key}
          textOf={(p) => `${p.key} – ${p.name}`}
          onPick={(p) => set({ projectKey: p?.key ?? '' }, p?.name)}
          {...validation}
        />
      ) : draft.kind === 'board' ? (
        <PickList<BoardPick>
          label="Board"
          hint="The board's backlog: on a scrum board what is in no open sprint, on a kanban board what is not done."
          picks={boards}
          value={draft.boardId}
          idOf={(b) => String(b.id)}
          textOf={(b) => `${b.name} (${b.type})`}
          onPick={(b) => set({ boardId: b ? String(b.id) : '' }, b?.name)}
          {...validation}
        />
      ) : draft.kind === 'sprint' ? (
        <>
          <PickList<BoardPick>
            label="Board"
            hint="The scrum board whose sprints to choose from."
            picks={{ ...boards, items: scrumBoards }}
            value={draft.boardId}
            idOf={(b) => String(b.id)}
            textOf={(b) => b.name}
            onPick={(b) => set({ boardId: b ? String(b.id) : '', sprintId: '' })}
          />
          {draft.boardId ? (
            <PickList<SprintSummary>
              label="Sprint"
              hint="Active and future sprints. Its goal and dates show above the list."
              picks={sprints}
              value={draft.sprintId}
              idOf={(s) => String(s.id)}
              textOf={(s) => `${s.name} (${s.state})`}
              onPick={(s) => set({ sprintId: s ? String(s.id) : '' }, s?.name)}
              {...validation}
            />
          ) : null}
        </>
      ) : draft.kind === 'filter' ? (
        <PickList<FilterPick>
          label="Saved filter"
          hint="The filter's issues in its own order; a change to the filter in Jira applies here too."
          picks={filters}
          value={draft.filterId}
          idOf={(f) => f.id}
          textOf={(f) => f.name}
          onPick={(f) => set({ filterId: f?.id ?? '' }, f?.name)}
          {...validation}
        />
      ) : (
        <Field
          label="JQL query"
          required
          validationState={error ? 'error' : 'none'}
          validationMessage={error}
          hint={error ? undefined : 'Without ORDER BY the backlog is ordered by rank. Jira checks the query when you save.'}
        >
          <Textarea value={draft.jql} onChange={(_, d) => set({ jql: d.value })} placeholder={EXAMPLE_JQL} name="jql" resize="vertical" rows={4} className="jql" />
        </Field>
      )}
    </>
  );
}

interface Picks<T> {
  items?: T[];
  error?: string;
}

/** Asks for a list once `active` (and again when `key` changes); what Jira refused becomes a message. */
function usePicks<T>(active: boolean, load: () => Promise<T[]>, key = ''): Picks<T> {
  const [picks, setPicks] = useState<Picks<T>>({});
  useEffect(() => {
    if (!active) return;
    let current = true;
    setPicks({});
    load().then(
      (items) => current && setPicks({ items }),
      (failure: unknown) => current && setPicks({ error: failure instanceof TabApiError ? failure.message : String(failure) }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure each render; what it loads is decided by `active` and `key`.
  }, [active, key]);
  return picks;
}

interface PickListProps<T> {
  label: string;
  hint: string;
  picks: Picks<T>;
  value: string;
  idOf(item: T): string;
  textOf(item: T): string;
  onPick(item: T | undefined): void;
  validationState?: 'error';
  validationMessage?: string;
}

function PickList<T>({ label, hint, picks, value, idOf, textOf, onPick, validationState, validationMessage }: PickListProps<T>) {
  if (picks.error) return <Field label={label} validationState="error" validationMessage={picks.error} />;
  if (!picks.items) return <Spinner size="tiny" label={`Loading the ${label.toLowerCase()} list`} labelPosition="after" />;
  const items = picks.items;
  return (
    <Field
      label={label}
      required
      hint={validationMessage ? undefined : items.length ? hint : `Jira lists no ${label.toLowerCase()} you can see.`}
      validationState={validationState ?? 'none'}
      validationMessage={validationMessage}
    >
      <Select value={value} onChange={(_, d) => onPick(items.find((item) => idOf(item) === d.value))}>
        <option value="">Choose…</option>
        {items.map((item) => (
          <option key={idOf(item)} value={idOf(item)}>
            {textOf(item)}
          </option>
        ))}
      </Select>
    </Field>
  );
}
