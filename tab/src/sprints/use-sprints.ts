import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import type { Backlog, SprintSummary } from '../api/types';

export interface SprintMoves {
  /** Open sprints an issue of this backlog can move to (not the backlog's own sprint). */
  targets: SprintSummary[];
  /** Whether "Move to backlog" makes sense: not on a board's backlog, whose issues are there already. */
  toBacklog: boolean;
  move(key: string, sprintId: number | null): Promise<void>;
}

/**
 * The backlog's sprint (goal and dates, for the header) and the sprints its issues can move to,
 * asked for once the backlog is known and again when it is reconfigured. A move goes to Jira as
 * the user; the row follows the event the move sends to every panel, this one included.
 */
export function useSprints(api: TabApi, backlogId: string, backlog: Backlog | undefined) {
  const [sprint, setSprint] = useState<SprintSummary>();
  const [open, setOpen] = useState<SprintSummary[]>([]);
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const source = backlog?.source;

  useEffect(() => {
    if (!backlog) return;
    let current = true;
    // A saved filter names no board; a typed query may name a project, whose board the service finds.
    if (backlog.source.kind === 'filter') {
      setSprint(undefined);
      setOpen([]);
      return;
    }
    api.getSprints(backlogId).then(
      (answer) => {
        if (!current) return;
        setSprint(answer.sprint);
        setOpen(answer.sprints);
      },
      () => undefined, // the header and the menu simply go without sprints
    );
    return () => {
      current = false;
    };
  }, [api, backlogId, backlog]);

  const move = useCallback(
    async (key: string, sprintId: number | null) => {
      const target = sprintId === null ? 'the backlog' : (open.find((s) => s.id === sprintId)?.name ?? `sprint ${sprintId}`);
      try {
        await api.moveToSprint(backlogId, [key], sprintId);
        setMessage({ text: `Moved ${key} to ${target}.`, error: false });
      } catch (error) {
        setMessage({ text: `${key}: ${error instanceof Error ? error.message : String(error)}`, error: true });
      }
    },
    [api, backlogId, open],
  );

  const moves = useMemo<SprintMoves | undefined>(() => {
    // No open sprint on the backlog's board (or no board): nothing to move between.
    if (!source || open.length === 0) return undefined;
    const targets = open.filter((s) => s.id !== sprint?.id);
    return { targets, toBacklog: source.kind !== 'board', move };
  }, [source, open, sprint, move]);

  return { sprint, moves, message, clearMessage: () => setMessage(undefined) };
}

export type Sprints = ReturnType<typeof useSprints>;
